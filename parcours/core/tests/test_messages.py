"""Messages people can act on: a refusal names the field by its label (never `cost_xof`), each
reason is said once, amounts are read as people write them ("300 000"), nouns agree with their
number ("1 jour"), years are printed as years, a refused channel names the one that is accepted,
and the two records of a merge are told apart."""

import inspect
import re

import pytest
from django import forms as django_forms

from parcours.core.errors import ValidationFailed
from parcours.core.fields import WholeNumberField


@pytest.fixture
def schemes(world):
    from parcours.assistance.services import load_demo_schemes

    load_demo_schemes()


def _returnee(make_person, **fields):
    return make_person(by="caseworker.kayes", origin_region="Kayes", return_date="2020-01-10",
                       birth_date="1990-03-01", birth_year="1990", **fields)


def test_a_refusal_names_the_fields_label_never_its_internal_name():
    from django.utils import translation

    from parcours.cases.validation import ComponentInput, clean
    from parcours.core.web import error_lines

    with translation.override("fr"):
        with pytest.raises(ValidationFailed) as caught:
            clean(ComponentInput, {"kind": "income_individual", "cost_xof": "beaucoup"})
        lines = error_lines(caught.value)
        assert lines == ["Coût (FCFA) : Saisissez un nombre entier."]
        by_hand = ValidationFailed({"reason": ["Donnez le motif.", "Donnez le motif."], "mystery_field": ["Non."]})
        assert error_lines(by_hand) == ["Motif : Donnez le motif.", "Non."]  # once each; no internal name


def test_no_page_message_prints_an_internal_field_name(web_client, make_person, world):
    """A case closed without its reason: the message says « Motif », not `reason`."""
    from parcours.cases.services import case_open

    person = _returnee(make_person)
    case = case_open(by=world.user("caseworker.kayes"), person_id=person.pk)
    client = web_client("caseworker.kayes")
    page = client.post(f"/cases/{case.pk}/close/", {"reason": "", "closed_on": ""}, follow=True).content.decode()
    messages = re.findall(r'<ul class="messages">(.*?)</ul>', page, re.S)
    assert messages and not re.search(r"\b[a-z]+_[a-z_]+\s*:", messages[0]), messages
    assert "reason:" not in messages[0] and "closed_on:" not in messages[0]


def test_every_whole_number_field_reads_grouped_digits():
    """Every form of every domain: a whole number is a WholeNumberField ("300 000" accepted)."""
    import importlib

    modules = ["parcours.assistance.validation", "parcours.cases.validation", "parcours.centres.validation",
               "parcours.flows.validation", "parcours.outreach.validation", "parcours.people.validation",
               "parcours.referrals.validation", "parcours.surveys.validation", "parcours.logframe.services"]
    plain = []
    for name in modules:
        for cls_name, cls in inspect.getmembers(importlib.import_module(name), inspect.isclass):
            if issubclass(cls, django_forms.BaseForm) and cls.__module__ == name:
                plain += [f"{cls_name}.{f}" for f, field in cls.base_fields.items()
                          if type(field) is django_forms.IntegerField]
    assert not plain
    field = WholeNumberField(min_value=0)
    for written in ("300 000", "300\u00a0000", "300\u202f000", " 300000 "):
        assert field.clean(written) == 300000
    with pytest.raises(django_forms.ValidationError):
        field.clean("300,5")
    assert 'inputmode="numeric"' in field.widget.render("x", "")


def test_an_amount_written_with_spaces_is_paid(web_client, make_person, schemes):
    from parcours.assistance.models import LedgerEntry

    person = _returnee(make_person)
    client = web_client("caseworker.kayes")
    response = client.post(f"/assistance/people/{person.pk}/pay/", {
        "scheme": "business_kit", "tranche": "1", "paid_on": "2024-05-02", "channel": "cash",
        "proof_reference": "R-1", "amount_xof": "210\u202f000", "form_token": "t-1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert LedgerEntry.objects.get().amount_xof == 210_000


def test_a_payment_error_is_said_once(web_client, make_person, schemes):
    person = _returnee(make_person)
    client = web_client("caseworker.kayes")
    page = client.post(f"/assistance/people/{person.pk}/pay/", {
        "scheme": "business_kit", "tranche": "1", "paid_on": "2024-05-02", "channel": "cash",
        "proof_reference": "R-1", "amount_xof": "beaucoup", "form_token": "t-1"}).content.decode()
    assert page.count("Saisissez un nombre entier.") == 1
    assert page.count("Certains champs ne sont pas valides") == 1


def test_a_refused_channel_names_the_accepted_ones(world, make_person, schemes):
    from django.utils import translation

    from parcours.assistance.models import Channel, SchemeVersion
    from parcours.assistance.services import payment_record

    person = _returnee(make_person)
    version = SchemeVersion.objects.get(scheme__code="cash_grant")
    refused = next(c for c in Channel.values if c not in version.channels)
    with translation.override("fr"), pytest.raises(ValidationFailed) as caught:
        payment_record(by=world.user("caseworker.kayes"), person_id=person.pk, data={
            "scheme": "cash_grant", "tranche": 1, "paid_on": "2024-05-02", "channel": refused,
            "proof_reference": "R"})
    message = caught.value.fields["channel"][0]
    for accepted in version.channels:
        with translation.override("fr"):
            assert str(Channel(accepted).label) in message
    assert "Subvention en espèces" in message


def test_nouns_agree_with_their_number():
    from django.utils import translation

    from parcours.facts.kinds import label_of

    with translation.override("fr"):
        assert label_of("training_attendance", {"month": "2026-11", "days": 1}).endswith(": 1 jour")
        assert label_of("training_attendance", {"month": "2026-11", "days": 3}).endswith(": 3 jours")
        assert "1 mois" in label_of("case_follow_up_done", {"months": 1})
    with translation.override("en"):
        assert label_of("training_attendance", {"month": "2026-11", "days": 1}).endswith(": 1 day")
        assert "1 month" in label_of("case_follow_up_due", {"months": 1, "due": "x"})
        assert "1 months" not in label_of("case_follow_up_due", {"months": 1, "due": "x"})


def test_a_year_is_printed_as_a_year(web_client, make_person):
    person = make_person(by="reception.bamako", birth_year="2001", given_name="Awa", family_name="Sidibé", sex="F")
    page = web_client("reception.bamako").get(f"/people/{person.pk}/").content.decode()
    assert "2001" in page and "2\u202f001" not in page and "2 001" not in page


def test_two_records_with_the_same_name_read_differently_in_the_merge(web_client, make_person, world):
    from parcours.dedup.models import DuplicatePair

    a = make_person(by="reception.bamako", given_name="Drissa", family_name="Samaké", birth_year="1995")
    b = make_person(by="reception.bamako", given_name="Drissa", family_name="Samaké", birth_year="1995")
    first, second = sorted([a, b], key=lambda p: str(p.pk))
    pair = DuplicatePair.objects.filter(person_a__in=[a, b], person_b__in=[a, b]).first() or \
        DuplicatePair.objects.create(person_a=first, person_b=second, score=0.99, reasons=[])
    page = web_client("reception.bamako").get(f"/duplicates/{pair.pk}/").content.decode()
    options = re.findall(r'name="survivor"[^>]*>\s*([^<]+)</label>', page)
    assert len(options) == 2 and options[0] != options[1], options
    assert "fiche A" in options[0] and "fiche B" in options[1]


def test_case_workers_read_schemes_in_words_the_administrator_sees_the_rules(web_client, schemes):
    caseworker = web_client("caseworker.kayes").get("/assistance/schemes/cash_grant/").content.decode()
    assert "Subvention en espèces" in caseworker
    assert "<code>" not in caseworker and "Calculé pour chaque personne" in caseworker
    admin = web_client("admin").get("/assistance/schemes/cash_grant/").content.decode()
    assert "<code>" in admin
    ledger = web_client("manager.eu").get("/assistance/ledger/").content.decode()
    assert "<code>" not in ledger
