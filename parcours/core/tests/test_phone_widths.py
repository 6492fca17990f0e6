"""Every page fits a phone: at 375 px, each demo role opens every page of its menu (and the record
pages it works on) in Debian's headless Chromium; none may scroll sideways. The header stays short
and, on the registration form, the possible duplicates stay on screen while the agent types.

One browser, one login per role, one world (a little demo data so lists and cards have rows)."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(os.environ.get("PARCOURS_SCREENSHOTS", Path(__file__).resolve().parents[3] / "var" / "screenshots"))
PHONE = {"width": 375, "height": 740}
ROLES = ["admin", "reception.bamako", "protection.bamako", "caseworker.kayes", "caseworker.ajdm", "centre.gao",
         "enumerator.gao", "focal.sikasso", "partner.cfpm", "me.iom", "manager.eu", "auditor"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
]


@pytest.fixture
def phone_world(transactional_db):
    """Demo places, agencies and users; schemes, services, centres, flow points; a few people with
    cases, payments and referrals, grants to civil-society organisations with their activities
    (through the demo loaders, which call the services)."""
    from parcours.assistance.services import load_demo_schemes
    from parcours.cases.models import Case
    from parcours.centres.demo import load_demo_centres
    from parcours.demo.loader import load_agencies, load_places, load_users
    from parcours.demo.people import load_demo_people
    from parcours.referrals.demo import load_demo_referrals, load_demo_services

    places, agencies = load_places(), load_agencies()
    users = load_users(places, agencies)
    load_demo_people(40, users=users)
    load_demo_schemes()
    load_demo_services()
    load_demo_referrals()
    load_demo_centres()
    from parcours.cases.demo import load_demo_cases

    load_demo_cases(6)
    from parcours.outreach.demo import load_demo_grants
    from parcours.outreach.models import Activity, Grant

    load_demo_grants()
    case = Case.objects.filter(owner__username="caseworker.kayes").order_by("opened_at").first()
    return {"person": case.person_id if case else None, "case": case.pk if case else None,
            "grant": Grant.objects.order_by("reference").first().pk,
            "activity": Activity.objects.order_by("held_on", "pk").first().pk}


@pytest.fixture
def phone(live_server):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs beside the live server thread
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield browser
        # Queries the test made while Playwright's loop ran used a connection of their own (another
        # context): closed here, or it keeps the PostgreSQL test database from being dropped.
        from django.db import connections

        connections.close_all()
        browser.close()


WIDTH = "() => document.documentElement.scrollWidth"
# The leaf elements sticking out on the right, to say what is too wide when a page is.
TOO_WIDE = """(w) => Array.from(document.querySelectorAll('main *, header *'))
  .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('table, nav'))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40))"""


def _login(page, base, username):
    page.goto(f"{base}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("parcours-demo")
    page.locator("main button.primary").click()
    page.wait_for_load_state()


def test_every_menu_page_fits_a_phone_for_every_role(live_server, phone_world, phone):
    record_pages = [f"/people/{phone_world['person']}/", f"/assistance/people/{phone_world['person']}/",
                    f"/cases/{phone_world['case']}/", "/account/", "/cases/queue/", "/complaints/new/",
                    f"/sensitization/grants/{phone_world['grant']}/", "/sensitization/new/",
                    f"/sensitization/{phone_world['activity']}/"]  # its follow-up and perception forms
    too_wide, headers, seen, missing = [], {}, 0, []
    for username in ROLES:
        context = phone.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"}, viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document"
                and missing.append(r.url))  # a favicon, a stylesheet or a script the console would show
        _login(page, live_server.url, username)
        menu = page.eval_on_selector_all("header nav a", "links => links.map(a => a.getAttribute('href'))")
        assert menu, username
        headers[username] = page.evaluate("document.querySelector('header.top').getBoundingClientRect().height")
        for path in dict.fromkeys(menu + record_pages):
            response = page.goto(live_server.url + path)
            if response.status != 200:  # a record page this role may not open
                continue
            seen += 1
            width = page.evaluate(WIDTH)
            if width > PHONE["width"]:
                name = f"{username}{path.replace('/', '_')}.png"
                page.screenshot(path=str(SHOTS / name), full_page=True)
                too_wide.append((username, path, width, page.evaluate(TOO_WIDE, PHONE["width"])))
        context.close()
    assert not too_wide, too_wide
    assert not missing, missing
    assert seen > 100
    assert max(headers.values()) <= 90, headers  # two short rows: brand and account, then the menu


def test_the_possible_duplicates_stay_in_view_while_typing_on_a_phone(live_server, transactional_db, phone):
    from parcours.demo.loader import load_agencies, load_places, load_users
    from parcours.people.services import person_create
    from parcours.people.validation import validate_person

    users = load_users(load_places(), load_agencies())
    existing = person_create(by=users["reception.bamako"], cleaned=validate_person({
        "given_name": "Mamadou", "family_name": "Keita", "sex": "M", "birth_year": "1994", "phone": "76123456"}))
    context = phone.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"}, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    _login(page, live_server.url, "reception.bamako")
    page.goto(f"{live_server.url}/people/register/")
    page.get_by_label("Prénom").fill(existing.given_name)
    page.get_by_label("Nom de famille").fill(existing.family_name)
    page.get_by_label("Année de naissance").fill("1994")
    page.get_by_label("Téléphone").fill("76 12 34 56")
    page.locator("#candidates ol.cands a").first.wait_for()
    # The agent goes on typing further down the form: the panel is still on screen.
    page.get_by_label("Numéro du document").focus()
    page.get_by_label("Numéro du document").fill("A123")
    page.wait_for_timeout(400)
    box = page.locator("#candidates").bounding_box()
    assert box["y"] >= 0 and box["y"] + 40 <= PHONE["height"], box
    assert page.evaluate(WIDTH) <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "phone-register-typing.png"))
    context.close()


@pytest.fixture
def task_world(transactional_db):
    """A partner with a trainee enrolled since last month, a returnee in Kayes for the case worker,
    the Gao flow monitoring point with its enumerator."""
    import datetime as dt

    from django.utils import timezone

    from parcours.accounts.models import Place
    from parcours.assistance.services import load_demo_schemes
    from parcours.demo.loader import load_agencies, load_places, load_users
    from parcours.flows.services import point_upsert
    from parcours.people.services import person_create
    from parcours.people.validation import validate_person
    from parcours.referrals.demo import load_demo_services
    from parcours.referrals.models import Service
    from parcours.referrals.services import referral_create, referral_transition

    users = load_users(load_places(), load_agencies())
    load_demo_schemes()
    load_demo_services()
    trainee = person_create(by=users["reception.bamako"], cleaned=validate_person({
        "given_name": "Awa", "family_name": "Sidibé", "sex": "F", "birth_year": "1998"}))
    began = timezone.make_aware(dt.datetime.combine(
        (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1), dt.time(9)))
    referral = referral_create(by=users["reception.bamako"], person=trainee, consent_given=True, at=began,
                               service=Service.objects.filter(provider__code="CFPM").first())
    for step in ("accepted", "enrolled"):
        referral_transition(by=users["partner.cfpm"], referral_id=referral.pk, to_status=step, at=began)
    returnee = person_create(by=users["caseworker.kayes"], cleaned=validate_person({
        "given_name": "Seydou", "family_name": "Diarra", "sex": "M", "birth_year": "1995", "origin_region": "Kayes",
        "return_date": (timezone.localdate() - dt.timedelta(days=10)).isoformat()}))
    place = Place.objects.filter(kind="fmp", code="GAO-FMP").first()
    point = point_upsert(place=place, roads="RN16") if place else None
    if point:
        point.enumerators.add(users["enumerator.gao"])
    return {"returnee": returnee, "point": point, "last_month": began.date()}


def test_each_role_does_its_main_task_on_a_phone(live_server, task_world, phone):
    """At 375 px: the partner records last month's attendance from its inbox, the case worker pays
    the arrival allowance, the enumerator records a count; no page scrolls sideways on the way."""
    wide = []

    def check(page, step):
        if page.evaluate(WIDTH) > PHONE["width"]:
            wide.append(step)
            page.screenshot(path=str(SHOTS / f"task-{step}.png"), full_page=True)

    def session(username):
        context = phone.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"}, viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        _login(page, live_server.url, username)
        return context, page

    context, page = session("partner.cfpm")  # lands on the inbox
    check(page, "inbox")
    card = page.locator("table.cards tr", has_text="Sidibé")
    card.locator("input[name=month]").fill(task_world["last_month"].strftime("%Y-%m"))
    card.locator("input[name=days]").fill("12")
    card.get_by_role("button", name="Enregistrer la présence").click()
    page.get_by_text("Présence enregistrée").wait_for()
    check(page, "attendance-recorded")
    context.close()

    context, page = session("caseworker.kayes")
    page.goto(f"{live_server.url}/assistance/people/{task_world['returnee'].pk}/")
    check(page, "assistance")
    page.locator("#pay-scheme").select_option("arrival_allowance")
    page.get_by_label("Référence du justificatif").fill("REC-375")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    page.get_by_text("Paiement enregistré").wait_for()
    check(page, "paid")
    context.close()

    if task_world["point"] is not None:
        context, page = session("enumerator.gao")  # lands on the count form of its point
        check(page, "count-form")
        for name in ("direction", "sex", "age_group", "transport", "reason"):
            page.locator(f"input[name={name}]").first.check(force=True)
        page.locator("input[name=count]").fill("7")
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        page.get_by_text("Enregistré").first.wait_for()
        check(page, "counted")
        context.close()
    assert not wide, wide


@pytest.fixture
def more_tasks(task_world):
    """Beside the task world: the case worker's returnee has a case screened and oriented (the plan
    may start); a commune of Sikasso for the focal point's activity."""
    from parcours.accounts.models import Place, User
    from parcours.cases import services as cases

    worker = User.objects.get(username="caseworker.kayes")
    case = cases.case_open(by=worker, person_id=task_world["returnee"].pk)
    cases.screening_record(by=worker, case_id=case.pk, answers={})
    cases.orientation_record(by=worker, case_id=case.pk, data={"wishes": "atelier de soudure", "choice": "training"})
    focal = User.objects.get(username="focal.sikasso")
    commune = Place.objects.filter(kind="commune", path__startswith=focal.place.path).order_by("path").first()
    return {**task_world, "case": case, "commune": commune.name if commune else None}


def test_the_other_roles_do_their_main_task_on_a_phone(live_server, more_tasks, phone):
    """At 375 px, beside the walk above: reception registers a person, the case worker starts the
    plan of a case, the focal point records a sensitization activity, M&E opens the results
    dashboard it lands on — with no sideways scroll on any page on the way."""
    from parcours.cases.models import PlanComponent
    from parcours.outreach.models import Activity
    from parcours.people.models import Person

    wide = []

    def check(page, step):
        if page.evaluate(WIDTH) > PHONE["width"]:
            wide.append((step, page.evaluate(WIDTH)))
            page.screenshot(path=str(SHOTS / f"task-{step}.png"), full_page=True)

    def session(username):
        context = phone.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"}, viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        _login(page, live_server.url, username)
        return context, page

    context, page = session("reception.bamako")
    check(page, "reception-landing")
    page.goto(f"{live_server.url}/people/register/")
    check(page, "register")
    page.get_by_label("Prénom").fill("Kadiatou")
    page.get_by_label("Nom de famille").fill("Sangaré")
    page.locator("select[name=sex]").select_option("F")
    page.get_by_label("Année de naissance").fill("1997")
    page.locator("input[name=returned_from]").fill("Libye")
    page.locator("#register-form button.primary").click()
    page.wait_for_url("**/people/*-*/")
    check(page, "registered")
    assert Person.objects.filter(family_name="Sangaré", returned_from="LY").exists()
    context.close()

    context, page = session("caseworker.kayes")
    page.goto(f"{live_server.url}/cases/{more_tasks['case'].pk}/")
    check(page, "case")
    form = page.locator("#plan-add form[method=post]")
    form.locator("select[name=kind]").select_option("vocational_training")
    form.locator("input[name=cost_xof]").fill("300 000")
    form.get_by_role("button", name="Ajouter").click()
    page.wait_for_load_state()
    check(page, "plan-started")
    assert PlanComponent.objects.filter(case=more_tasks["case"], cost_xof=300_000).exists()
    context.close()

    assert more_tasks["commune"], "no commune of Sikasso in the gazetteer"
    context, page = session("focal.sikasso")  # lands on its activities
    check(page, "activities")
    page.goto(f"{live_server.url}/sensitization/new/")
    check(page, "activity-form")
    page.locator("input[name=held_on]").fill(dt_today())
    page.locator("input[name=commune]").fill(more_tasks["commune"])
    page.locator("input[name=participants_female]").fill("12")
    page.locator("input[name=participants_male]").fill("9")
    page.locator("form.phone-form button.primary").click()
    page.get_by_text("Activité enregistrée").wait_for()
    check(page, "activity-recorded")
    assert Activity.objects.filter(participants_female=12, participants_male=9).exists()
    # Two participants consent to be named; the second looks like the first: pick her.
    for family_name in ("Coulibaly", "Kulibali"):
        page.get_by_role("link", name="Nommer un participant (avec son consentement)").click()
        check(page, "participant-form")
        page.get_by_label("Le participant consent à être nommé et retrouvé dans le registre").check()
        page.get_by_label("Prénom").fill("Awa")
        page.get_by_label("Nom de famille").fill(family_name)
        page.get_by_label("femme", exact=True).check()
        page.get_by_label("Année de naissance").fill("1999")
        page.get_by_label("Téléphone").fill("76 12 34 56")
        page.locator("form.phone-form button.primary").click()
        page.wait_for_load_state()
    page.get_by_text("Coulibaly ≈ Kulibali").or_(page.get_by_text("Kulibali ≈ Coulibaly")).first.wait_for()
    check(page, "participant-candidates")
    page.screenshot(path=str(SHOTS / "task-participant-candidates.png"), full_page=True)
    page.get_by_role("button", name="C’est cette personne").click()
    page.get_by_text("Awa Coulibaly").first.wait_for()
    check(page, "participant-named")
    page.screenshot(path=str(SHOTS / "task-participant-named.png"), full_page=True)
    assert Person.objects.filter(given_name="Awa", family_name__in=["Coulibaly", "Kulibali"]).count() == 1
    context.close()

    context, page = session("me.iom")  # lands on the results dashboard
    assert "/results/" in page.url
    page.locator("main h1").wait_for()
    check(page, "dashboard")
    context.close()
    assert not wide, wide


def dt_today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()
