"""Forms linked to what they are about — a person, a case, a centre stay, a sensitization activity,
a flow point — by the question naming it, each checked through its own domain's policy; and to the
roles and the place that may fill them."""

import datetime as dt

import pytest
from django.core.management import call_command

from parcours.core.errors import NotFound
from parcours.facts.models import Fact
from parcours.surveys.models import Form, Submission
from parcours.surveys.policies import forms_fillable_by
from parcours.surveys.services import form_publish, submission_receive

pytestmark = pytest.mark.django_db


def xlsform(form_id, field):
    return (f"| survey |\n| | type | name | label |\n| | today | today | |\n| | text | {field} | About |\n"
            f"| | select_one yn | useful | Useful? |\n| choices |\n| | list_name | name | label |\n"
            f"| | yn | yes | Yes |\n| | yn | no | No |\n| settings |\n| | form_id | version |\n| | {form_id} | 1 |\n"
            ).encode()


def answer(form_id, field, ref, iid):
    return (f'<data id="{form_id}" version="1"><today>2026-04-02</today><{field}>{ref}</{field}><useful>yes</useful>'
            f"<meta><instanceID>uuid:{iid}</instanceID></meta></data>").encode()


def publish(world, form_id, field, roles, place=None):
    return form_publish(by=world.user("admin"), content=xlsform(form_id, field), filename=f"{form_id}.md",
                        roles=roles, place=place).form


def test_subject_follows_the_question_naming_it(world):
    subjects = {field: publish(world, f"f_{field}", field, ["admin"]).subject
                for field in ("person_id", "case_id", "stay_id", "activity_id", "point")}
    assert subjects == {"person_id": "person", "case_id": "case", "stay_id": "stay", "activity_id": "activity",
                        "point": "point"}
    assert publish(world, "f_none", "village", ["admin"]).subject == Form.Subject.NONE


def test_a_case_form_lands_on_the_persons_timeline_for_those_who_see_the_case(world, make_person):
    from parcours.cases.services import case_open

    publish(world, "case_visit", "case_id", ["caseworker"])
    person = make_person(by="caseworker.kayes", origin_region="Kayes")
    case = case_open(by=world.user("caseworker.kayes"), person_id=person.pk, arrived_on=dt.date(2026, 1, 5))
    saved, created = submission_receive(by=world.user("caseworker.kayes"),
                                        xml=answer("case_visit", "case_id", case.pk, "c1"))
    assert created and saved.person == person and (saved.subject_type, saved.subject_id) == ("case", str(case.pk))
    assert saved.by_own_caseworker is True
    assert Fact.objects.get(kind="surveys.answered", person=person).occurred_on == dt.date(2026, 4, 2)
    with pytest.raises(NotFound):  # another agency's case worker does not see the case
        submission_receive(by=world.user("caseworker.ajdm"), xml=answer("case_visit", "case_id", case.pk, "c2"))


def test_activity_and_point_forms_name_their_record(world):
    from parcours.accounts.models import Place
    from parcours.flows.services import point_upsert
    from parcours.outreach.services import activity_record

    publish(world, "talk_feedback", "activity_id", ["focal_point"])
    publish(world, "point_check", "point", ["enumerator"])
    activity = activity_record(by=world.user("focal.sikasso"), on=dt.date(2026, 3, 1), commune="Sikasso",
                               kind="proximity_talk", theme="irregular_migration_risks", audience="community",
                               participants_male=10, participants_female=12)
    saved, _created = submission_receive(by=world.user("focal.sikasso"),
                                         xml=answer("talk_feedback", "activity_id", activity.pk, "a1"))
    assert (saved.subject_type, saved.subject_id, saved.person) == ("activity", str(activity.pk), None)
    point_upsert(place=Place.objects.get(code="GAO-FMP"), enumerators=[world.user("enumerator.gao")])
    saved, _created = submission_receive(by=world.user("enumerator.gao"), xml=answer("point_check", "point", "GAO-FMP",
                                                                                     "p1"))
    assert (saved.subject_type, saved.subject_id) == ("point", "GAO-FMP")
    with pytest.raises(NotFound):
        submission_receive(by=world.user("enumerator.gao"), xml=answer("point_check", "point", "NOPE", "p2"))
    assert Submission.objects.count() == 2


def test_a_form_for_a_place_is_for_people_working_inside_it(world, tmp_path):
    from parcours.accounts.models import Place

    path = tmp_path / "kayes_only.md"
    path.write_bytes(xlsform("kayes_only", "person_id"))
    kayes = Place.objects.get(kind="region", name="Kayes")
    call_command("forms", "import", str(path), "--roles", "caseworker", "--place", kayes.code)
    assert Form.objects.get(form_id="kayes_only").place == kayes
    assert "kayes_only" in [f.form_id for f in forms_fillable_by(world.user("caseworker.kayes"))]
    assert "kayes_only" not in [f.form_id for f in forms_fillable_by(world.user("caseworker.ajdm"))]


def test_a_centre_stay_form_lands_on_the_residents_timeline(world, make_person):
    from django.utils import timezone

    from parcours.centres import services as centres
    from parcours.centres.demo import load_demo_centres

    load_demo_centres()
    publish(world, "stay_exit", "stay_id", ["centre_manager"])
    migrant = make_person(by="centre.gao", given_name="Mamadou", family_name="Camara", nationality="GN")
    stay = centres.stay_begin(by=world.user("centre.gao"), centre_code="GAO-PC", person_id=migrant.pk,
                              data={"entered_on": timezone.localdate() - dt.timedelta(days=3), "services": ["food"]})
    saved, _created = submission_receive(by=world.user("centre.gao"), xml=answer("stay_exit", "stay_id", stay.pk, "s1"))
    assert (saved.subject_type, saved.subject_id, saved.person) == ("stay", str(stay.pk), migrant)
    assert Fact.objects.filter(kind="surveys.answered", person=migrant).exists()
    with pytest.raises(NotFound):  # a stay id that is not one
        submission_receive(by=world.user("centre.gao"), xml=answer("stay_exit", "stay_id", "not-a-stay", "s2"))


def test_a_form_for_a_place_is_offered_inside_it_and_not_outside(world, tmp_path):
    """Inside the place (at it or below it) the form is offered; in another region, or in a commune
    of another region, it is not; a user working everywhere sees it."""
    from parcours.accounts.models import Place, Role, User

    path = tmp_path / "kayes_only.md"
    path.write_bytes(xlsform("kayes_only", "person_id"))
    kayes = Place.objects.get(kind="region", name="Kayes")
    call_command("forms", "import", str(path), "--place", kayes.code)
    below = Place.objects.filter(path__startswith=kayes.path).exclude(pk=kayes.pk).order_by("-path").first()
    elsewhere = Place.objects.filter(kind="region").exclude(pk=kayes.pk).first()
    elsewhere_below = Place.objects.filter(path__startswith=elsewhere.path).exclude(pk=elsewhere.pk).first()
    assert below is not None and elsewhere_below is not None

    def user_in(place, name):
        return User.objects.create(username=name, role=Role.ENUMERATOR, place=place)

    def offered(user):
        return "kayes_only" in [f.form_id for f in forms_fillable_by(user)]

    assert offered(user_in(kayes, "at.kayes")) and offered(user_in(below, "inside.kayes"))
    assert not offered(user_in(elsewhere, "other.region")) and not offered(user_in(elsewhere_below, "other.below"))
    assert offered(world.user("me.iom")) or world.user("me.iom").place_id is not None


def test_the_upload_page_sets_who_a_form_is_for(web_client, world, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parcours.accounts.models import Place

    kayes = Place.objects.get(kind="region", name="Kayes")
    client = web_client("me.iom")
    page = client.get("/questionnaires/").content.decode()
    assert 'name="roles"' in page and 'name="place"' in page
    done = client.post("/questionnaires/publish", {
        "file": SimpleUploadedFile("kayes_visit.md", xlsform("kayes_visit", "person_id")),
        "roles": ["caseworker", "enumerator"], "place": kayes.path}, follow=True)
    form = Form.objects.get(form_id="kayes_visit")
    assert (sorted(form.roles), form.place) == (["caseworker", "enumerator"], kayes)
    assert "Kayes" in done.content.decode()
    assert "kayes_visit" in [f.form_id for f in forms_fillable_by(world.user("caseworker.kayes"))]
    assert "kayes_visit" not in [f.form_id for f in forms_fillable_by(world.user("reception.bamako"))]
    # Publishing again with nothing chosen keeps who it is for; "everyone" opens it.
    client.post("/questionnaires/publish", {"file": SimpleUploadedFile("kayes_visit.md", xlsform("kayes_visit", "person_id"))})
    form.refresh_from_db()
    assert form.place == kayes
    client.post("/questionnaires/publish", {
        "file": SimpleUploadedFile("kayes_visit.md", xlsform("kayes_visit", "person_id")), "audience": "everyone"})
    form.refresh_from_db()
    assert (form.roles, form.place) == ([], None)
    refused = client.post("/questionnaires/publish", {
        "file": SimpleUploadedFile("kayes_visit.md", xlsform("kayes_visit", "person_id")), "roles": ["auditor"]},
        follow=True).content.decode()
    assert "Rempli par" in refused
