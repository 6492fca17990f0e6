"""An audit log a person can read: the record by the person's name with a link, field labels,
values as users see them (a username, not a user id), actions in the reader's language, filters by
user, person and date. A protection read shows who read which record and when — never the content."""

import datetime as dt
import re

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(world, make_person):
    from parcours.cases.services import case_open, screening_answers, screening_record

    person = make_person(by="protection.bamako", given_name="Mariam", family_name="Konaté", sex="F",
                         birth_year="2010", return_date="2026-11-20")
    case = case_open(by=world.user("protection.bamako"), person_id=person.pk)
    screening = screening_record(by=world.user("protection.bamako"), case_id=case.pk,
                                 answers={"minor": True, "unaccompanied_or_separated": True})
    screening_answers(by=world.user("protection.bamako"), screening=screening)  # a protection read, logged
    return person, case


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>") if row.strip()]


def test_the_auditor_sees_who_read_protection_data_and_when_never_the_content(web_client, screened):
    person, _case = screened
    html = web_client("auditor").get("/audit/?action=3").content.decode()
    rows = [r for r in _rows(html) if "protection.bamako" in r and "lecture" in r]
    assert rows, _rows(html)[:5]
    assert "Mariam Konaté" in rows[0]
    assert f'href="/people/{person.pk}/"' in html
    assert "True" not in html and "Oui" not in " ".join(rows)


def test_changes_read_with_labels_and_values_people_know(web_client, screened, world):
    from parcours.people.services import person_update

    person, _case = screened
    person_update(by=world.user("protection.bamako"), person_id=person.pk,
                  data={"given_name": "Mariam", "family_name": "Konaté", "sex": "F", "birth_year": "2010",
                        "phone": "76 00 11 22", "return_date": "2026-11-20"})
    html = web_client("auditor", "fr").get(f"/audit/?person={person.pk}").content.decode()
    text = " ".join(_rows(html))
    assert "modification" in text and "création" in text
    assert "Téléphone" in text or "téléphone" in text
    assert re.search(r"enregistré\(e\) par\s*:?\s*— → protection\.bamako|protection\.bamako", text)
    assert "object (" not in text and "None" not in text, [r for r in _rows(html) if "object (" in r or "None" in r]
    assert not re.search(r"\b(registered_by|return_date|created_at)\b", text)


def test_filters_by_user_and_date(web_client, screened):
    client = web_client("auditor")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert "Rien n'a été enregistré" in client.get(f"/audit/?from={tomorrow}").content.decode() or \
        "Nothing recorded" in client.get(f"/audit/?from={tomorrow}").content.decode() or \
        not _rows(client.get(f"/audit/?from={tomorrow}").content.decode())[0].startswith(str(timezone.localdate().day))
    mine = _rows(client.get("/audit/?actor=protection.bamako").content.decode())
    assert mine and all("protection.bamako" in r for r in mine)
    page = client.get("/audit/").content.decode()
    assert '<option selected>protection.bamako</option>' in client.get("/audit/?actor=protection.bamako").content.decode()
    assert 'name="from"' in page and 'name="to"' in page


def test_the_log_speaks_english_too(web_client, screened):
    text = " ".join(_rows(web_client("auditor", "en").get("/audit/?action=3").content.decode()))
    assert "read" in text and "lecture" not in text
