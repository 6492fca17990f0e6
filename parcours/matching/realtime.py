"""Real-time use by the registry: the keys stored on each person (indexed), the index lookups
that fetch candidates, and the scoring of those candidates with the shipped model."""

from dataclasses import dataclass

import numpy as np

from .compare import CORE_FIELDS, comparison_matrix
from .dates import birth_parts
from .model import default_model, match_probability, pair_shares
from .names import canonical_name, skeleton
from .normalize import document, phone_digits
from .prepare import concat, prepare
from .reasons import explain

MIN_SCORE = 0.25


def db_keys(record: dict) -> dict:
    """The mk_* columns of a person (see parcours.people.models.Person)."""
    family, given = canonical_name(record.get("family_name")), canonical_name(record.get("given_name"))
    phone = phone_digits(record.get("phone"))
    return {
        "mk_family": family[:60], "mk_given": given[:60],
        "mk_family_phon": skeleton(family)[:20], "mk_given_phon": skeleton(given)[:20],
        "mk_phone": phone[-8:] if phone else "", "mk_doc": document(record.get("id_document_number"))[:40],
    }


def db_blocks(keys: dict, record: dict) -> list[dict]:
    """Django filter dicts; a person matching any of them is a candidate. Each is served by an index."""
    _date, year = birth_parts(record)
    blocks = []
    if keys["mk_family"] and keys["mk_given"]:
        names = {"mk_family": keys["mk_family"], "mk_given": keys["mk_given"]}
        blocks.append({**names, "birth_year__range": (year - 2, year + 2)} if year else names)
        swapped = {"mk_family": keys["mk_given"], "mk_given": keys["mk_family"]}
        blocks.append({**swapped, "birth_year__range": (year - 2, year + 2)} if year else swapped)
    if keys["mk_family_phon"] and keys["mk_given_phon"] and year:
        blocks.append({"mk_family_phon": keys["mk_family_phon"], "mk_given_phon": keys["mk_given_phon"],
                       "birth_year__range": (year - 1, year + 1)})
    # The batch's names_and_return (blocking.py): each name's sound alone, in either column, with the day of
    # return — registrations off one flight meet whatever became of the birth date, the other name or the
    # phone. Two lookups, each served by its (return_date, name) index; the initials part of that rule has
    # no stored column and is left to the batch.
    sounds = sorted({keys["mk_family_phon"], keys["mk_given_phon"]} - {""})
    returned = record.get("return_date")
    if returned and sounds:
        blocks.append({"return_date": returned, "mk_family_phon__in": sounds})
        blocks.append({"return_date": returned, "mk_given_phon__in": sounds})
    if keys["mk_phone"]:
        blocks.append({"mk_phone": keys["mk_phone"]})
    if keys["mk_doc"]:
        blocks.append({"mk_doc": keys["mk_doc"]})
    return blocks


@dataclass
class Ranked:
    record: dict
    score: float
    reasons: list[str]


def rank(query: dict, rows: list[dict], *, limit: int = 5, language: str = "fr",
         min_score: float = MIN_SCORE) -> list[Ranked]:
    """Score `rows` against `query`, best first, with reasons in `language`."""
    if not rows:
        return []
    model = default_model()
    vocab: dict = {}
    p = concat(prepare([query], vocabularies=vocab, keep_raw=True),
               prepare(rows, vocabularies=vocab, source=1, keep_raw=True))
    a = np.zeros(len(rows), dtype=np.int64)
    b = np.arange(1, len(rows) + 1, dtype=np.int64)
    levels, swapped = comparison_matrix(p, a, b)
    tf, gtf = pair_shares(model, p.text["given_canon"], p.text["family_canon"], a, b)
    scores = match_probability(model, levels, tf, gtf)
    order = np.argsort(-scores, kind="stable")
    out = []
    for k in order[:limit]:
        if scores[k] < min_score:
            break
        out.append(Ranked(rows[k], float(scores[k]),
                          explain(p, 0, int(b[k]), levels[k], bool(swapped[k]), list(CORE_FIELDS), language)))
    return out
