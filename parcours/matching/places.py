"""Place names as people write them, reduced to one form: "BKO", "Bamako" and "District de Bamako";
"Commune 1" and "Commune I"; "Timbuktu" and "Tombouctou". The forms come from the gazetteer's data
file (names and alternate names), read as data: matching depends on no other package."""

import csv
from functools import lru_cache
from pathlib import Path

from .normalize import clean

GAZETTEER = Path(__file__).resolve().parent.parent / "places" / "data" / "ML.csv"
_ROMAN = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v", "6": "vi"}


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        with open(GAZETTEER, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                name = clean(row["name"])
                forms = [row["name"], *(row.get("alternates") or "").split("|")]
                if row.get("kind") == "region":
                    forms.append(row["code"])
                for form in forms:
                    if clean(form):
                        out.setdefault(clean(form), name)
    except OSError:
        pass
    return out


@lru_cache(maxsize=50_000)
def place_key(text) -> str:
    """One form per place name; unknown names are only cleaned (case, accents, punctuation)."""
    words = clean(text).split()
    if not words:
        return ""
    if words[0] == "commune" and len(words) == 2:
        words[1] = _ROMAN.get(words[1], words[1])
    whole = " ".join(words)
    return _aliases().get(whole, whole)
