"""The demo questionnaires (the profiling questionnaire's 12 base items, sustainability,
sensitization before/after, the flow survey, satisfaction) and satisfaction answers that show
the bias the monitors found: asked by the person's own case worker, nearly everyone is
satisfied; asked by the M&E officer, far fewer. Through the services; idempotent."""

import datetime as dt
import random
import uuid
from pathlib import Path

from parcours.accounts.models import User
from parcours.cases.models import Case

from .models import Submission
from .services import form_publish, submission_receive

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


def load_demo_forms() -> dict:
    admin = User.objects.get(username="admin")
    for path in sorted(DATA.glob("*.md")):
        form_publish(by=admin, content=path.read_bytes(), filename=path.name, roles=ROLES.get(path.stem))
    if Submission.objects.exists():
        return {"forms": len(ROLES), "answers": 0}
    rng = random.Random(5)
    me = User.objects.get(username="me.iom")
    answers = 0
    cases = Case.objects.filter(owner__username="caseworker.kayes").select_related("person", "owner").order_by("arrived_on", "pk")
    for n, case in enumerate(cases):
        own = n % 2 == 0
        asker = case.owner if own else me
        satisfied = rng.random() < (0.98 if own else 0.65)
        day = min(case.arrived_on + dt.timedelta(days=rng.randint(60, 200)), dt.date.today())
        xml = satisfaction_xml(instance_id=str(uuid.UUID(int=rng.getrandbits(128))), person_id=case.person_id,
                               today=day, satisfied=satisfied, on_time=rng.random() < 0.6)
        submission_receive(by=asker, xml=xml)
        answers += 1
    return {"forms": len(ROLES), "answers": answers}
