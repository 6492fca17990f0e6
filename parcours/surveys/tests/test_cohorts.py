"""Follow-up cohorts: the same seed draws the same people, every stratum gets its share, someone
who cannot be reached is replaced from the same stratum, and only the people the drawer may see
are drawn — over the API, the page and the command."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from parcours.cases.models import Case, Orientation
from parcours.facts.services import fact_record
from parcours.surveys.demo import sustainability_xml
from parcours.surveys.models import Cohort, CohortMember
from parcours.surveys.sampling import allocate
from parcours.surveys.services import cohort_draw, cohort_member_drop, form_publish, submission_receive

pytestmark = pytest.mark.django_db
DATA_DIR = __import__("pathlib").Path(__file__).resolve().parents[1] / "data"
SIZES = {("Kayes", "income_individual"): 30, ("Kayes", "training"): 20, ("Sikasso", "cash_grant"): 10}


def _assisted(world, make_person, region, sector, n, *, code="business_kit", on=dt.date(2024, 6, 1)):
    admin = world.user("admin")
    people = []
    for i in range(n):
        person = make_person(by="admin", origin_region=region, given_name=f"{region[:3]}{sector[:3]}{i}")
        case = Case.objects.create(person=person, agency=world.agencies["IOM"], owner=world.user("caseworker.kayes"),
                                   arrived_on=dt.date(2024, 1, 10))
        if sector:
            Orientation.objects.create(case=case, wishes="-", choice=sector, done_on=dt.date(2024, 2, 1), by=admin)
        fact_record(kind="assistance_paid", on=on, person=person, actor=admin, data={"code": code})
        people.append(person)
    return people


@pytest.fixture
def assisted(world, make_person):
    form_publish(by=world.user("admin"), content=(DATA_DIR / "sustainability.md").read_bytes(),
                 filename="sustainability.md", roles=["admin", "caseworker", "me_officer"])
    groups = {key: _assisted(world, make_person, *key, n) for key, n in SIZES.items()}
    # Not in the population: the arrival allowance only, or assisted after the period.
    _assisted(world, make_person, "Kayes", "training", 3, code="arrival_allowance")
    _assisted(world, make_person, "Kayes", "training", 2, on=dt.date(2026, 1, 5))
    return groups


DRAW = {"name": "Suivi 2024", "form": "sustainability", "share": "0.2", "strata": ["region", "sector"],
        "assisted_from": "2024-01-01", "assisted_to": "2024-12-31", "first_wave_on": "2025-06-01", "waves": 3}


def _members(cohort, status=CohortMember.Status.MEMBER):
    return list(CohortMember.objects.filter(cohort=cohort, status=status).order_by("stratum", "rank")
                .values_list("person_id", flat=True))


def test_allocation_is_proportional_and_exact():
    assert allocate({"a": 30, "b": 20, "c": 10}, Decimal("0.2")) == {"a": 6, "b": 4, "c": 2}
    # 0.2 × 17 = 3.4 → 3; remainders 0.4 (a: 7 → 1.4), 0.0 (b: 5 → 1), 0.0 (c: 5 → 1): a keeps 1, total 3.
    assert allocate({"a": 7, "b": 5, "c": 5}, Decimal("0.2")) == {"a": 1, "b": 1, "c": 1}
    # 0.2 × 13 = 2.6 → 3; 1.2, 0.8, 0.6 → floors 1, 0, 0, the largest remainder (b) gets the third.
    assert allocate({"a": 6, "b": 4, "c": 3}, Decimal("0.2")) == {"a": 1, "b": 1, "c": 1}


def test_same_seed_same_cohort_and_reserve_order(assisted, world):
    me = world.user("me.iom")
    first = cohort_draw(by=me, data={**DRAW, "seed": 42})
    second = cohort_draw(by=me, data={**DRAW, "seed": 42})
    assert _members(first) == _members(second) and len(_members(first)) == 12
    assert _members(first, "reserve") == _members(second, "reserve")
    other = cohort_draw(by=me, data={**DRAW, "seed": 43})
    assert set(_members(other)) != set(_members(first))
    # No seed given: one is chosen and kept, so the draw can be repeated.
    assert cohort_draw(by=me, data=DRAW).seed >= 0


def test_each_stratum_gets_its_share_and_only_the_assisted_are_drawn(assisted, world):
    cohort = cohort_draw(by=world.user("me.iom"), data={**DRAW, "seed": 7})
    counts = {}
    for stratum, status in CohortMember.objects.filter(cohort=cohort).values_list("stratum", "status"):
        counts.setdefault(stratum, {"member": 0, "reserve": 0})[status] += 1
    assert counts == {"Kayes|income_individual": {"member": 6, "reserve": 24},
                      "Kayes|training": {"member": 4, "reserve": 16},
                      "Sikasso|cash_grant": {"member": 2, "reserve": 8}}
    everyone = {p.pk for group in assisted.values() for p in group}
    assert set(CohortMember.objects.filter(cohort=cohort).values_list("person_id", flat=True)) == everyone
    by_region = cohort_draw(by=world.user("me.iom"), data={**DRAW, "seed": 7, "strata": ["region"]})
    assert sorted(CohortMember.objects.filter(cohort=by_region, status="member").values_list("stratum", flat=True)
                  ) == ["Kayes"] * 10 + ["Sikasso"] * 2


def test_replacement_comes_from_the_same_stratum_in_reserve_order(assisted, world):
    me = world.user("me.iom")
    cohort = cohort_draw(by=me, data={**DRAW, "seed": 3})
    reserve = _members_of(cohort, "Sikasso|cash_grant", "reserve")
    gone = _members_of(cohort, "Sikasso|cash_grant", "member")[0]
    dropped, replacement = cohort_member_drop(by=me, cohort_id=cohort.pk, person_id=gone,
                                              data={"reason": "unreachable"})
    assert dropped.status == "dropped" and dropped.reason == "unreachable"
    assert replacement.person_id == reserve[0] and replacement.stratum == "Sikasso|cash_grant"
    assert replacement.replaces == dropped
    assert len(_members_of(cohort, "Sikasso|cash_grant", "member")) == 2
    # Dropped twice: it is no longer a member.
    from parcours.core.errors import NotFound

    with pytest.raises(NotFound):
        cohort_member_drop(by=me, cohort_id=cohort.pk, person_id=gone, data={"reason": "unreachable"})
    # Exhaust the reserve: the last one leaves without a replacement.
    for _n in range(8):  # seven reserves left: the eighth leaves a hole
        member = _members_of(cohort, "Sikasso|cash_grant", "member")[0]
        _dropped, last = cohort_member_drop(by=me, cohort_id=cohort.pk, person_id=member, data={"reason": "refused"})
    assert last is None and len(_members_of(cohort, "Sikasso|cash_grant", "member")) == 1


def _members_of(cohort, stratum, status):
    return list(CohortMember.objects.filter(cohort=cohort, stratum=stratum, status=status).order_by("rank")
                .values_list("person_id", flat=True))


def test_waves_count_who_answered_each_year(assisted, world):
    me = world.user("me.iom")
    cohort = cohort_draw(by=me, data={**DRAW, "seed": 5})
    first = _members(cohort)[0]
    answers = dict.fromkeys(("economic/income_enough", "economic/debt_managed", "social/community_support", "social/services_access", "psychosocial/wellbeing", "psychosocial/wish_to_stay"), 3)
    submission_receive(by=me, xml=sustainability_xml(instance_id="w1", person_id=first, today=dt.date(2025, 7, 1),
                                                     answers=answers))
    from parcours.surveys.selectors import cohort_waves

    waves = cohort_waves(cohort)
    assert [(w.number, w.starts_on, w.surveyed, w.members) for w in waves] == [
        (1, dt.date(2025, 6, 1), 1, 12), (2, dt.date(2026, 6, 1), 0, 12), (3, dt.date(2027, 6, 1), 0, 12)]


def test_api_draw_read_replace_and_scope(assisted, world, api_client):
    from parcours.accounts.models import Role, User

    me = api_client("me.iom", "en")
    created = me.post("/api/v1/surveys/cohorts", {**DRAW, "share": 0.2, "seed": 11}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["seed"] == 11 and sum(s["members"] for s in body["by_stratum"]) == 12 and len(body["schedule"]) == 3
    url = f"/api/v1/surveys/cohorts/{body['id']}"
    assert me.get("/api/v1/surveys/cohorts").json()["count"] == 1
    members = me.get(f"{url}/members?status=member").json()["results"]
    assert len(members) == 12
    swap = me.post(f"{url}/members/{members[0]['person']}/replacement", {"reason": "moved"},
                   content_type="application/json")
    assert swap.status_code == 201 and swap.json()["replacement"]["replaces"] == members[0]["person"]
    assert swap.json()["replacement"]["stratum"] == members[0]["stratum"]
    bad = me.post("/api/v1/surveys/cohorts", {**DRAW, "share": 2, "assisted_to": "2023-01-01"},
                  content_type="application/json")
    assert bad.status_code == 400 and {"share", "assisted_to"} <= set(bad.json()["error"]["fields"])
    # Another agency's M&E officer: not their cohort, and none of the people they may see was assisted.
    User.objects.create_user("me.ajdm", password="parcours-demo", role=Role.ME_OFFICER,  # noqa: S106
                             agency=world.agencies["AJDM"])
    other = api_client("me.ajdm", "en")
    assert other.get(url).status_code == 404 and other.get(f"{url}/members").status_code == 404
    assert other.get("/api/v1/surveys/cohorts").json()["count"] == 0
    assert other.post(f"{url}/members/{members[1]['person']}/replacement", {"reason": "moved"},
                      content_type="application/json").status_code == 404
    refused = other.post("/api/v1/surveys/cohorts", {**DRAW, "seed": 11}, content_type="application/json")
    assert refused.status_code == 400 and "assisted_from" in refused.json()["error"]["fields"]
    for username in ("caseworker.kayes", "partner.cfpm", "manager.eu", "reception.bamako"):
        client = api_client(username)
        assert client.get(url).status_code == 404
        assert client.get("/api/v1/surveys/cohorts").json()["count"] == 0
        assert client.post("/api/v1/surveys/cohorts", {**DRAW, "seed": 1},
                           content_type="application/json").status_code == 403
    # The auditor reads, and may not replace.
    auditor = api_client("auditor")
    assert auditor.get(url).status_code == 200
    assert auditor.post(f"{url}/members/{members[1]['person']}/replacement", {"reason": "moved"},
                        content_type="application/json").status_code == 403


def test_command_draws_shows_and_replaces(assisted, world, capsys):
    call_command("cohort", "draw", "--name", "CLI", "--from", "2024-01-01", "--to", "2024-12-31",
                 "--first-wave", "2025-06-01", "--seed", "42", "--as", "me.iom")
    cohort = Cohort.objects.get(name="CLI")
    out = capsys.readouterr().out
    assert "seed 42" in out and "2 of 10" in out
    cohort_again = cohort_draw(by=world.user("me.iom"), data={**DRAW, "seed": 42})
    assert _members(cohort) == _members(cohort_again)
    person = _members(cohort)[0]
    call_command("cohort", "replace", str(cohort.pk), str(person), "--reason", "unreachable", "--as", "me.iom")
    assert "replaced by" in capsys.readouterr().out
    call_command("cohort", "show", str(cohort.pk), "--members", "--as", "me.iom")
    assert "dropped\tunreachable" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("cohort", "show", str(cohort.pk), "--as", "caseworker.kayes")


def test_pages_for_me_and_404_for_others(assisted, world, web_client):
    me = web_client("me.iom", "en")
    assert me.get("/questionnaires/cohorts/").status_code == 200
    drawn = me.post("/questionnaires/cohorts/", {**DRAW, "seed": "9"})
    assert drawn.status_code == 302
    cohort = Cohort.objects.get()
    page = me.get(drawn["Location"]).content.decode()
    assert "Sikasso · cash grant" in page and "12" in page
    invalid = me.post("/questionnaires/cohorts/", {**DRAW, "share": "5"})
    assert invalid.status_code == 400 and Cohort.objects.count() == 1
    person = _members(cohort)[0]
    assert me.post(f"/questionnaires/cohorts/{cohort.pk}/replace", {"person": person, "reason": "refused"}
                   ).status_code == 302
    assert CohortMember.objects.get(cohort=cohort, person_id=person).status == "dropped"
    for username in ("caseworker.kayes", "partner.cfpm", "manager.eu"):
        client = web_client(username)
        assert client.get("/questionnaires/cohorts/").status_code == 404
        assert client.get(f"/questionnaires/cohorts/{cohort.pk}/").status_code == 404
        assert client.post(f"/questionnaires/cohorts/{cohort.pk}/replace",
                           {"person": _members(cohort)[0], "reason": "refused"}).status_code == 404
    auditor = web_client("auditor")
    assert auditor.get(f"/questionnaires/cohorts/{cohort.pk}/").status_code == 200
    assert auditor.post(f"/questionnaires/cohorts/{cohort.pk}/replace",
                        {"person": _members(cohort)[0], "reason": "refused"}).status_code == 403
