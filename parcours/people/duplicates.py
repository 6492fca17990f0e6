"""Possible duplicates at registration: the bridge between the registry and the matcher.

The matcher (parcours.matching) knows names, dates and phones; this module knows the
database: which keys to store on a person, how to fetch candidates through the indexes, and
that candidates come only from the people the user may see."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Abs, Coalesce

from parcours.matching import realtime as matcher
from parcours.matching.dates import birth_parts

from .policies import people_visible_to

# Who wants to hear about possible duplicates found when a person is written (registration, import).
# The review queue (parcours.dedup) subscribes in its AppConfig.ready(): the registry knows no consumer,
# so people never imports dedup and the dependency points one way (dedup -> people).
CANDIDATE_CONSUMERS: list[Callable] = []


def on_candidates_found(consumer: Callable) -> None:
    """`consumer(person, candidates)` is called after a person is written with possible duplicates."""
    if consumer not in CANDIDATE_CONSUMERS:
        CANDIDATE_CONSUMERS.append(consumer)


CANDIDATE_FIELDS = [
    "id", "given_name", "family_name", "other_names", "sex", "birth_date", "birth_year", "phone",
    "nationality", "id_document_type", "id_document_number", "return_date", "returned_from",
    "origin_region__name", "origin_cercle__name", "origin_commune__name", "mk_phone",
]
MAX_FETCH = 400  # bound the rows scored for a very common name (nearest first, see _nearest_first)


@dataclass(frozen=True)
class Candidate:
    person_id: str
    score: float
    reasons: list[str]
    given_name: str
    family_name: str
    birth: str


def keys_for(data: dict) -> dict:
    """The mk_* columns for cleaned person data."""
    return matcher.db_keys(_record(data))


def _record(data: dict) -> dict:
    def name(value):
        return getattr(value, "name", value) or ""

    return {
        **{k: data.get(k) for k in (
            "given_name", "family_name", "other_names", "sex", "birth_date", "birth_year", "phone", "nationality",
            "id_document_type", "id_document_number", "return_date", "returned_from")},
        "nationality": str(data.get("nationality") or ""),
        "returned_from": str(data.get("returned_from") or ""),
        "origin_region": name(data.get("origin_region")),
        "origin_cercle": name(data.get("origin_cercle")),
        "origin_commune": name(data.get("origin_commune")),
    }


def _row_record(row: dict) -> dict:
    rec = dict(row)
    rec["origin_region"] = rec.pop("origin_region__name") or ""
    rec["origin_cercle"] = rec.pop("origin_cercle__name") or ""
    rec["origin_commune"] = rec.pop("origin_commune__name") or ""
    rec["nationality"] = str(rec["nationality"] or "")
    rec["returned_from"] = str(rec["returned_from"] or "")
    rec["record_id"] = str(rec["id"])
    # The phone's matching key as stored (realtime.db_keys): parsing 400 numbers again costs more than the query.
    rec["phone_key"] = rec.pop("mk_phone")
    return rec


def _nearest_first(qs: QuerySet, keys: dict, record: dict) -> QuerySet:
    """In a registry of a million, a common name born within two years of another matches up to a
    thousand people (one registration in ten matches more than 350); only MAX_FETCH are scored,
    so they are the nearest: the same phone or document first, then by distance of birth year —
    not merely the latest registered."""
    _date, year = birth_parts(record)
    same = [When(**{column: keys[column]}, then=Value(0)) for column in ("mk_phone", "mk_doc") if keys[column]]
    distance = Coalesce(Abs(F("birth_year") - year) + 1, Value(9)) if year else Value(1)
    closeness = Case(*same, default=distance, output_field=IntegerField()) if same else distance
    return qs.annotate(closeness=closeness).order_by("closeness", "-created_at")


def candidates_for(user, data: dict, *, exclude_id=None, limit: int = 5, language: str = "fr") -> list[Candidate]:
    """People `user` may see who may be the person described by `data`, best first."""
    record = _record(data)
    keys = matcher.db_keys(record)
    block = Q()
    for lookup in matcher.db_blocks(keys, record):
        block |= Q(**lookup)
    if not block:
        return []
    qs = people_visible_to(user).filter(block)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    rows = [_row_record(r) for r in _nearest_first(qs, keys, record).values(*CANDIDATE_FIELDS)[:MAX_FETCH]]
    ranked = matcher.rank(record, rows, limit=limit, language=language)
    return [
        Candidate(
            person_id=str(m.record["id"]), score=round(m.score, 3), reasons=m.reasons,
            given_name=m.record["given_name"], family_name=m.record["family_name"],
            birth=str(m.record["birth_date"] or m.record["birth_year"] or ""),
        )
        for m in ranked
    ]
