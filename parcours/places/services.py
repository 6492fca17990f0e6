"""Writes on the gazetteer: loading it, alternate names, and noting a name it did not know."""

import csv
from pathlib import Path

from django.db import transaction
from django.db.models import F

from parcours.accounts.models import Place
from parcours.accounts.selectors import name_key
from parcours.accounts.services import place_upsert
from parcours.core.errors import Forbidden

from .models import PlaceName, UnresolvedPlace
from .policies import can_clean_places

DATA = Path(__file__).parent / "data"


def place_name_add(*, place: Place, name: str) -> PlaceName:
    alt, _ = PlaceName.objects.get_or_create(place=place, search_name=name_key(name), defaults={"name": name})
    return alt


@transaction.atomic
def gazetteer_load(path: Path = DATA / "ML.csv") -> dict[str, Place]:
    """Load a country's gazetteer (code, pcode, name, kind, parent, alternates separated by |,
    latitude, longitude). Idempotent: loading twice changes nothing."""
    by_code: dict[str, Place] = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            parent = by_code.get(row["parent"]) if row["parent"] else None
            place = place_upsert(code=row["code"], name=row["name"], kind=row["kind"], parent=parent,
                                 pcode=row.get("pcode", ""), latitude=row.get("latitude") or None,
                                 longitude=row.get("longitude") or None)
            for alt in filter(None, (a.strip() for a in (row.get("alternates") or "").split("|"))):
                place_name_add(place=place, name=alt)
            by_code[row["code"]] = place
    return by_code


def unresolved_place_note(*, text: str, kind: str, within: Place | None = None) -> UnresolvedPlace:
    """Remember that someone wrote `text` for a `kind` the gazetteer does not know, so a data
    cleaner finds it. Counting uses, never failing the record that used it."""
    key = name_key(text)
    note, created = UnresolvedPlace.objects.get_or_create(
        kind=kind, search_name=key, defaults={"text": text.strip()[:120], "within": within, "uses": 1})
    if not created:
        UnresolvedPlace.objects.filter(pk=note.pk).update(uses=F("uses") + 1)
    return note


@transaction.atomic
def unresolved_place_confirm(*, by, note_id: int, place: Place) -> UnresolvedPlace:
    """A data cleaner says what an unknown name meant: it becomes an alternate name of `place`,
    so the next record that uses it resolves by itself."""
    if not can_clean_places(by):
        raise Forbidden()
    note = UnresolvedPlace.objects.select_for_update().get(pk=note_id)
    place_name_add(place=place, name=note.text)
    note.resolved_to = place
    note.save(update_fields=["resolved_to"])
    return note
