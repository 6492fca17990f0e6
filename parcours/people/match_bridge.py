"""Adapter from the registry to the matching engine: which keys go in which mk_* column, which
index lookups fetch candidates, and the scoring call. Interim, self-contained version; the
engine in parcours.matching replaces the internals without changing these three functions."""

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler
from unidecode import unidecode


@lru_cache(maxsize=65536)
def _norm(text: str | None) -> str:
    return " ".join(unidecode(text or "").casefold().replace("-", " ").split())


@lru_cache(maxsize=65536)
def _phonetic(name: str) -> str:
    import jellyfish

    return jellyfish.metaphone(name)[:20] if name else ""


def db_keys(record: dict) -> dict:
    family, given = _norm(record.get("family_name")), _norm(record.get("given_name"))
    return {
        "mk_family": family[:60],
        "mk_given": given[:60],
        "mk_family_phon": _phonetic(family),
        "mk_phone": (record.get("phone") or "")[-8:],
        "mk_doc": "".join(ch for ch in _norm(record.get("id_document_number")) if ch.isalnum())[:40],
    }


def db_blocks(keys: dict) -> dict:
    """Column -> lookup: any one of them hitting makes a row a candidate."""
    blocks: dict = {}
    if keys["mk_family"] and keys["mk_given"]:
        blocks["names"] = {"mk_family": keys["mk_family"], "mk_given": keys["mk_given"]}
    if keys["mk_family_phon"]:
        blocks["phon"] = {"mk_family_phon": keys["mk_family_phon"]}
    if keys["mk_phone"]:
        blocks["phone"] = {"mk_phone": keys["mk_phone"]}
    if keys["mk_doc"]:
        blocks["doc"] = {"mk_doc": keys["mk_doc"]}
    return blocks


@dataclass
class Ranked:
    record: dict
    score: float
    reasons: list[str]


def rank(query: dict, rows: list[dict], *, limit: int, language: str) -> list[Ranked]:
    fr = language.startswith("fr")
    out = []
    qk = db_keys(query)
    for row in rows:
        rk = db_keys(row)
        reasons, score = [], 0.0
        name_sim = (JaroWinkler.similarity(qk["mk_given"], rk["mk_given"]) + JaroWinkler.similarity(
            qk["mk_family"], rk["mk_family"])) / 2
        score += 0.5 * name_sim
        if name_sim > 0.85:
            reasons.append(("noms proches" if fr else "similar names") + f" ({row['given_name']} {row['family_name']})")
        if qk["mk_phone"] and qk["mk_phone"] == rk["mk_phone"]:
            score += 0.3
            reasons.append("même téléphone" if fr else "same phone")
        if qk["mk_doc"] and qk["mk_doc"] == rk["mk_doc"]:
            score += 0.4
            reasons.append("même document" if fr else "same document")
        qy = query.get("birth_year") or (query.get("birth_date").year if query.get("birth_date") else None)
        ry = row.get("birth_year")
        if qy and ry and abs(int(qy) - int(ry)) <= 1:
            score += 0.2
            reasons.append(f"né(e) en {ry}" if fr else f"born {ry}")
        out.append(Ranked(row, min(score, 1.0), reasons))
    out = [r for r in out if r.score >= 0.5]
    out.sort(key=lambda r: -r.score)
    return out[:limit]
