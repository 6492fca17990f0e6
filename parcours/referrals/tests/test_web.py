"""The pages: French by default, scoped, bad input shown next to the field, nothing written."""

import datetime as dt

from django.test import Client

from parcours.referrals.models import Attendance, Referral

S = Referral.Status


def test_given_caseworker_when_opening_directory_then_french_list_with_capacity(web_client, directory):
    page = web_client("reception.bamako").get("/referrals/services/?kind=training")
    html = page.content.decode()
    assert page.status_code == 200 and "Services et opportunités" in html and "Soudure" in html
    assert "<meter" in html and "APEJ" not in html
    english = web_client("reception.bamako", "en").get("/referrals/services/").content.decode()
    assert "Services and opportunities" in english and "Welding and metalwork" in english
    detail = web_client("reception.bamako").get(f"/referrals/services/{directory['cfpm-soudure-2026-10'].pk}/")
    assert "20 places libres" in detail.content.decode()
    assert web_client("centre.gao").get("/referrals/services/").status_code == 404


def test_given_no_consent_when_referring_on_page_then_error_and_nothing_written(web_client, make_person, welding):
    person = make_person()
    client = web_client("reception.bamako")
    form = client.get(f"/referrals/new/?person={person.pk}")
    assert form.status_code == 200 and "Orienter vers un service" in form.content.decode()
    response = client.post(f"/referrals/new/?person={person.pk}",
                           {"person": str(person.pk), "service": str(welding.pk), "form_token": "t1"})
    assert response.status_code == 200 and "consenti" in response.content.decode()
    assert Referral.objects.count() == 0
    done = client.post(f"/referrals/new/?person={person.pk}", {"person": str(person.pk), "service": str(welding.pk),
                                                               "consent": "on", "form_token": "t1"})
    assert done.status_code == 302
    again = client.post(f"/referrals/new/?person={person.pk}", {"person": str(person.pk), "service": str(welding.pk),
                                                                "consent": "on", "form_token": "t1"})
    assert again.status_code == 302 and Referral.objects.count() == 1


def test_given_person_out_of_scope_when_opening_form_then_404(web_client, make_person):
    person = make_person()
    assert web_client("caseworker.kayes").get(f"/referrals/new/?person={person.pk}").status_code == 404
    assert web_client("partner.cfpm").get(f"/referrals/new/?person={person.pk}").status_code == 404


def test_given_search_without_person_then_people_to_choose(web_client, make_person):
    make_person(given_name="Bakary")
    html = web_client("reception.bamako").get("/referrals/new/?q=bakary").content.decode()
    assert "Bakary" in html and "?person=" in html
    assert "Bakary" not in web_client("caseworker.kayes").get("/referrals/new/?q=bakary").content.decode()


def test_given_partner_inbox_then_new_first_and_answers_recorded(web_client, refer, move, enrol, apej_partner):
    waiting = refer(given_name="Issa")
    enrolled = refer(given_name="Awa", sex="F")
    enrol(enrolled)
    client = web_client("partner.cfpm")
    html = client.get("/referrals/inbox/").content.decode()
    assert html.index("Issa") < html.index("Awa") and "Enregistrer la présence" in html
    accepted = client.post(f"/referrals/{waiting.pk}/transition/", {"to_status": "accepted", "next": "inbox"})
    assert accepted.status_code == 302 and accepted["Location"].endswith("/referrals/inbox/")
    month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    assert client.post(f"/referrals/{enrolled.pk}/attendance/", {"month": month, "days": "8"}).status_code == 302
    assert Attendance.objects.get().days == 8
    bad = client.post(f"/referrals/{enrolled.pk}/attendance/", {"month": month, "days": "40"})
    assert bad.status_code == 400 and Attendance.objects.get().days == 8
    refuse = client.post(f"/referrals/{enrolled.pk}/transition/", {"to_status": "refused"})
    assert refuse.status_code == 400 and "ne peut pas passer" in refuse.content.decode()

    other = Client()
    other.force_login(apej_partner)
    assert other.get(f"/referrals/{waiting.pk}/").status_code == 404
    assert other.post(f"/referrals/{waiting.pk}/transition/", {"to_status": "enrolled"}).status_code == 404
    assert "Issa" not in other.get("/referrals/inbox/").content.decode()
    assert web_client("reception.bamako").get("/referrals/inbox/").status_code == 404


def test_given_caseworker_list_then_waiting_days_and_status_filter(web_client, refer, move):
    old = refer(given_name="Issa")
    Referral.objects.filter(pk=old.pk).update(sent_at=old.sent_at - dt.timedelta(days=20))
    other = refer(given_name="Awa", sex="F")
    move(other, S.REFUSED, reason="Trop jeune")
    client = web_client("reception.bamako")
    html = client.get("/referrals/?status=sent").content.decode()
    assert "Issa" in html and "Awa" not in html and '<span class="late">20</span>' in html
    detail = client.get(f"/referrals/{other.pk}/").content.decode()
    assert "Trop jeune" in detail and "Historique" in detail
    assert web_client("caseworker.kayes").get(f"/referrals/{old.pk}/").status_code == 404
    assert "Issa" not in web_client("caseworker.ajdm").get("/referrals/").content.decode()
    assert web_client("manager.eu").get("/referrals/").status_code == 404


def test_given_auditor_when_viewing_then_no_actions_and_post_refused(web_client, refer):
    referral = refer()
    client = web_client("auditor")
    html = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Étape suivante" not in html
    assert client.post(f"/referrals/{referral.pk}/transition/", {"to_status": "accepted"}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == S.SENT


def test_given_manager_figures_then_counts_without_names(web_client, refer):
    refer()
    html = web_client("manager.eu").get("/referrals/figures/").content.decode()
    assert "Chiffres des orientations" in html and "Soudure" in html and "Traoré" not in html
    assert web_client("caseworker.ajdm").get("/referrals/figures/").status_code == 404


def test_given_partner_when_editing_own_service_then_saved_and_other_404(web_client, directory):
    mine, other = directory["cfpm-soudure-2026-10"], directory["apej-emploi-jeunes"]
    client = web_client("partner.cfpm")
    form = client.get(f"/referrals/services/{mine.pk}/edit/")
    assert form.status_code == 200
    saved = client.post(f"/referrals/services/{mine.pk}/edit/", {
        "kind": "training", "name_fr": "Soudure (session octobre 2026)", "capacity": "24", "places": ["/ML/BKO/"],
        "starts_on": "2026-10-05", "ends_on": "2027-03-26", "active": "on"})
    assert saved.status_code == 302
    mine.refresh_from_db()
    assert mine.capacity == 24 and mine.code == "cfpm-soudure-2026-10"
    bad = client.post(f"/referrals/services/{mine.pk}/edit/", {"kind": "training", "name_fr": "", "capacity": "-1"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    assert client.get(f"/referrals/services/{other.pk}/edit/").status_code == 404
    assert web_client("reception.bamako").get("/referrals/services/new/").status_code == 404


def test_given_person_panel_then_lists_visible_referrals_and_refer_link(world, refer):
    from django.template.loader import render_to_string

    from parcours.referrals.selectors import person_panel

    referral = refer()
    html = render_to_string("referrals/_person_panel.html", person_panel(world.user("reception.bamako"),
                                                                         referral.person))
    assert "Soudure" in html and f"?person={referral.person_id}" in html
    partner_html = render_to_string("referrals/_person_panel.html", person_panel(world.user("partner.cfpm"),
                                                                                 referral.person))
    assert "Soudure" in partner_html and "?person=" not in partner_html
