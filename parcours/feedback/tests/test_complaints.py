"""Complaints: filed by anyone, anonymous allowed, encrypted, routed by category, answered on
dates whose facts the register and the results can count."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from parcours.core.errors import Forbidden, NotFound, ValidationFailed
from parcours.facts.models import Fact
from parcours.feedback import selectors, services
from parcours.feedback.events import FeedbackEvent
from parcours.feedback.models import Complaint
from parcours.feedback.policies import complaint_for_read

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 3)


def test_given_a_complaint_when_filed_then_content_encrypted_and_a_fact_without_person(world, file):
    c = file(on=DAY, gravity="high")
    raw = Complaint.objects.filter(pk=c.pk).values_list("content_encrypted", flat=True)[0]
    assert "versé".encode() not in bytes(raw)  # a Fernet token is base64: no accented text
    assert c.reference.startswith("PL-") and c.due_on == DAY + dt.timedelta(days=7)
    fact = Fact.objects.get(kind=FeedbackEvent.RECEIVED)
    assert (fact.occurred_on, fact.person, fact.data["category"], fact.place.name) == (DAY, None, "assistance",
                                                                                       "District de Bamako")
    assert services.complaint_content(by=world.user("me.iom"), complaint=c)["description"] == \
        "Le pécule n'a pas été versé."


def test_an_anonymous_complaint_names_nobody(world, file, make_person):
    person = make_person()
    with pytest.raises(ValidationFailed) as err:
        file(anonymous=True, person=person)
    assert "person" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        file(anonymous=True, contact_phone="76 12 34 56")
    assert "anonymous" in err.value.fields
    c = file(anonymous=True)
    assert c.anonymous and c.person is None


def test_a_consenting_persons_complaint_appears_on_their_record_not_a_sensitive_one(world, file, make_person):
    person = make_person()
    file(person=person, consent_to_identify=True)
    file(person=person, consent_to_identify=True, category="fraud")
    assert Fact.objects.filter(kind=FeedbackEvent.RECEIVED, person=person).count() == 1


SENSITIVE_BLIND = ["reception.bamako", "caseworker.kayes", "caseworker.ajdm", "centre.gao", "enumerator.gao",
                   "focal.sikasso", "partner.cfpm", "me.iom", "manager.eu", "auditor"]


@pytest.mark.parametrize("category", ["protection", "sexual_exploitation", "fraud"])
def test_a_sensitive_complaint_is_seen_by_the_restricted_handlers_only(world, file, category):
    c = file(category=category, description="Un agent a demandé de l'argent.")
    assert c.sensitive
    for username in ("protection.bamako", "admin"):
        assert complaint_for_read(world.user(username), c.pk) == c
    for username in SENSITIVE_BLIND:
        with pytest.raises(NotFound):
            complaint_for_read(world.user(username), c.pk)
        assert not selectors.complaints_list(world.user(username)).filter(pk=c.pk).exists()
        with pytest.raises(NotFound):
            services.complaint_resolve(by=world.user(username), complaint_id=c.pk, resolution="x")


def test_reading_a_sensitive_complaint_is_logged(world, file):
    c = file(category="protection")
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    services.complaint_content(by=world.user("protection.bamako"), complaint=c)
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before + 1


def test_the_filer_reads_back_an_ordinary_complaint_but_may_not_handle_it(world, file):
    c = file()
    assert complaint_for_read(world.user("reception.bamako"), c.pk) == c
    with pytest.raises(Forbidden):
        services.complaint_acknowledge(by=world.user("reception.bamako"), complaint_id=c.pk)
    with pytest.raises(NotFound):
        complaint_for_read(world.user("caseworker.kayes"), c.pk)


def test_read_only_roles_may_not_file(world, file):
    for username in ("manager.eu", "auditor"):
        with pytest.raises(Forbidden):
            file(by=username)


def test_acknowledge_resolve_appeal_resolve_close(world, file):
    me = world.user("me.iom")
    c = file(on=DAY)
    services.complaint_acknowledge(by=me, complaint_id=c.pk, on=DAY + dt.timedelta(days=1))
    services.complaint_acknowledge(by=me, complaint_id=c.pk, on=DAY + dt.timedelta(days=2))  # retry: no change
    c = services.complaint_resolve(by=me, complaint_id=c.pk, on=DAY + dt.timedelta(days=10), resolution="Payé.")
    assert (c.status, c.acknowledged_on) == ("resolved", DAY + dt.timedelta(days=1))
    resolved = Fact.objects.get(kind=FeedbackEvent.RESOLVED)
    assert resolved.data["days"] == 10 and resolved.data["on_time"] is True
    c = services.complaint_appeal(by=me, complaint_id=c.pk, on=DAY + dt.timedelta(days=12), reason="Montant faux")
    resolved.refresh_from_db()
    assert c.status == "appealed" and resolved.voided_by is not None
    assert c.due_on == DAY + dt.timedelta(days=12 + 14)
    services.complaint_resolve(by=me, complaint_id=c.pk, on=DAY + dt.timedelta(days=20), resolution="Complété.")
    c = services.complaint_close(by=me, complaint_id=c.pk, on=DAY + dt.timedelta(days=21))
    assert c.status == "closed"
    assert services.complaint_content(by=me, complaint=c)["resolution"] == "Complété."
    r = selectors.register(me, start=DAY, end=DAY)
    assert (r["received"], r["resolved"], r["resolved_on_time"], r["median_days_to_resolve"]) == (1, 1, 1, 20)


def test_dates_before_receipt_or_in_the_future_are_refused(world, file):
    c = file(on=DAY)
    me = world.user("me.iom")
    with pytest.raises(ValidationFailed) as err:
        services.complaint_acknowledge(by=me, complaint_id=c.pk, on=DAY - dt.timedelta(days=1))
    assert "on" in err.value.fields
    with pytest.raises(ValidationFailed):
        services.complaint_resolve(by=me, complaint_id=c.pk, on=dt.date(2099, 1, 1), resolution="x")
    with pytest.raises(ValidationFailed) as err:
        services.complaint_resolve(by=me, complaint_id=c.pk, resolution="")
    assert "resolution" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.complaint_close(by=me, complaint_id=c.pk)
    assert "status" in err.value.fields


def test_graded_sensitive_it_leaves_the_handlers_view(world, file):
    c = file()
    me = world.user("me.iom")
    services.complaint_reclassify(by=me, complaint_id=c.pk, category="sexual_exploitation", gravity="high")
    with pytest.raises(NotFound):
        complaint_for_read(me, c.pk)
    c = complaint_for_read(world.user("protection.bamako"), c.pk)
    assert c.sensitive and c.due_on == c.received_on + dt.timedelta(days=7)
    live = Fact.objects.filter(kind=FeedbackEvent.RECEIVED, voided_by__isnull=True)
    assert [f.data["category"] for f in live] == ["sexual_exploitation"]


def test_the_same_key_files_once(world, file):
    first = file(idempotency_key="k")
    again = file(idempotency_key="k", description="Autre chose encore")
    assert first.pk == again.pk and again.replayed
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(("fields", "field"), [
    ({"channel": "pigeon"}, "channel"), ({"category": ""}, "category"), ({"gravity": "extreme"}, "gravity"),
    ({"description": ""}, "description"), ({"description": "x" * 5001}, "description"),
    ({"place": "Atlantide"}, "place"), ({"contact_phone": "12"}, "contact_phone"),
    ({"on": dt.date(2099, 1, 1)}, "received_on"),
])
def test_bad_input_names_the_field_and_writes_nothing(world, file, fields, field):
    with pytest.raises(ValidationFailed) as err:
        file(**fields)
    assert field in err.value.fields
    assert not Complaint.objects.exists() and not Fact.objects.filter(kind=FeedbackEvent.RECEIVED).exists()


def test_a_place_bound_handler_sees_its_place_and_complaints_tied_to_none(world, file):
    gao = file(place="Gao")
    nowhere = file(place="")
    bamako = file()
    seen = set(selectors.complaints_list(world.user("protection.bamako")).values_list("pk", flat=True))
    assert seen == {nowhere.pk, bamako.pk} and gao.pk not in seen
