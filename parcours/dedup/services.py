"""Suggest, review, merge and unmerge duplicates. A merge re-points every row of every domain
that refers to the merged record (cases, referrals, household, consents, timeline…) — found
through the model registry, so domains added later follow without changes here — and keeps the
list of what it moved so the merge can be undone exactly."""

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.core.errors import Conflict, ValidationFailed
from parcours.people.events import PeopleEvent
from parcours.people.models import Person
from parcours.people.services import event_record

from .models import DuplicatePair, Merge
from .policies import pair_for_review

# Append-only records that must never be edited, even by a merge: the assistance ledger keeps its
# rows on the duplicate record and counts them for the survivor (parcours.assistance.facts).
KEEP_ROWS = {"assistance.ledgerentry"}


def _ordered(a, b):
    return (a, b) if str(a) < str(b) else (b, a)


def pair_suggest(*, person_a_id, person_b_id, score: float, reasons: list, source: str) -> DuplicatePair | None:
    """Queue a possible duplicate. Idempotent; a pair already decided (rejected, merged) stays
    decided: a rejected pair never comes back."""
    if str(person_a_id) == str(person_b_id):
        return None
    a, b = _ordered(person_a_id, person_b_id)
    pair = DuplicatePair.objects.filter(person_a_id=a, person_b_id=b).first()
    if pair is not None:
        if pair.status == DuplicatePair.Status.PENDING and score > pair.score:
            pair.score, pair.reasons = score, reasons
            pair.save(update_fields=["score", "reasons"])
        return pair
    try:
        with transaction.atomic():
            return DuplicatePair.objects.create(person_a_id=a, person_b_id=b, score=score, reasons=reasons,
                                                source=source)
    except IntegrityError:  # found at the same moment by another process
        return DuplicatePair.objects.filter(person_a_id=a, person_b_id=b).first()


def candidates_queue(person, candidates) -> None:
    """Possible duplicates found when a person was registered or imported wait in the review queue
    until someone decides (subscribed to parcours.people.duplicates in DedupConfig.ready())."""
    for candidate in candidates:
        pair_suggest(person_a_id=person.pk, person_b_id=candidate.person_id, score=candidate.score,
                     reasons=candidate.reasons, source="registration")


@transaction.atomic
def pair_review(*, by, pair_id, decision: str, note: str = "") -> DuplicatePair:
    pair = pair_for_review(by, pair_id)
    statuses = {"confirm": DuplicatePair.Status.CONFIRMED, "reject": DuplicatePair.Status.REJECTED}
    if decision not in statuses:
        raise ValidationFailed({"decision": [_("Choose “confirm” or “reject”.")]})
    if pair.status == DuplicatePair.Status.MERGED:
        raise Conflict(_("This pair was merged: undo the merge first."))
    pair.status, pair.reviewed_by, pair.reviewed_at, pair.note = statuses[decision], by, timezone.now(), note[:300]
    pair.save(update_fields=["status", "reviewed_by", "reviewed_at", "note"])
    return pair


def person_references():
    """(model, field name) of every foreign key or one-to-one pointing at Person, hidden ones
    (related_name="+") included."""
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete) or rel.many_to_many:
            continue
        model = rel.related_model
        if model is Person or model in (DuplicatePair, Merge) or model._meta.label_lower in KEEP_ROWS:
            continue
        yield model, rel.field.name


@transaction.atomic
def persons_merge(*, by, pair_id, survivor_id) -> Merge:
    pair = pair_for_review(by, pair_id)
    if pair.status == DuplicatePair.Status.REJECTED:
        raise Conflict(_("This pair was judged to be two different people."))
    if pair.status == DuplicatePair.Status.MERGED:
        raise Conflict(_("This pair is already merged."))
    ids = {str(pair.person_a_id), str(pair.person_b_id)}
    if str(survivor_id) not in ids:
        raise ValidationFailed({"survivor": [_("Choose one of the two records.")]})
    survivor = Person.objects.select_for_update().get(pk=survivor_id)
    merged = Person.objects.select_for_update().get(pk=(ids - {str(survivor_id)}).pop())
    if merged.merged_into_id or survivor.merged_into_id:
        raise Conflict(_("One of the two records was already merged into another."))
    moved = []
    for model, field in person_references():
        for row in model.objects.filter(**{field: merged}).only("pk"):
            try:
                with transaction.atomic():
                    model.objects.filter(pk=row.pk).update(**{field: survivor})
            except IntegrityError:
                continue  # the survivor already has the same row (e.g. the same agency access)
            moved.append({"model": model._meta.label_lower, "pk": str(row.pk), "field": field})
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    pair.status, pair.reviewed_by, pair.reviewed_at = DuplicatePair.Status.MERGED, by, timezone.now()
    pair.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    merge = Merge.objects.create(pair=pair, survivor=survivor, merged=merged, moved=moved, performed_by=by)
    event_record(person=survivor, kind=PeopleEvent.MERGED, actor=by, data={"other": merged.full_name})
    return merge


@transaction.atomic
def merge_undo(*, by, merge_id) -> Merge:
    from .policies import merges_visible_to

    merge = merges_visible_to(by).select_for_update(of=("self",)).filter(pk=merge_id).first()
    if merge is None:
        from parcours.core.errors import NotFound

        raise NotFound()
    pair_for_review(by, merge.pair_id)
    if merge.undone_at:
        raise Conflict(_("This merge was already undone."))
    for item in merge.moved:
        model = apps.get_model(item["model"])
        model.objects.filter(pk=item["pk"]).update(**{item["field"]: merge.merged_id})
    Person.objects.filter(pk=merge.merged_id).update(merged_into=None, updated_at=timezone.now())
    merge.undone_by, merge.undone_at = by, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    DuplicatePair.objects.filter(pk=merge.pair_id).update(status=DuplicatePair.Status.CONFIRMED)
    event_record(person=merge.survivor, kind=PeopleEvent.UNMERGED, actor=by, data={"other": merge.merged.full_name})
    return merge
