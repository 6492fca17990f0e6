import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from parcours.matching.realtime import rank

from .checks import overlap_warnings
from .models import DuplicatePair
from .policies import pairs_visible_to

COMPARED = [
    ("given_name", _("Given name")), ("family_name", _("Family name")), ("other_names", _("Other names")),
    ("sex", _("Sex")), ("birth_date", _("Date of birth")), ("birth_year", _("Year of birth")), ("phone", _("Phone")),
    ("nationality", _("Nationality")), ("origin_region", _("Region of origin")), ("origin_cercle", _("Cercle of origin")),
    ("origin_commune", _("Commune of origin")), ("id_document_type", _("Identity document")),
    ("id_document_number", _("Document number")), ("return_date", _("Date of return")),
    ("returned_from", _("Returned from")), ("registered_place", _("Place of registration")),
    ("created_at", _("Registered on")),
]


def pending_pairs(user):
    return pairs_visible_to(user).filter(status=DuplicatePair.Status.PENDING).select_related("person_a", "person_b")


def _value(person, field):
    display = getattr(person, f"get_{field}_display", None)
    value = getattr(person, field)
    if value is None or value == "":
        return ""
    if display is not None:
        return str(display())
    if hasattr(value, "name") and not isinstance(value, str):
        return value.name
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if hasattr(value, "strftime"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _keep_label(letter: str, person) -> str:
    """What tells the two records apart when the names read the same: the column letter, the
    registration time to the minute, who registered it and where."""
    registrar = person.registered_by.username if person.registered_by_id else "—"
    return _("Keep record %(letter)s: %(name)s, registered on %(when)s by %(by)s%(place)s") % {
        "letter": letter, "name": person.full_name, "by": registrar,
        "when": formats.date_format(timezone.localtime(person.created_at), "SHORT_DATETIME_FORMAT"),
        "place": f" ({person.registered_place.name})" if person.registered_place_id else ""}


def _record(person) -> dict:
    return {"record_id": str(person.pk), "given_name": person.given_name, "family_name": person.family_name,
            "sex": person.sex, "birth_date": person.birth_date, "birth_year": person.birth_year, "phone": person.phone,
            "id_document_number": person.id_document_number,
            "origin_region": person.origin_region.name if person.origin_region_id else "",
            "origin_cercle": person.origin_cercle.name if person.origin_cercle_id else "",
            "origin_commune": person.origin_commune.name if person.origin_commune_id else "",
            "return_date": person.return_date, "returned_from": str(person.returned_from or "")}


def pair_view(pair: DuplicatePair) -> dict:
    """Both records aligned field by field, the matcher's reasons, and double-assistance warnings."""
    a, b = pair.person_a, pair.person_b
    rows = [{"label": label, "a": _value(a, f), "b": _value(b, f), "differs": _value(a, f) != _value(b, f)}
            for f, label in COMPARED]
    ranked = rank(_record(a), [_record(b)], limit=1, language=get_language() or "fr", min_score=0.0)
    return {"rows": rows, "reasons": ranked[0].reasons if ranked else pair.reasons,
            "score": ranked[0].score if ranked else pair.score, "warnings": overlap_warnings(a, b),
            "keep": [(a.pk, _keep_label("A", a)), (b.pk, _keep_label("B", b))]}


def open_duplicates(person) -> list[tuple[DuplicatePair, object]]:
    """The pairs still open on `person` (to review, or confirmed and not yet merged), with the other
    record of each; whoever asks (the payment check runs for a case worker who cannot see the queue)."""
    from django.db.models import Q

    open_statuses = [DuplicatePair.Status.PENDING, DuplicatePair.Status.CONFIRMED]
    pairs = (DuplicatePair.objects.filter(Q(person_a=person) | Q(person_b=person), status__in=open_statuses)
             .select_related("person_a", "person_b"))
    out = []
    for pair in pairs:
        other = pair.person_b if pair.person_a_id == person.pk else pair.person_a
        if other.merged_into_id is None:
            out.append((pair, other))
    return out
