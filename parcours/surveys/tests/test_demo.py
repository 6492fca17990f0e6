import datetime as dt

import pytest

from parcours.surveys.models import Submission
from parcours.surveys.selectors import person_scores

pytestmark = pytest.mark.django_db


def test_demo_forms_answers_and_scores_idempotent(world, make_person):
    from parcours.cases.services import case_open
    from parcours.surveys.demo import load_demo_forms

    people = []
    for n in range(4):
        person = make_person(by="caseworker.kayes", origin_region="Kayes", given_name=f"D{n}")
        case_open(by=world.user("caseworker.kayes"), person_id=person.pk, arrived_on=dt.date(2023, 2, 1 + n))
        people.append(person)
    first = load_demo_forms()
    assert first["forms"] == 5 and first["answers"] > 4
    assert load_demo_forms()["answers"] == 0
    waves = person_scores(world.user("me.iom"), people[0].pk)
    assert 1 <= len(waves) <= 3 and all(w.score.overall is not None for w in waves)
    assert Submission.objects.filter(version__form__form_id="satisfaction").count() == 4
