"""Reviewing and merging duplicates: decisions stick, merges move everything and can be undone,
and a reviewer never sees a pair outside their scope."""

import pytest
from django.utils import timezone

from parcours.core.errors import Conflict
from parcours.dedup.models import DuplicatePair
from parcours.dedup.services import merge_undo, pair_review, pair_suggest, person_references, persons_merge
from parcours.people.models import Person
from parcours.people.services import consent_record, household_add


@pytest.fixture
def twins(make_person):
    a = make_person(given_name="Mamadou", family_name="Keita", birth_year="1994", phone="76123456",
                    origin_region="Kayes")
    b = make_person(given_name="Mahamadou", family_name="Keïta", birth_year="1994", phone="76123456",
                    origin_region="Kayes")
    return a, b


def test_registration_queues_its_possible_duplicates(api_client, make_person):
    first = make_person(given_name="Mamadou", family_name="Keita", birth_year="1994", phone="76123456")
    response = api_client("reception.bamako").post("/api/v1/people", {
        "given_name": "Mahamadou", "family_name": "Keïta", "birth_year": 1994, "phone": "76123456"},
        content_type="application/json")
    pair = DuplicatePair.objects.get()
    assert {str(pair.person_a_id), str(pair.person_b_id)} == {str(first.pk), response.json()["id"]}
    assert pair.status == "pending" and pair.source == "registration"


def test_a_rejected_pair_never_comes_back(world, twins):
    a, b = twins
    pair = pair_suggest(person_a_id=a.pk, person_b_id=b.pk, score=0.9, reasons=[], source="batch")
    pair_review(by=world.user("reception.bamako"), pair_id=pair.pk, decision="reject")
    again = pair_suggest(person_a_id=b.pk, person_b_id=a.pk, score=0.99, reasons=[], source="registration")
    assert again.pk == pair.pk and again.status == "rejected"
    assert DuplicatePair.objects.count() == 1
    with pytest.raises(Conflict):
        persons_merge(by=world.user("reception.bamako"), pair_id=pair.pk, survivor_id=a.pk)


def test_merge_moves_every_record_and_undo_restores_exactly(world, twins):
    a, b = twins
    reception = world.user("reception.bamako")
    household_add(by=reception, person_id=b.pk, data={"relationship": "child", "given_name": "Awa", "birth_year": 2015})
    consent_record(by=reception, person=b, scope="collection", granted=True, given_on=timezone.localdate())
    before = {(m._meta.label_lower, f): set(m.objects.filter(**{f: b}).values_list("pk", flat=True))
              for m, f in person_references()}
    pair = pair_suggest(person_a_id=a.pk, person_b_id=b.pk, score=0.9, reasons=[], source="batch")
    merge = persons_merge(by=reception, pair_id=pair.pk, survivor_id=a.pk)
    # Given the merge, nothing refers to the merged record any more; it is hidden from lists.
    for model, field in person_references():
        assert not model.objects.filter(**{field: b}).exists(), model
    assert a.household.filter(given_name="Awa").exists()
    b.refresh_from_db()
    assert b.merged_into_id == a.pk
    assert str(b.pk) not in {p.pk for p in Person.objects.filter(merged_into__isnull=True)}
    # When undone, every row is back where it was.
    merge_undo(by=reception, merge_id=merge.pk)
    after = {(m._meta.label_lower, f): set(m.objects.filter(**{f: b}).values_list("pk", flat=True))
             for m, f in person_references()}
    kinds = {k: v for k, v in after.items() if k != ("people.event", "person")}
    assert kinds == {k: v for k, v in before.items() if k != ("people.event", "person")}
    b.refresh_from_db()
    assert b.merged_into_id is None
    with pytest.raises(Conflict):
        merge_undo(by=reception, merge_id=merge.pk)


def test_merged_person_leaves_lists_and_search(api_client, world, twins):
    a, b = twins
    pair = pair_suggest(person_a_id=a.pk, person_b_id=b.pk, score=0.9, reasons=[], source="batch")
    client = api_client("reception.bamako")
    assert client.get("/api/v1/people?q=keita").json()["count"] == 2
    response = client.post(f"/api/v1/duplicates/{pair.pk}/merge", {"survivor": str(a.pk)},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert client.get("/api/v1/people?q=keita").json()["count"] == 1
    assert client.get(f"/api/v1/people/{b.pk}").status_code == 404
    undo = client.post(f"/api/v1/duplicates/merges/{response.json()['id']}/undo")
    assert undo.status_code == 200 and client.get("/api/v1/people?q=keita").json()["count"] == 2


def test_reviewer_never_sees_a_pair_outside_scope(api_client, web_client, make_person):
    kayes = make_person(by="caseworker.kayes", given_name="Moussa", family_name="Sissoko", birth_year="1990",
                        origin_region="Kayes")
    bamako = make_person(by="reception.bamako", given_name="Moussa", family_name="Cissoko", birth_year="1990")
    pair = pair_suggest(person_a_id=kayes.pk, person_b_id=bamako.pk, score=0.8, reasons=[], source="batch")
    reception = api_client("reception.bamako")
    assert reception.get("/api/v1/duplicates").json()["count"] == 0
    assert reception.get(f"/api/v1/duplicates/{pair.pk}").status_code == 404
    assert reception.post(f"/api/v1/duplicates/{pair.pk}/review", {"decision": "reject"},
                          content_type="application/json").status_code == 404
    assert web_client("reception.bamako").get(f"/duplicates/{pair.pk}/").status_code == 404
    assert api_client("me.iom").get("/api/v1/duplicates").json()["count"] == 1
    for username in ("caseworker.kayes", "partner.cfpm", "manager.eu"):
        assert api_client(username).get(f"/api/v1/duplicates/{pair.pk}").status_code == 404
    auditor = api_client("auditor")
    assert auditor.get(f"/api/v1/duplicates/{pair.pk}").status_code == 200
    assert auditor.post(f"/api/v1/duplicates/{pair.pk}/review", {"decision": "reject"},
                        content_type="application/json").status_code == 403
    assert DuplicatePair.objects.get().status == "pending"


def test_bad_decision_is_named(api_client, twins):
    a, b = twins
    pair = pair_suggest(person_a_id=a.pk, person_b_id=b.pk, score=0.9, reasons=[], source="batch")
    response = api_client("reception.bamako", language="en").post(
        f"/api/v1/duplicates/{pair.pk}/review", {"decision": "maybe"}, content_type="application/json")
    assert response.status_code == 400 and "decision" in response.json()["error"]["fields"]


def test_scan_queues_pairs_and_skips_decided_ones(world, make_person, django_capture_on_commit_callbacks):
    from parcours.jobs.models import Job
    from parcours.jobs.services import job_start

    a = make_person(given_name="Seydou", family_name="Traoré", birth_date="1990-05-04", birth_year="", phone="76000011")
    make_person(given_name="Seidou", family_name="Traore", birth_date="1990-05-04", birth_year="", phone="76000011")
    c = make_person(given_name="Awa", family_name="Diarra", birth_date="1985-01-02", birth_year="", phone="66000022", sex="F")
    d = make_person(given_name="Awa", family_name="Diara", birth_date="1985-01-02", birth_year="", phone="66000022", sex="F")
    rejected = pair_suggest(person_a_id=c.pk, person_b_id=d.pk, score=0.9, reasons=[], source="manual")
    pair_review(by=world.user("reception.bamako"), pair_id=rejected.pk, decision="reject")
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(by=world.user("reception.bamako"), kind="dedupe_registry")
    job = Job.objects.get(pk=job.pk)
    assert job.status == "done" and job.result["queued"] == 1, job.result
    pending = DuplicatePair.objects.get(status="pending")
    assert a.pk in (pending.person_a_id, pending.person_b_id)
    assert DuplicatePair.objects.get(pk=rejected.pk).status == "rejected"


def test_overlap_warning_when_both_received_the_same_assistance(world, twins):
    from parcours.dedup.checks import overlap_warnings

    a, b = twins
    assert overlap_warnings(a, b) == []
    # Any model related to Person with a scheme field counts; the assistance ledger is one.
    from parcours.assistance.services import load_demo_schemes, payment_record

    load_demo_schemes()
    caseworker = world.user("admin")
    for person in (a, b):
        Person.objects.filter(pk=person.pk).update(return_date="2019-10-03")
        payment_record(by=caseworker, person_id=person.pk, data={
            "scheme": "arrival_allowance", "tranche": 1, "paid_on": "2019-10-03", "channel": "cash",
            "proof_reference": "R-1"})
    warnings = overlap_warnings(a, b)
    assert warnings and "arrival_allowance" in warnings[0]


@pytest.mark.parametrize("username", ["caseworker.kayes", "partner.cfpm", "auditor", "manager.eu"])
def test_registry_scan_command_refuses_a_user_who_is_not_a_reviewer(world, make_person, username):
    from django.core.management import CommandError, call_command

    make_person(given_name="Seydou", family_name="Traoré", birth_date="1990-05-04", birth_year="", phone="76000011")
    make_person(given_name="Seidou", family_name="Traore", birth_date="1990-05-04", birth_year="", phone="76000011")
    with pytest.raises(CommandError):
        call_command("dedupe_registry", "--as", username)
    assert not DuplicatePair.objects.exists()


def test_registry_scan_command_queues_pairs_for_a_reviewer(world, make_person, capsys):
    from django.core.management import call_command

    make_person(given_name="Seydou", family_name="Traoré", birth_date="1990-05-04", birth_year="", phone="76000011")
    make_person(given_name="Seidou", family_name="Traore", birth_date="1990-05-04", birth_year="", phone="76000011")
    call_command("dedupe_registry", "--as", "reception.bamako")
    assert DuplicatePair.objects.filter(status="pending").count() == 1
