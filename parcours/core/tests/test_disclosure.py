"""What a reader learns about a person they may see is filtered by the same policies as the records
(issue 8, finding 2): timeline lines by their kind's sensitivity, panels like the facts that record
them. The walk records a fact of every registered kind on one referred person and asks as every role."""

import re

import pytest

from parcours.facts.kinds import REGISTRY, Sensitivity, kinds_up_to
from parcours.facts.policies import sensitivity_ceiling
from parcours.referrals.tests.conftest import consent, directory, refer, welding  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

# Words in a kind that say what it is about; a kind that names them may not be less sensitive.
PROTECTION_WORDS = re.compile(r"protection|best_interest|screen|traffick|care_received|vulnerab|gbv|abuse")
PROGRAMME_WORDS = re.compile(r"paid|payment|reversed|reversal|assistance|ledger|eligib|debt|case_|household|"
                             r"migration|document|merged|avr\.|stay")


def test_every_kind_is_at_least_as_sensitive_as_what_it_names():
    weak = [k for k, s in REGISTRY.items() if PROTECTION_WORDS.search(k) and s.sensitivity < Sensitivity.PROTECTION]
    assert not weak, f"kinds about protection readable beyond the protection readers: {weak}"
    weak = [k for k, s in REGISTRY.items() if PROGRAMME_WORDS.search(k) and s.sensitivity < Sensitivity.PROGRAMME]
    assert not weak, f"kinds about assistance or case steps readable by a service provider: {weak}"


@pytest.fixture
def referred(world, refer):  # noqa: F811 - fixture imported above
    """A person referred to CFPM, with one fact of every registered kind (amounts, protection…)."""
    from parcours.facts.services import fact_record

    referral = refer()
    person = referral.person
    data = {"amount": "987654", "code": "arrival_allowance", "tranche": 1, "reason": "SECRET-REASON",
            "route": "SECRET-ROUTE", "name": "SECRET-NAME", "component": "SECRET-COMPONENT", "status": "x",
            "service": "soudure", "agency": "CFPM", "centre": "SECRET-CENTRE", "outcome": "x", "other": "x"}
    for kind, spec in REGISTRY.items():
        if spec.person_required:
            fact_record(kind=kind, person=person, actor=world.user("me.iom"), amount_xof=987654, data=data)
    return person


def test_the_timeline_shows_each_role_only_what_its_ceiling_allows(world, referred, api_client, web_client):
    from parcours.people.policies import people_visible_to

    for username, user in world.users.items():
        if not people_visible_to(user).filter(pk=referred.pk).exists():
            continue
        allowed = set(kinds_up_to(sensitivity_ceiling(user)))
        response = api_client(username).get(f"/api/v1/people/{referred.pk}/timeline")
        assert response.status_code == 200, username
        kinds = {line["kind"] for line in response.json()}
        assert kinds <= allowed, f"{username} reads {kinds - allowed}"


def test_a_service_provider_learns_no_payment_protection_or_eligibility(world, referred, api_client, web_client,
                                                                        make_person):
    from parcours.assistance.services import load_demo_schemes
    from parcours.people.services import household_add

    load_demo_schemes()
    household_add(by=world.user("reception.bamako"), person_id=referred.pk,
                  data={"relationship": "child", "given_name": "SECRETCHILD", "family_name": "Traoré", "birth_year": 2015})
    api = api_client("partner.cfpm", "fr")
    kinds = {line["kind"] for line in api.get(f"/api/v1/people/{referred.pk}/timeline").json()}
    assert not kinds & {"assistance_paid", "assistance_reversed", "case_protection", "case_best_interest",
                        "case_screened", "household_added", "migration_added"}
    for part in ("eligibility", "household", "migrations", "documents"):
        assert api.get(f"/api/v1/people/{referred.pk}/{part}").status_code == 403, part
    page = web_client("partner.cfpm", "fr").get(f"/people/{referred.pk}/").content.decode()
    for secret in ("987654", "SECRET", "protection", "Protection", "intérêt supérieur"):
        assert secret not in page, secret
    panel = web_client("partner.cfpm", "fr").get(f"/assistance/people/{referred.pk}/")
    if panel.status_code == 200:
        body = panel.content.decode()
        assert "987654" not in body and "arrival" not in body.lower() and "arrivée" not in body.lower()
    # Programme staff still read all of it.
    staff = api_client("reception.bamako")
    assert staff.get(f"/api/v1/people/{referred.pk}/household").json()[0]["given_name"] == "SECRETCHILD"
    assert api_client("me.iom").get(f"/api/v1/people/{referred.pk}/eligibility").status_code == 200
