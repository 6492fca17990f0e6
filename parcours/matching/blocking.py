"""Blocking: which pairs are worth comparing. Several rules, each a key per record; records
sharing a key are compared; the union of all rules is the candidate set. Blocks larger than
`max_block` are skipped (a name shared by thousands says nothing on its own); recall is measured."""

from collections.abc import Callable

import numpy as np

from .prepare import Prepared

Rule = Callable[[Prepared], np.ndarray]  # -> int64 key per record, 0 = no key


def _combine(*columns: np.ndarray) -> np.ndarray:
    """One int64 key from several code columns; 0 when any part is missing."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    missing = np.zeros(len(columns[0]), dtype=bool)
    for col in columns:
        key = key * 1_000_003 + col
        missing |= col == 0
    key = np.where(missing, 0, key % (2**62) + 1)
    return key


def names_and_year(p: Prepared) -> np.ndarray:
    return _combine(p.code["family_canon"], p.code["given_canon"], p.year)


def sounds_and_year(p: Prepared) -> np.ndarray:
    return _combine(p.code["family_skel"], p.code["given_skel"], p.year)


def swapped_names_and_year(p: Prepared) -> np.ndarray:
    # Key on the unordered pair of names so "Traoré Mamadou" meets "Mamadou Traoré".
    lo = np.minimum(p.code["family_canon"], p.code["given_canon"])
    hi = np.maximum(p.code["family_canon"], p.code["given_canon"])
    return _combine(lo, hi, p.year)


def phone(p: Prepared) -> np.ndarray:
    return _combine(p.code["phone"])


def document(p: Prepared) -> np.ndarray:
    return _combine(p.code["doc"])


def family_and_date(p: Prepared) -> np.ndarray:
    return _combine(p.code["family_skel"], p.date)


def given_and_date(p: Prepared) -> np.ndarray:
    return _combine(p.code["given_skel"], p.date)


def date_only(p: Prepared) -> np.ndarray:
    return _combine(p.date)


date_only.uses = {"birth"}


def names_only(p: Prepared) -> np.ndarray:
    # Any year: only rare name pairs survive the block-size cap, which is what we want.
    return _combine(p.code["family_canon"], p.code["given_canon"])


def names_and_place(p: Prepared) -> np.ndarray:
    # Year a little off (declared age) but same names and same commune.
    return _combine(p.code["family_canon"], p.code["given_canon"], p.code["commune"])


# Which compared fields each rule makes agree by construction: training learns a field's m only
# from pairs that some rule *not* using that field brought in (as Splink does).
for _rule, _uses in ((names_and_year, {"given", "family", "birth"}), (sounds_and_year, {"given", "family", "birth"}),
                     (swapped_names_and_year, {"given", "family", "birth"}), (phone, {"phone"}),
                     (document, {"doc"}), (family_and_date, {"family", "birth"}), (given_and_date, {"given", "birth"}),
                     (names_and_place, {"given", "family", "origin"}), (names_only, {"given", "family"})):
    _rule.uses = _uses

DEFAULT_RULES: list[Rule] = [names_and_year, sounds_and_year, swapped_names_and_year, phone, document,
                             family_and_date, given_and_date, names_and_place]


def extra_rule(*fields: str) -> Rule:
    def rule(p: Prepared) -> np.ndarray:
        return _combine(*(p.code[f] for f in fields))

    rule.__name__ = "+".join(fields)
    rule.uses = set(fields)
    return rule


def candidate_pairs(p: Prepared, rules: list[Rule] = DEFAULT_RULES, *, max_block: int = 400,
                    link_only: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    """Index arrays (a, b) with a < b of the pairs to compare, a bit mask per pair of the rules
    that proposed it (bit k = rules[k]), and per-rule statistics."""
    chunks, masks, stats = [], [], {}
    for bit, rule in enumerate(rules):
        keys = rule(p)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, len(keys)])
        valid = (sorted_keys[starts] != 0) & (sizes > 1) & (sizes <= max_block)
        pairs_a, pairs_b = [], []
        for size in np.unique(sizes[valid]):
            block_starts = starts[valid & (sizes == size)]
            i, j = np.triu_indices(size, k=1)
            members = order[block_starts[:, None] + np.arange(size)[None, :]]
            pairs_a.append(members[:, i].ravel())
            pairs_b.append(members[:, j].ravel())
        if pairs_a:
            a, b = np.concatenate(pairs_a), np.concatenate(pairs_b)
            chunks.append(np.minimum(a, b) * np.int64(p.n) + np.maximum(a, b))
            masks.append(np.full(len(a), 1 << bit, dtype=np.int64))
        stats[getattr(rule, "__name__", "rule")] = {
            "pairs": int(sum(len(x) for x in pairs_a)), "skipped_blocks": int(((sizes > max_block) & (
                sorted_keys[starts] != 0)).sum())}
    if not chunks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, stats
    codes, bits = np.concatenate(chunks), np.concatenate(masks)
    order = np.argsort(codes, kind="stable")
    codes, bits = codes[order], bits[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    merged, mask = codes[starts], np.bitwise_or.reduceat(bits, starts)
    a, b = merged // p.n, merged % p.n
    if link_only:
        keep = p.source[a] != p.source[b]
        a, b, mask = a[keep], b[keep], mask[keep]
    return a, b, mask, stats
