"""Comparison levels for pairs of prepared records, as integer arrays (one column per field).

Level 0 is the strongest agreement; -1 means "missing on one side" and counts for nothing."""

import numpy as np
from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.process import cpdist

from .prepare import Prepared

MISSING = -1
GENERATION = 10  # birth years this far apart: two people, whatever else they share


def _jw(p: Prepared, field: str, a: np.ndarray, b: np.ndarray, other: str | None = None) -> np.ndarray:
    """Jaro–Winkler of a's `field` with b's `other` (default the same field), pair by pair."""
    if not len(a):
        return np.zeros(0)
    left = _texts(p, field)[a].tolist()
    right = _texts(p, other or field)[b].tolist()
    return cpdist(left, right, scorer=JaroWinkler.normalized_similarity, workers=1)


def _texts(p: Prepared, field: str) -> np.ndarray:
    """A field's texts as an object array (cached on `p`), so that millions of pairs pick theirs by index."""
    cache = p.__dict__.setdefault("_text_arrays", {})
    if field not in cache:
        cache[field] = np.asarray(p.text[field], dtype=object)
    return cache[field]


def _lengths(p: Prepared, field: str) -> np.ndarray:
    cache = p.__dict__.setdefault("_lengths", {})
    if field not in cache:
        cache[field] = np.fromiter((len(t) for t in p.text[field]), dtype=np.int64, count=len(p.text[field]))
    return cache[field]


def _compound(p: Prepared, field: str) -> np.ndarray:
    """Per record: the name has several parts (only those can be a compound name and its part)."""
    cache = p.__dict__.setdefault("_compound", {})
    if field not in cache:
        cache[field] = np.fromiter((" " in t for t in p.text[field]), dtype=bool, count=len(p.text[field]))
    return cache[field]


def name_levels(p: Prepared, field: str, a: np.ndarray, b: np.ndarray, other: str | None = None) -> np.ndarray:
    """0 same spelling · 1 same name group (Mahamadou ≈ Mamadou) · 2 same sound or very close ·
    3 close · 4 different. `other` compares a's `field` with b's `other` (swapped names)."""
    fb = other or field
    ca, cb = p.code[field][a], p.code[fb][b]
    levels = np.full(len(a), 4, dtype=np.int8)
    missing = (ca == 0) | (cb == 0)
    exact = (ca == cb) & ~missing
    canon = (p.code[f"{field}_canon"][a] == p.code[f"{fb}_canon"][b]) & ~missing & ~exact
    skel = (p.code[f"{field}_skel"][a] == p.code[f"{fb}_skel"][b]) & ~missing & ~exact & ~canon
    rest = ~(missing | exact | canon | skel)
    levels[exact], levels[canon], levels[skel] = 0, 1, 2
    if rest.any():
        idx = np.nonzero(rest)[0]
        # The closer of the names as written and their group forms: a typo in a variant ("Moohamed")
        # may leave its group while staying one keystroke from the other spelling.
        sim = np.maximum(_jw(p, f"{field}_canon", a[idx], b[idx], other=f"{fb}_canon"),
                         _jw(p, field, a[idx], b[idx], other=fb))
        levels[idx[sim >= 0.92]] = 2
        levels[idx[(sim >= 0.80) & (sim < 0.92)]] = 3
        # A compound name and one of its parts ("Mamadou Lamine" / "Lamine"): the same name, shortened.
        left, right = p.text[f"{field}_canon"], p.text[f"{fb}_canon"]
        low = idx[sim < 0.92]
        for k in low[_compound(p, f"{field}_canon")[a[low]] | _compound(p, f"{fb}_canon")[b[low]]]:
            x, y = left[a[k]].split(), right[b[k]].split()
            if (len(x) > 1 or len(y) > 1) and (set(x) <= set(y) or set(y) <= set(x)):
                levels[k] = 2
    levels[missing] = MISSING
    return levels


def both_dates_of(da: np.ndarray, db: np.ndarray) -> np.ndarray:
    return (da > 0) & (db > 0)


def birth_levels(p: Prepared, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 same date · 1 day and month swapped · 2 same year, one side year only · 3 same year,
    different dates · 4 a year apart · 5 two years apart · 6 three to nine years apart · 7 ten
    years or more and not a typo: another generation (a father and his son of the same name)."""
    da, db, ya, yb = p.date[a], p.date[b], p.year[a], p.year[b]
    levels = np.full(len(a), 6, dtype=np.int8)
    # A mistyped year keeps the day and month, or swaps the year's last two digits (1985/1958).
    typo = (both_dates_of(da, db) & (da % 10000 == db % 10000)) | ((ya % 10) * 10 + ya // 10 % 10 == yb % 100)
    levels[(np.abs(ya - yb) >= GENERATION) & ~typo] = 7
    missing = (ya == 0) | (yb == 0)
    both_dates = (da > 0) & (db > 0)
    same_year = ya == yb
    diff = np.abs(ya - yb)
    swapped = both_dates & same_year & ((da % 100) * 100 + (da // 100) % 100 == db % 10000) & (da != db) & (
        (da % 100) <= 12)
    levels[diff == 2] = 5
    levels[diff == 1] = 4
    levels[same_year & both_dates] = 3
    levels[same_year & ~both_dates] = 2
    levels[swapped] = 1
    levels[both_dates & (da == db)] = 0
    levels[missing] = MISSING
    return levels


def equal_levels(p: Prepared, field: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 equal · 1 different."""
    ca, cb = p.code[field][a], p.code[field][b]
    levels = np.where(ca == cb, 0, 1).astype(np.int8)
    levels[(ca == 0) | (cb == 0)] = MISSING
    return levels


def phone_levels(p: Prepared, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 same number · 1 one keystroke off (a digit replaced, dropped or added, two swapped: the
    same phone mistyped or written short) · 2 different."""
    levels = equal_levels(p, "phone", a, b) * 2
    levels[levels < 0] = MISSING
    diff = np.nonzero(levels == 2)[0]
    if len(diff):
        phones = _texts(p, "phone")
        distance = cpdist(phones[a[diff]].tolist(), phones[b[diff]].tolist(), scorer=OSA.distance, workers=1)
        # A number written short keeps its last digits: 1546303 is 21546303 without its first.
        length = _lengths(p, "phone")
        la, lb = length[a[diff]], length[b[diff]]
        maybe = np.flatnonzero((la != lb) & (np.minimum(la, lb) >= 6))  # few: most numbers have 8 digits
        short = np.zeros(len(diff), dtype=bool)
        short[maybe] = [phones[i].endswith(phones[j]) or phones[j].endswith(phones[i])
                        for i, j in zip(a[diff[maybe]], b[diff[maybe]], strict=True)]
        levels[diff[(distance <= 1) | short]] = 1
    return levels


def document_levels(p: Prepared, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 same number · 1 one character off · 2 different."""
    levels = equal_levels(p, "doc", a, b) * 2
    levels[levels < 0] = MISSING
    diff = np.nonzero(levels == 2)[0]
    if len(diff):
        sim = _jw(p, "doc", a[diff], b[diff])
        levels[diff[sim >= 0.93]] = 1
    return levels


def origin_levels(p: Prepared, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 same commune · 1 same cercle · 2 same region · 3 different; each level compared only where
    both records give it (a cercle without its region still counts)."""
    region = equal_levels(p, "region", a, b)
    cercle = equal_levels(p, "cercle", a, b)
    commune = equal_levels(p, "commune", a, b)
    levels = np.full(len(a), MISSING, dtype=np.int8)
    levels[(region == 1) | (cercle == 1) | (commune == 1)] = 3
    levels[region == 0] = 2
    levels[(cercle == 0) & (region != 1)] = 1
    levels[(commune == 0) & (cercle != 1) & (region != 1)] = 0
    return levels


def return_levels(p: Prepared, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The return: 0 same date · 1 within a month · 2 further apart or from another country. Two
    registrations off one flight share the date; a namesake rarely does; one person may come back
    twice, so a different return says little."""
    ra, rb = p.returned[a], p.returned[b]
    country = equal_levels(p, "returned_from", a, b)
    levels = np.full(len(a), MISSING, dtype=np.int8)
    dated = (ra > 0) & (rb > 0)
    gap = np.abs(ra - rb)
    levels[dated] = 2
    levels[dated & (gap <= 31) & (country != 1)] = 1
    levels[dated & (gap == 0) & (country != 1)] = 0
    return levels


def string_levels(p: Prepared, field: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Free text (addresses…): 0 equal · 1 very close · 2 close · 3 different."""
    levels = equal_levels(p, field, a, b) * 3
    levels[levels < 0] = MISSING
    diff = np.nonzero(levels == 3)[0]
    if len(diff):
        sim = _jw(p, field, a[diff], b[diff])
        levels[diff[sim >= 0.92]] = 1
        levels[diff[(sim >= 0.80) & (sim < 0.92)]] = 2
    return levels


CORE_FIELDS = ("given", "family", "birth", "sex", "phone", "doc", "origin", "return")
N_LEVELS = {"given": 5, "family": 5, "birth": 8, "sex": 2, "phone": 3, "doc": 3, "origin": 4, "return": 3}


def comparison_matrix(p: Prepared, a: np.ndarray, b: np.ndarray, extra_fields: tuple[str, ...] = ()
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Levels for every pair (rows) and field (columns), and a flag for pairs whose given and
    family names match better crosswise (names written in the other order)."""
    given = name_levels(p, "given", a, b)
    family = name_levels(p, "family", a, b)
    swapped = np.zeros(len(a), dtype=bool)
    weak = np.nonzero((given >= 3) & (family >= 3))[0]
    if len(weak):
        g2 = name_levels(p, "given", a[weak], b[weak], other="family")
        f2 = name_levels(p, "family", a[weak], b[weak], other="given")
        better = (g2 >= 0) & (f2 >= 0) & (g2 + f2 < np.maximum(given[weak], 0) + np.maximum(family[weak], 0))
        given[weak[better]], family[weak[better]] = g2[better], f2[better]
        swapped[weak[better]] = True
    columns = [given, family, birth_levels(p, a, b), equal_levels(p, "sex", a, b), phone_levels(p, a, b),
               document_levels(p, a, b), origin_levels(p, a, b), return_levels(p, a, b)]
    columns += [string_levels(p, f, a, b) for f in extra_fields]
    return np.stack(columns, axis=1), swapped
