"""Demo payments: the arrival allowance to every returnee on the day they came back, and
reintegration assistance to some, months later — through the payment service, so the ledger,
the facts and the results are what real use produces. Idempotent: nothing is paid twice."""

import datetime as dt
import random

from django.utils import timezone

from parcours.accounts.models import User
from parcours.core.errors import ServiceError
from parcours.people.models import Person
from parcours.people.policies import people_visible_to

from .models import LedgerEntry
from .services import payment_record, payment_reverse


def load_demo_payments() -> dict:
    if LedgerEntry.objects.exists():
        return {"payments": 0}
    rng = random.Random(11)
    kayes, admin = User.objects.get(username="caseworker.kayes"), User.objects.get(username="admin")
    in_kayes = set(people_visible_to(kayes).values_list("pk", flat=True))
    today = timezone.localdate()
    paid = 0
    people = Person.objects.filter(merged_into__isnull=True, return_date__isnull=False).order_by("created_at", "pk")
    for n, person in enumerate(people):
        by = kayes if person.pk in in_kayes else admin
        if _pay(by, person, "arrival_allowance", person.return_date, f"PEC-{n:04d}"):
            paid += 1
        later = person.return_date + dt.timedelta(days=rng.randint(45, 400))
        if later > today:
            continue
        roll = rng.random()
        if roll < 0.3 and _pay(by, person, "business_kit", later, f"KIT-{n:04d}") or roll < 0.5 and _pay(by, person, "cash_grant", later, f"CHQ-{n:04d}", channel="cheque",
                                 id_document_type="laissez_passer", id_document_number=f"LP{n:06d}"):
            paid += 1
    # One kit paid to the wrong person and reversed: the ledger keeps both, the results count neither.
    wrong = LedgerEntry.objects.filter(scheme__code="business_kit", recorded_by=kayes).order_by("paid_on").first()
    if wrong is not None:
        payment_reverse(by=kayes, entry_id=wrong.pk, data={"reason": "Payé à un homonyme ; à reverser."})
    return {"payments": paid}


def _pay(by, person, scheme: str, on: dt.date, proof: str, channel: str = "cash", **extra) -> bool:
    data = {"scheme": scheme, "tranche": 1, "paid_on": on.isoformat(), "channel": channel, "proof_reference": proof,
            **extra}
    try:
        payment_record(by=by, person_id=person.pk, data=data)
    except ServiceError:
        return False  # not eligible on that date (the rules decide, as for a real payment)
    return True
