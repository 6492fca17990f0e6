"""The demo questionnaires (the profiling questionnaire's 12 base items, sustainability,
sensitization before/after, the flow survey, satisfaction) and satisfaction answers that show
the bias the monitors found: asked by the person's own case worker, nearly everyone is
satisfied; asked by the M&E officer, far fewer. Through the services; idempotent."""

import datetime as dt
import json
import random
import uuid
from pathlib import Path

from parcours.accounts.models import User
from parcours.cases.models import Case

from .models import Submission
from .services import form_publish, scoring_define, submission_receive

DATA = Path(__file__).parent / "data"
ROLES = {
    "profiling": ["admin", "reception", "caseworker", "protection", "me_officer"],
    "satisfaction": ["admin", "caseworker", "me_officer"],
    "sustainability": ["admin", "caseworker", "me_officer"],
    "sensitization_prepost": ["admin", "focal_point", "me_officer"],
    "flow_survey": ["admin", "enumerator", "me_officer"],
}


def satisfaction_xml(*, instance_id: str, person_id, today: dt.date, satisfied: bool, on_time: bool) -> bytes:
    return (f'<data id="satisfaction" version="2026120401"><start>{today.isoformat()}T10:00:00.000Z</start>'
            f"<today>{today.isoformat()}</today><person_id>{person_id}</person_id>"
            f"<satisfied>{'yes' if satisfied else 'no'}</satisfied><on_time>{'yes' if on_time else 'no'}</on_time>"
            f"<comment/><meta><instanceID>uuid:{instance_id}</instanceID></meta></data>").encode()


SUSTAINABILITY_ITEMS = ("economic/income_enough", "economic/debt_managed", "social/community_support",
                        "social/services_access", "psychosocial/wellbeing", "psychosocial/wish_to_stay")


def sustainability_xml(*, instance_id: str, person_id, today: dt.date, answers: dict[str, int]) -> bytes:
    """A sustainability survey as ODK Collect sends it; `answers` maps "group/question" to 1–4."""
    groups: dict[str, list[str]] = {}
    for path, value in answers.items():
        group, question = path.split("/")
        groups.setdefault(group, []).append(f"<{question}>{value}</{question}>")
    body = "".join(f"<{g}>{''.join(q)}</{g}>" for g, q in groups.items())
    return (f'<data id="sustainability" version="2026120401"><today>{today.isoformat()}</today>'
            f"<person_id>{person_id}</person_id>{body}"
            f"<meta><instanceID>uuid:{instance_id}</instanceID></meta></data>").encode()


def _kayes_cases():
    return (Case.objects.filter(owner__username="caseworker.kayes").select_related("person", "owner")
            .order_by("arrived_on", "pk"))


def load_demo_forms() -> dict:
    admin = User.objects.get(username="admin")
    for path in sorted(DATA.glob("*.md")):
        form_publish(by=admin, content=path.read_bytes(), filename=path.name, roles=ROLES.get(path.stem))
    scoring_define(by=admin, form_id="sustainability",
                   definition=json.loads((DATA / "sustainability.scoring.json").read_text()))
    answers = _satisfaction_answers() + _sustainability_answers()
    return {"forms": len(ROLES), "answers": answers}


def _sustainability_answers() -> int:
    """Yearly surveys (one to three waves) of the first Kayes returnees, asked by the M&E officer:
    most improve from year to year, a few do not."""
    if Submission.objects.filter(version__form__form_id="sustainability").exists():
        return 0
    rng = random.Random(7)
    me = User.objects.get(username="me.iom")
    today, answers = dt.date.today(), 0
    for case in _kayes_cases()[:12]:
        level = rng.uniform(1.3, 2.6)
        for year in (1, 2, 3):
            day = case.arrived_on + dt.timedelta(days=365 * year)
            if day > today:
                break
            values = {item: max(1, min(4, round(level + rng.uniform(-0.8, 0.8)))) for item in SUSTAINABILITY_ITEMS}
            xml = sustainability_xml(instance_id=str(uuid.UUID(int=rng.getrandbits(128))), person_id=case.person_id,
                                     today=day, answers=values)
            submission_receive(by=me, xml=xml)
            answers += 1
            level += rng.uniform(-0.2, 0.8)
    return answers


def _satisfaction_answers() -> int:
    if Submission.objects.filter(version__form__form_id="satisfaction").exists():
        return 0
    rng = random.Random(5)
    me = User.objects.get(username="me.iom")
    answers = 0
    cases = _kayes_cases()
    for n, case in enumerate(cases):
        own = n % 2 == 0
        asker = case.owner if own else me
        satisfied = rng.random() < (0.98 if own else 0.65)
        day = min(case.arrived_on + dt.timedelta(days=rng.randint(60, 200)), dt.date.today())
        xml = satisfaction_xml(instance_id=str(uuid.UUID(int=rng.getrandbits(128))), person_id=case.person_id,
                               today=day, satisfied=satisfied, on_time=rng.random() < 0.6)
        submission_receive(by=asker, xml=xml)
        answers += 1
    return answers
