"""The centres of SPEC §2 as data (`data/centres_ML.csv`, keyed by the code of their place) and
the demo stays and returns, written through the services like any user's work."""

import csv
from pathlib import Path

from parcours.accounts.models import Agency, Place, Role, User

from .models import Centre
from .services import centre_upsert

DATA = Path(__file__).parent / "data"


def _admin() -> User:
    return User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()


def load_demo_centres(path: Path = DATA / "centres_ML.csv") -> int:
    """Create or update the centres (idempotent). Their places come from the demo gazetteer."""
    admin = _admin()
    count = 0
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            place = Place.objects.filter(kind=Place.Kind.CENTRE, code=row["code"]).first()
            agency = Agency.objects.filter(code=row["agency"]).first()
            if place is None or agency is None:
                continue
            centre_upsert(by=admin, code=row["code"], name=place.name, place=place, agency=agency,
                          capacity=int(row["capacity"]), services=[s for s in row["services"].split("|") if s],
                          stranded_after_days=int(row["stranded_after_days"]), protected=row["protected"] == "1")
            count += 1
    return count


def centres() -> dict[str, Centre]:
    return {c.code: c for c in Centre.objects.all()}
