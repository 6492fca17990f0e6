"""Records → columns of normalised values and integer codes, computed once per record so that
millions of pair comparisons are array operations."""

from dataclasses import dataclass, field

import numpy as np

from .dates import birth_parts, day_number
from .names import canonical_name, skeleton
from .normalize import clean, clean_text, document, phone_digits
from .places import place_key

NAME_FIELDS = ("given", "family")
# When only the year is known, registries write 1 January (or 31 December) of that year.
PLACEHOLDER_DAYS = frozenset({101, 1231})


@dataclass
class Prepared:
    n: int
    ids: list
    text: dict[str, list[str]]  # field -> cleaned strings (for string similarity and reasons)
    code: dict[str, np.ndarray]  # field -> int codes (0 = missing), equal codes = equal values
    date: np.ndarray  # yyyymmdd or 0
    year: np.ndarray  # year or 0
    returned: np.ndarray  # date of return as a day number, or 0
    source: np.ndarray  # 0/1 for linkage
    raw: list[dict] = field(default_factory=list)


def _vocabulary(field: str) -> str:
    for name in NAME_FIELDS:
        if field == name or field.startswith(f"{name}_"):
            return "name" + field[len(name):]
    return field


def _codes(values: list[str], vocabulary: dict[str, int]) -> np.ndarray:
    out = np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        if not v:
            out[i] = 0
        else:
            code = vocabulary.get(v)
            if code is None:
                code = vocabulary[v] = len(vocabulary) + 1
            out[i] = code
    return out


def prepare(records: list[dict], extra_fields: tuple[str, ...] = (), source: int = 0,
            vocabularies: dict | None = None, keep_raw: bool = False) -> Prepared:
    """`vocabularies` lets two data sets (linkage) share codes; pass the same dict to both."""
    vocab = vocabularies if vocabularies is not None else {}
    text: dict[str, list[str]] = {k: [] for k in (
        "given", "family", "given_canon", "family_canon", "given_skel", "family_skel", "phone", "doc", "sex",
        "region", "cercle", "commune", "returned_from", *extra_fields)}
    dates, years, ids, returned = [], [], [], []
    for rec in records:
        ids.append(rec.get("record_id", rec.get("id")))
        given, family = rec.get("given_name") or "", rec.get("family_name") or ""
        text["given"].append(clean(given))
        text["family"].append(clean(family))
        text["given_canon"].append(canonical_name(given))
        text["family_canon"].append(canonical_name(family))
        text["given_skel"].append(skeleton(canonical_name(given)))
        text["family_skel"].append(skeleton(canonical_name(family)))
        if "phone_key" in rec:  # read from the registry with its stored key: the same value, not parsed again
            text["phone"].append(rec["phone_key"] or "")
        else:
            phone = phone_digits(rec.get("phone"))
            text["phone"].append(phone[-8:] if phone else "")
        text["doc"].append(document(rec.get("id_document_number")))
        sex = str(rec.get("sex") or "").upper()[:1]
        text["sex"].append(sex if sex in ("M", "F") else "")
        text["region"].append(place_key(rec.get("origin_region")))
        text["cercle"].append(place_key(rec.get("origin_cercle")))
        text["commune"].append(place_key(rec.get("origin_commune")))
        text["returned_from"].append(str(rec.get("returned_from") or "").strip().upper()[:2])
        returned.append(day_number(rec.get("return_date")))
        for extra in extra_fields:
            text[extra].append(clean_text(rec.get(extra)))
        d, y = birth_parts(rec)
        if d % 10000 in PLACEHOLDER_DAYS:  # 1 January or 31 December: a year written as a date
            d = 0
        dates.append(d)
        years.append(y)
    for name in NAME_FIELDS:  # q-grams for blocking: first and last three letters of the sound key
        squeezed = [s.replace(" ", "") for s in text[f"{name}_skel"]]
        text[f"{name}_head"] = [s[:3] for s in squeezed]
        text[f"{name}_tail"] = [s[-3:] for s in squeezed]
        text[f"{name}_initial"] = [s[:1] for s in squeezed]
    # Given and family names share one vocabulary per form, so that a given name can be compared with
    # a family name by code (names written the other way round).
    code = {k: _codes(v, vocab.setdefault(_vocabulary(k), {})) for k, v in text.items()}
    return Prepared(
        n=len(records), ids=ids, text=text, code=code, date=np.asarray(dates, dtype=np.int64),
        year=np.asarray(years, dtype=np.int64), returned=np.asarray(returned, dtype=np.int64),
        source=np.full(len(records), source, dtype=np.int8),
        raw=list(records) if keep_raw else [],
    )


def concat(a: Prepared, b: Prepared) -> Prepared:
    return Prepared(
        n=a.n + b.n, ids=a.ids + b.ids, text={k: a.text[k] + b.text[k] for k in a.text},
        code={k: np.concatenate([a.code[k], b.code[k]]) for k in a.code}, date=np.concatenate([a.date, b.date]),
        year=np.concatenate([a.year, b.year]), returned=np.concatenate([a.returned, b.returned]), source=np.concatenate([a.source, b.source]), raw=a.raw + b.raw,
    )
