"""The small world the authorization matrix runs in: the demo places, agencies and users (the
root conftest's loaders), and one record of each kind a route can name, made through the services
as the demo users would. Each record belongs to one agency and one place, so the roles of other
agencies and places see it as missing (404) — the matrix exercises scope, not only roles.

Who made what (the scope that follows from it):
- `person`: a returnee from Kayes registered by caseworker.kayes (IOM, Kayes), with a case walked
  to its follow-ups, a payment, a visit, a consent to share with CFPM and a referral to its
  welding course (so partner.cfpm sees them); another Kayes returnee as a possible duplicate, and a
  merge of a third one.
- `migrant`: a Guinean migrant registered by centre.gao, staying at the Gao centre, asking to go
  home, booked on a bus departure.
- complaints: one about assistance (any complaints handler) and one about protection (restricted).
- a sensitization activity of focal.sikasso, a grant G-1 of the M&E officer to AJDM (Kayes) with its reports, a flow count at Gao FMP and its published report, a
  place name the gazetteer did not know, a job of reception.bamako, a follow-up reminder, a donor
  report of me.iom; `user_id` names reception.bamako's account."""

import contextlib
import datetime as dt

from django.db import transaction
from django.utils import timezone


class World:
    def __init__(self, users):
        self.users = users

    def user(self, username):
        return self.users[username]


@contextlib.contextmanager
def world_once(django_db_blocker):
    """For a module-scoped fixture: the demo places, agencies and users (as the root conftest's
    `world`) and the records of `build`, in a transaction rolled back when the module is done.
    Yields (world, values)."""
    from parcours.demo.loader import load_agencies, load_places, load_users

    with django_db_blocker.unblock(), transaction.atomic():
        places = load_places()
        agencies = load_agencies()
        world = World(load_users(places, agencies))
        values = build(world)
        yield world, values
        transaction.set_rollback(True)


def build(world) -> dict:
    """Make the records; return the value of every path parameter a route may have."""
    from parcours.accounts.models import Agency
    from parcours.assistance.services import load_demo_schemes, payment_record, visit_record
    from parcours.cases import services as cases
    from parcours.cases.models import Reminder
    from parcours.centres import services as centres
    from parcours.centres.demo import load_demo_centres
    from parcours.dedup.services import pair_suggest, persons_merge
    from parcours.feedback.services import complaint_file
    from parcours.flows.services import count_record, point_upsert, report_publish
    from parcours.jobs.models import Job
    from parcours.logframe.services import logframe_load
    from parcours.outreach.services import activity_record
    from parcours.people.services import access_grant, consent_record, person_create
    from parcours.people.validation import validate_person
    from parcours.places.services import unresolved_place_note
    from parcours.referrals.demo import load_demo_services
    from parcours.referrals.models import Service
    from parcours.referrals.services import referral_create
    from parcours.surveys.demo import load_demo_forms
    from parcours.surveys.models import Form

    user = world.user
    today = timezone.localdate()
    load_demo_schemes()
    load_demo_services()
    load_demo_centres()
    logframe_load()
    load_demo_forms()

    def register(by, **fields):
        data = {"given_name": "Seydou", "family_name": "Diarra", "sex": "M", "birth_date": "1990-03-01",
                "birth_year": "1990", **fields}
        return person_create(by=user(by), cleaned=validate_person(data))

    kayes = "caseworker.kayes"
    person = register(kayes, origin_region="Kayes", return_date="2020-01-10", returned_from="LY")
    twin = register(kayes, given_name="Seydou", family_name="Diara", origin_region="Kayes",
                    return_date="2020-01-10")
    merged_a = register(kayes, given_name="Oumar", family_name="Sissoko", origin_region="Kayes")
    merged_b = register(kayes, given_name="Oumar", family_name="Sisoko", origin_region="Kayes")
    pair = pair_suggest(person_a_id=person.pk, person_b_id=twin.pk, score=0.93, reasons=[], source="test")
    merge_pair = pair_suggest(person_a_id=merged_a.pk, person_b_id=merged_b.pk, score=0.97, reasons=[],
                              source="test")
    merge = persons_merge(by=user("me.iom"), pair_id=merge_pair.pk, survivor_id=merged_a.pk)

    # The case, walked to its follow-ups (planned long ago, so a reminder is due).
    case = cases.case_open(by=user(kayes), person_id=person.pk, arrived_on=dt.date(2020, 1, 10))
    cases.screening_record(by=user(kayes), case_id=case.pk, answers={})
    cases.orientation_record(by=user(kayes), case_id=case.pk, data={"wishes": "soudure", "choice": "training"})
    component = cases.component_add(by=user(kayes), case_id=case.pk,
                                    data={"kind": "vocational_training", "planned_start": "2020-02-01"})
    follow_up = case.follow_ups.order_by("due_on").first()
    cases.follow_up_reminders(today)
    reminder = Reminder.objects.filter(follow_up__case=case).order_by("pk").first()

    entry = payment_record(by=user(kayes), person_id=person.pk, data={
        "scheme": "business_kit", "tranche": 1, "paid_on": "2024-05-02", "channel": "cash",
        "proof_reference": "REC-1"}).entry
    visit_record(by=user(kayes), person_id=person.pk, data={
        "scheme": "business_kit", "tranche": 1, "visited_on": "2024-06-01", "visitor": "Fatoumata Diallo",
        "outcome": "verified"})

    service = Service.objects.get(code="cfpm-soudure-2026-10")
    cfpm = Agency.objects.get(code="CFPM")
    consent_record(by=user(kayes), person=person, scope="sharing", granted=True, given_on=today, agency=cfpm)
    referral = referral_create(by=user(kayes), person=person, service=service)
    access_grant(by=user(kayes), person=person, agency=cfpm, reason="referred")

    # The centre side.
    migrant = register("centre.gao", given_name="Mamadou", family_name="Camara", nationality="GN",
                       birth_date="1998-05-05", birth_year="1998")
    stay = centres.stay_begin(by=user("centre.gao"), centre_code="GAO-PC", person_id=migrant.pk,
                              data={"entered_on": today - dt.timedelta(days=3), "services": ["food"]})
    request = centres.return_request_open(by=user("centre.gao"), person_id=migrant.pk,
                                          data={"destination": "GN", "requested_on": today - dt.timedelta(days=2)})
    document = {"type": "laissez_passer", "number": "LP-77", "issued_on": today - dt.timedelta(days=1),
                "expires_on": today + dt.timedelta(days=90)}
    departure = centres.departure_plan(by=user("centre.gao"), data={
        "planned_on": today + dt.timedelta(days=10), "destination": "GN", "mode": "bus"})
    passenger = centres.passenger_add(by=user("centre.gao"), departure_id=departure.pk, person_id=migrant.pk,
                                      consent_to_return=True, travel_document=document, consent_on=today)

    assistance_complaint = complaint_file(by=user("reception.bamako"), channel="in_person", category="assistance",
                                          gravity="medium", description="Le pécule n'a pas été versé.",
                                          place="Bamako")
    protection_complaint = complaint_file(by=user("protection.bamako"), channel="hotline", category="protection",
                                          gravity="high", description="Menaces.", place="Bamako")

    activity = activity_record(by=user("focal.sikasso"), on=dt.date(2024, 3, 1), commune="Sikasso",
                               kind="proximity_talk", theme="irregular_migration_risks", audience="community",
                               participants_male=10, participants_female=15)

    from parcours.outreach.grants import call_publish, grant_award

    call_publish(by=user("me.iom"), reference="AAP-1", title="Sensibilisation", place="Kayes",
                 opens_on=dt.date(2024, 1, 1), closes_on=dt.date(2024, 1, 31), budget_xof=50_000_000)
    grant = grant_award(by=user("me.iom"), call="AAP-1", grantee="AJDM", reference="G-1", amount_xof=10_000_000,
                        starts_on=dt.date(2024, 2, 1), ends_on=dt.date(2024, 12, 31), communes=["Kayes"])

    from parcours.accounts.models import Place

    for place in Place.objects.filter(kind="fmp").order_by("code"):
        point_upsert(place=place, roads="RN")
    gao_fmp = point_upsert(place=Place.objects.get(code="GAO-FMP"), enumerators=[user("enumerator.gao")])
    count_record(by=user("enumerator.gao"), data={
        "point": gao_fmp.code, "date": "2024-03-04", "direction": "in", "nationality": "GN", "sex": "M",
        "age_group": "18-59", "transport": "bus", "reason": "economic", "count": 12})
    report, _created = report_publish(by=user("me.iom"), data={"point": gao_fmp.code, "period_start": "2024-03-01"})
    from parcours.flows.models import ReportFile

    flow_file = ReportFile.objects.create(point=gao_fmp, report=report, period_start=report.period_start,
                                          period_end=report.period_end, language="fr", pdf=b"%PDF-1.4",
                                          created_by=user("me.iom"))

    note = unresolved_place_note(text="Nioroo", kind="cercle")
    job = Job.objects.create(kind="import_people", created_by=user("reception.bamako"), status=Job.Status.DONE)
    form = Form.objects.order_by("form_id").first()
    if form is not None:  # a media file, so the manifest's download route answers 200 to those who may fetch it
        from django.core.files.base import ContentFile

        from parcours.surveys.models import FormMedia

        FormMedia.objects.create(version=form.versions.first(), filename="logo.png", md5="0" * 32,
                                 file=ContentFile(b"\x89PNG", name="logo.png"), content_type="image/png")
    from parcours.logframe.models import Action, DonorReport

    donor_report = DonorReport.objects.create(action=Action.objects.first(), period_start=dt.date(2024, 1, 1),
                                              period_end=dt.date(2024, 3, 31), language="fr", pdf=b"%PDF-1.4",
                                              created_by=user("me.iom"))

    from parcours.surveys.services import cohort_draw

    cohort = cohort_draw(by=user("me.iom"), data={
        "name": "Suivi", "form": "sustainability", "share": "1", "strata": ["region"], "assisted_from": "2024-01-01",
        "assisted_to": "2024-12-31", "first_wave_on": "2025-05-01", "waves": 3, "seed": 1})

    from parcours.people.imports import import_people

    import_people(by=user("reception.bamako"), filename="manifest.csv", source="LY-2024-03-02", content=(
        b"record_id,given_name,family_name,sex,birth_year,return_date\nM1,Bakary,Sissoko,M,1990,2024-03-02\n"))

    return {
        "file_id": flow_file.pk,
        "flight": "LY-2024-03-02",
        "cohort_id": cohort.pk,
        "person_id": person.pk, "case_id": case.pk, "component_id": component.pk, "follow_up_id": follow_up.pk,
        "reminder_id": reminder.pk if reminder else 1, "step": "screening", "entry_id": entry.pk,
        "service_id": service.pk, "referral_id": referral.pk, "pair_id": pair.pk, "merge_id": merge.pk,
        "scheme_code": "business_kit", "indicator_code": "OS1.assisted", "centre_code": "GAO-PC",
        "point_code": gao_fmp.code, "stay_id": stay.pk, "departure_id": departure.pk,
        "passenger_id": passenger.pk, "request_id": request.pk, "fmt": "pdf",
        "complaint_id": protection_complaint.pk, "assistance_complaint_id": assistance_complaint.pk,
        "reference": assistance_complaint.reference, "action": "acknowledge", "activity_id": activity.pk,
        "grant_id": grant.pk, "call_id": grant.call_id, "grant_report_id": grant.reports.order_by("due_on").first().pk,
        "report_id": report.pk, "donor_report_id": donor_report.pk, "user_id": user("reception.bamako").pk,
        "scoring_form_id": "sustainability", "note_id": note.pk, "job_id": job.pk, "form_id": form.form_id if form else "x",
        "filename": "logo.png",
        "person": person, "migrant": migrant, "twin": twin,
    }
