"""The registry scan: every person the starter may see, through the batch matcher, into the
review queue as pending pairs (bulk insert; pairs already known, decided or not, are skipped)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcours.core.errors import Forbidden
from parcours.jobs.registry import register
from parcours.matching.batch import find_duplicates
from parcours.people.policies import people_visible_to

from .models import DuplicatePair
from .policies import can_review

FIELDS = ["id", "given_name", "family_name", "sex", "birth_date", "birth_year", "phone", "id_document_number",
          "origin_region__name", "origin_cercle__name", "origin_commune__name", "return_date", "returned_from"]
TRAIN_FROM = 5000  # below this, the shipped model is better than one learnt from few records


def registry_records(user):
    for row in people_visible_to(user).values(*FIELDS).iterator(chunk_size=10_000):
        yield {
            "record_id": str(row["id"]), "given_name": row["given_name"], "family_name": row["family_name"],
            "sex": row["sex"], "birth_date": row["birth_date"], "birth_year": row["birth_year"], "phone": row["phone"],
            "id_document_number": row["id_document_number"], "origin_region": row["origin_region__name"] or "",
            "origin_cercle": row["origin_cercle__name"] or "", "origin_commune": row["origin_commune__name"] or "",
            "return_date": row["return_date"], "returned_from": str(row["returned_from"] or ""),
        }


def registry_scan(*, by, progress=lambda done, total: None, threshold: float = 0.5) -> dict:
    """Queue the possible duplicates among the people `by` may see. Reviewers only, whether the
    scan comes from the page, the API job or `parcours dedupe_registry --as`."""
    if not can_review(by):
        raise Forbidden()
    records = list(registry_records(by))
    progress(0, len(records))
    result = find_duplicates(records, threshold=threshold, train_model=len(records) >= TRAIN_FROM)
    progress(len(records), len(records))
    pairs = [(a, b, s) if a < b else (b, a, s) for a, b, s in result.pairs]
    known = set()
    for start in range(0, len(pairs), 2000):
        chunk = pairs[start:start + 2000]
        condition = Q()
        for a, b, _s in chunk:
            condition |= Q(person_a_id=a, person_b_id=b)
        known.update((str(a), str(b)) for a, b in DuplicatePair.objects.filter(condition).values_list(
            "person_a_id", "person_b_id"))
    new = [DuplicatePair(person_a_id=a, person_b_id=b, score=s, source=DuplicatePair.Source.BATCH, reasons=[])
           for a, b, s in pairs if (a, b) not in known]
    DuplicatePair.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    return {"people": len(records), "pairs_found": len(pairs), "queued": len(new), "already_known": len(known),
            "seconds": result.stats["seconds"]["total"],
            "message": _("%(n)d new possible duplicates queued for review.") % {"n": len(new)}}


# Retry-safe: the new pairs go in one bulk insert, and a second scan skips the pairs already known.
@register("dedupe_registry", allowed=can_review, label=gettext_lazy("Duplicate scan"), retry_safe=True)
def dedupe_registry_job(job, progress) -> dict:
    return registry_scan(by=job.created_by, progress=progress)
