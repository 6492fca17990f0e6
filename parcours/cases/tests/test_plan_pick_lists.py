"""The plan form offers pick lists instead of codes typed by hand: assistance schemes by name,
providers by name, the person's referrals by service; the plan shows the scheme's name."""

import re

from parcours.cases.models import PlanComponent


def test_the_plan_form_picks_schemes_providers_and_referrals_by_name(web_client, case, walk):
    from parcours.assistance.services import load_demo_schemes

    load_demo_schemes()
    walk.screen(case)
    walk.orient(case)
    client = web_client("caseworker.kayes")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    form = html.split("'component'", 1)[-1] if "'component'" in html else html
    schemes = dict(re.findall(r'<option value="([a-z_]+)">([^<]+)</option>', html.split('name="scheme_code"', 1)[1]
                              .split("</select>", 1)[0]))
    assert schemes.get("business_kit") == "Kit d&#x27;installation"
    assert 'name="scheme_code" placeholder' not in form and "(identifier)" not in html and "(identifiant)" not in html
    response = client.post(f"/cases/{case.pk}/component/", {
        "kind": "income_individual", "scheme_code": "business_kit", "provider": "IOM", "cost_xof": "300 000",
        "form_token": "t-1"})
    assert response.status_code == 302
    component = PlanComponent.objects.get(case=case)
    assert component.scheme_code == "business_kit" and component.cost_xof == 300_000
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Kit d&#x27;installation" in page and "<code>business_kit</code>" not in page


def test_a_collective_project_picks_its_members_by_name(web_client, case, walk, make_person, worker):
    from parcours.cases.services import case_open

    other = make_person(by="caseworker.kayes", given_name="Moussa", family_name="Keïta", birth_year="1993",
                        origin_region="Kayes", return_date="2019-10-03")
    case_open(by=worker, person_id=other.pk)
    walk.screen(case)
    walk.orient(case)
    client = web_client("caseworker.kayes")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'<option value="{other.pk}">Moussa Keïta (1993, Kayes)</option>' in html
    response = client.post(f"/cases/{case.pk}/component/", {
        "kind": "income_collective", "members": [str(other.pk)], "form_token": "t-2"})
    assert response.status_code == 302
    assert list(PlanComponent.objects.get(case=case).members.all()) == [other]


def test_the_members_picker_offers_everyone_the_worker_may_see_searchable_by_name(
        web_client, case, walk, make_person, world, monkeypatch):
    """Not only the worker's own cases: anyone the people policy lets them see (the scope the service
    accepts), found by name; never someone outside it, even by name."""
    from parcours.cases import selectors

    no_case = make_person(by="caseworker.kayes", given_name="Moussa", family_name="Keïta", birth_year="1993",
                          origin_region="Kayes")
    namesake = make_person(by="caseworker.kayes", given_name="Awa", family_name="Keïta", sex="F", birth_year="1988",
                           origin_region="Kayes")
    outside = make_person(by="reception.bamako", given_name="Moussa", family_name="Keïta", birth_year="1990")
    walk.screen(case)
    walk.orient(case)
    client = web_client("caseworker.kayes")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    picker = html.split('name="members"', 1)[1].split("</select>", 1)[0]
    assert str(no_case.pk) in picker and str(namesake.pk) in picker and str(outside.pk) not in picker
    assert str(case.person_id) not in picker  # the case's own person is implied
    assert "Awa Keïta (1988, Kayes)" in picker and "Moussa Keïta (1993, Kayes)" in picker
    found = client.get(f"/cases/{case.pk}/", {"members_q": "awa keita"}).content.decode()
    assert 'id="plan-add" open' in found
    picker = found.split('name="members"', 1)[1].split("</select>", 1)[0]
    assert str(namesake.pk) in picker and str(no_case.pk) not in picker
    found = client.get(f"/cases/{case.pk}/", {"members_q": "Moussa"}).content.decode()
    assert str(outside.pk) not in found.split('name="members"', 1)[1].split("</select>", 1)[0]
    assert client.post(f"/cases/{case.pk}/component/", {
        "kind": "income_collective", "members": [str(no_case.pk)], "form_token": "t-3"}).status_code == 302
    # Another agency's case worker (an NGO sees only the people assigned or referred to it): nobody here.
    assert selectors.member_choices(world.user("caseworker.ajdm"), case)[0] == []
    monkeypatch.setattr(selectors, "MEMBER_CHOICES", 1)
    choices, more = selectors.member_choices(world.user("caseworker.kayes"), case, "keita")
    assert len(choices) == 1 and more
