"""Blocking: which pairs are worth comparing. Several rules, each one or more keys per record;
records sharing a key are compared; the union of all rules is the candidate set.

No block is ever dropped. A block larger than `max_block` (a name shared by thousands, as Traoré or
Coulibaly are in Kayes) is split by sorted neighbourhood: its members are sorted on names, year and
date, and each is compared with the next `window - 1` members, so the nearest spellings and birth
years inside a common name still meet. Blocks grow with the registry, so the pairs of whole blocks
grow with its square: each key has a pair budget (`pair_budget`, at least PAIRS_PER_RECORD per
record), and when its whole blocks would exceed it the size under which a block is compared whole is
lowered until they fit — the pairs then grow in step with the registry (1 000 000 records in
minutes), and a registry small enough to fit keeps every pair. Per rule, the statistics say how many
pairs it brought, how many no other rule brought, and how many blocks it had to split."""

from collections.abc import Callable

import numpy as np

from .prepare import Prepared

Rule = Callable[[Prepared], np.ndarray]  # -> int64 key per record (n,) or several keys (n, k); 0 = no key

WINDOW = 20
# Pairs one key may bring, whatever the registry's size, before its largest blocks are split
# (a registry of 100 000 stays under it), and per record beyond that: the cost stays linear.
PAIR_FLOOR = 1_250_000
PAIRS_PER_RECORD = 6


def pair_budget(n: int) -> int:
    return max(PAIR_FLOOR, PAIRS_PER_RECORD * n)


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """np.unique for int64 codes by sorting (numpy 2's hash-based unique is several times slower here)."""
    if len(values) == 0:
        return values
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]]


def _window_pairs(sizes: np.ndarray, window: int) -> np.ndarray:
    """Sorted-neighbourhood pairs of a block of each size: each member with the next `window - 1`."""
    m = np.minimum(sizes - 1, window - 1)
    return m * sizes - m * (m + 1) // 2


def split_plan(sizes: np.ndarray, max_block: int, window: int, budget: int) -> tuple[int, int]:
    """(size up to which blocks are compared whole, sorted-neighbourhood window for the rest), the
    largest both, within `budget` pairs for this key. The size is lowered first, from `max_block`
    down; if even windows over every block exceed the budget (a million records share few names and
    years), the window narrows too, down to each record and its next neighbour."""
    sizes = sizes[sizes > 1]
    if not len(sizes):
        return max_block, window
    values, counts = np.unique(sizes, return_counts=True)
    whole = np.cumsum(counts * values * (values - 1) // 2)  # pairs of blocks up to values[i], whole
    split = np.cumsum((counts * _window_pairs(values, window))[::-1])[::-1]
    total = whole + np.r_[split[1:], 0]  # ... plus windows over the larger ones
    allowed = values <= max_block
    if total[allowed].max(initial=0) <= budget and (allowed.all() or split[allowed.sum()] <= budget):
        return max_block, window
    fits = values[allowed & (total <= budget)]
    if len(fits):
        return int(fits.max()), window
    for narrower in range(window, 1, -1):
        if int((counts * _window_pairs(values, narrower)).sum()) <= budget:
            return 1, narrower
    return 1, 2


def _combine(*columns: np.ndarray) -> np.ndarray:
    """One int64 key from several code columns (each below 1 000 003: codes, years, dates' parts are;
    a combined key is not); 0 when any part is missing."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    missing = np.zeros(len(columns[0]), dtype=bool)
    for col in columns:
        key = key * 1_000_003 + col
        missing |= col == 0
    key = np.where(missing, 0, key % (2**62) + 1)
    return key


def _near_years(p: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Two bucketings of the birth year (y // 2 and (y + 1) // 2): two years a year apart share
    at least one bucket, equal years share both."""
    year = p.year
    return np.where(year > 0, year // 2 + 1, 0), np.where(year > 0, (year + 1) // 2 + 1, 0)


def _swap_safe_date(p: Prepared) -> np.ndarray:
    """The date with day and month in a fixed order, so 03/07 and 07/03 give one key."""
    d = p.date
    day, month = d % 100, d // 100 % 100
    return np.where(d > 0, d // 10000 * 10000 + np.minimum(day, month) * 100 + np.maximum(day, month), 0)


def _unordered(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Given and family names as an unordered pair: "Traoré Mamadou" meets "Mamadou Traoré"."""
    return np.minimum(a, b), np.maximum(a, b)


def names_near_year(p: Prepared) -> np.ndarray:
    lo, hi = _unordered(p.code["family_canon"], p.code["given_canon"])
    y1, y2 = _near_years(p)
    return np.stack([_combine(lo, hi, y1), _combine(lo, hi, y2)], axis=1)


def sounds_near_year(p: Prepared) -> np.ndarray:
    lo, hi = _unordered(p.code["family_skel"], p.code["given_skel"])
    y1, y2 = _near_years(p)
    return np.stack([_combine(lo, hi, y1), _combine(lo, hi, y2)], axis=1)


def name_ends_and_year(p: Prepared) -> np.ndarray:
    """q-gram keys: the first letter, first three or last three letters of each name's sound key,
    combined so that one typo in each name ("Ouar"/"Umar", "Dnarra"/"Diarra"), wherever it falls,
    leaves at least one combination intact; with the birth year and the sex, to keep blocks small."""
    c = p.code
    combos = [(c["given_initial"], c["family_head"]), (c["given_initial"], c["family_tail"]),
              (c["given_head"], c["family_initial"]), (c["given_tail"], c["family_initial"]),
              (c["given_tail"], c["family_tail"])]
    return np.stack([_combine(g, f, p.year, c["sex"]) for g, f in combos], axis=1)


def phone(p: Prepared) -> np.ndarray:
    return _combine(p.code["phone"])


def document(p: Prepared) -> np.ndarray:
    return _combine(p.code["doc"])


def family_and_date(p: Prepared) -> np.ndarray:
    date = _swap_safe_date(p)
    return _combine(p.code["family_skel"], date // 10000, date % 10000)


def given_and_date(p: Prepared) -> np.ndarray:
    date = _swap_safe_date(p)
    return _combine(p.code["given_skel"], date // 10000, date % 10000)


def family_near_year_and_place(p: Prepared) -> np.ndarray:
    """The family name alone with the birth year and commune: the given name may be mistyped
    beyond recognition (or be another form of the name)."""
    y1, y2 = _near_years(p)
    return np.stack([_combine(p.code["family_skel"], y1, p.code["commune"]),
                     _combine(p.code["family_skel"], y2, p.code["commune"])], axis=1)


def given_near_year_and_place(p: Prepared) -> np.ndarray:
    y1, y2 = _near_years(p)
    return np.stack([_combine(p.code["given_skel"], y1, p.code["commune"]),
                     _combine(p.code["given_skel"], y2, p.code["commune"])], axis=1)


def names_and_return(p: Prepared) -> np.ndarray:
    """Each name alone (given or family, in either column) with the day of return, and both initials
    with that day: two registrations off one flight, whatever became of the birth date, the other
    name or the phone. Relatives on that flight are told apart by the comparison, not here."""
    c, day = p.code, p.returned
    return np.stack([_combine(c["family_skel"], day), _combine(c["given_skel"], day),
                     _combine(*_unordered(c["family_initial"], c["given_initial"]), day)], axis=1)


def date_only(p: Prepared) -> np.ndarray:
    return _combine(p.date // 10000, p.date % 10000)


def names_only(p: Prepared) -> np.ndarray:
    return _combine(p.code["family_canon"], p.code["given_canon"])


def names_and_place(p: Prepared) -> np.ndarray:
    """Birth year missing or far off, names in either order, same commune or same cercle."""
    lo, hi = _unordered(p.code["family_canon"], p.code["given_canon"])
    return np.stack([_combine(lo, hi, p.code["commune"]), _combine(lo, hi, p.code["cercle"])], axis=1)


# Which compared fields each rule makes agree by construction: training learns a field's m only
# from pairs that some rule *not* using that field brought in (as Splink does).
for _rule, _uses in ((names_near_year, {"given", "family", "birth"}), (sounds_near_year, {"given", "family", "birth"}),
                     (name_ends_and_year, {"given", "family", "birth"}), (phone, {"phone"}),
                     (document, {"doc"}), (family_and_date, {"family", "birth"}), (given_and_date, {"given", "birth"}),
                     (family_near_year_and_place, {"family", "birth", "origin"}),
                     (given_near_year_and_place, {"given", "birth", "origin"}),
                     (names_and_place, {"given", "family", "origin"}), (names_only, {"given", "family"}),
                     (date_only, {"birth"}), (names_and_return, {"return", "given", "family"})):
    _rule.uses = _uses

DEFAULT_RULES: list[Rule] = [names_near_year, sounds_near_year, name_ends_and_year, phone, document,
                             family_and_date, given_and_date, names_and_place, family_near_year_and_place,
                             given_near_year_and_place, names_and_return]


def extra_rule(*fields: str) -> Rule:
    def rule(p: Prepared) -> np.ndarray:
        return _combine(*(p.code[f] for f in fields))

    rule.__name__ = "+".join(fields)
    rule.uses = set(fields)
    return rule


def _rank(p: Prepared, field: str) -> np.ndarray:
    """Each record's position of its `field` text in alphabetical order (equal texts, equal ranks)."""
    codes = p.code[field]
    values, first = np.unique(codes, return_index=True)
    texts = np.asarray([p.text[field][i] for i in first], dtype=object)
    order = np.empty(len(values), dtype=np.int64)
    order[np.argsort(texts, kind="stable")] = np.arange(len(values))
    return order[np.searchsorted(values, codes)]


def neighbourhood_order(p: Prepared) -> np.ndarray:
    """One sort rank per record for splitting large blocks: family and given names by sound, then
    year and date, then commune. Neighbours in this order are the likeliest same people."""
    keys = [p.code["commune"], p.date, p.year, _rank(p, "given_skel"), _rank(p, "family_skel")]
    order = np.lexsort(keys)
    rank = np.empty(p.n, dtype=np.int64)
    rank[order] = np.arange(p.n)
    return rank


def _block_pairs(keys: np.ndarray, max_block: int, window: int, rank: Callable[[], np.ndarray],
                 budget: int | None = None) -> tuple[np.ndarray, np.ndarray, int]:
    """Pairs of records sharing a key: all pairs in blocks up to `max_block` (lowered to keep within
    `budget` pairs), sorted-neighbourhood pairs in larger ones. Returns (a, b, number of blocks split)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    keyed = sorted_keys[starts] != 0
    if budget is not None:
        max_block, window = split_plan(sizes[keyed], max_block, window, budget)
    small = keyed & (sizes > 1) & (sizes <= max_block)
    large = keyed & (sizes > max_block)
    pairs_a, pairs_b = [], []
    for size in np.unique(sizes[small]):
        block_starts = starts[small & (sizes == size)]
        i, j = np.triu_indices(size, k=1)
        members = order[block_starts[:, None] + np.arange(size)[None, :]]
        pairs_a.append(members[:, i].ravel())
        pairs_b.append(members[:, j].ravel())
    if large.any():
        in_large = np.repeat(large, sizes)
        members = order[in_large]
        block_of = np.repeat(np.arange(len(starts)), sizes)[in_large]
        by_rank = np.lexsort((rank()[members], block_of))
        members, block_of = members[by_rank], block_of[by_rank]
        for step in range(1, window):
            same = block_of[step:] == block_of[:-step]
            pairs_a.append(members[:-step][same])
            pairs_b.append(members[step:][same])
    if not pairs_a:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, int(large.sum())
    return np.concatenate(pairs_a), np.concatenate(pairs_b), int(large.sum())


def candidate_pairs(p: Prepared, rules: list[Rule] = DEFAULT_RULES, *, max_block: int = 400, window: int = WINDOW,
                    link_only: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    """Index arrays (a, b) with a < b of the pairs to compare, a bit mask per pair of the rules
    that proposed it (bit k = rules[k]), and per-rule statistics."""
    chunks, masks, stats = [], [], {}
    cached_rank: list[np.ndarray] = []

    def rank() -> np.ndarray:
        if not cached_rank:
            cached_rank.append(neighbourhood_order(p))
        return cached_rank[0]

    budget = pair_budget(p.n)
    for bit, rule in enumerate(rules):
        keys = rule(p)
        columns = keys.reshape(len(keys), -1).T if keys.ndim > 1 else [keys]
        found, split = [], 0
        for column in columns:
            a, b, n_split = _block_pairs(column, max_block, window, rank, budget)
            split += n_split
            if link_only and len(a):
                keep = p.source[a] != p.source[b]
                a, b = a[keep], b[keep]
            found.append(np.minimum(a, b) * np.int64(p.n) + np.maximum(a, b))
            del a, b
        codes = unique_sorted(np.concatenate(found)) if len(columns) > 1 else unique_sorted(found[0])
        del found
        if len(codes):
            chunks.append(codes)
            masks.append(np.full(len(codes), 1 << bit, dtype=np.int64))
        stats[getattr(rule, "__name__", "rule")] = {"pairs": int(len(codes)), "split_blocks": split}
    if not chunks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, stats
    codes, bits = np.concatenate(chunks), np.concatenate(masks)
    order = np.argsort(codes, kind="stable")
    codes, bits = codes[order], bits[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    merged, mask = codes[starts], np.bitwise_or.reduceat(bits, starts)
    a, b = merged // p.n, merged % p.n
    for bit, rule in enumerate(rules):
        stats[getattr(rule, "__name__", "rule")]["only_this_rule"] = int((mask == (1 << bit)).sum())
    return a, b, mask, stats


def same_family_sample(p: Prepared, n_pairs: int, seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Random pairs of records with the same family name (by group), for the model's u among
    namesakes: people of one family name come from the same villages, so a shared commune says
    less between two Traoré than between any two people."""
    codes = p.code["family_canon"]
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    sizes = np.diff(np.r_[starts, len(codes)])
    eligible = (sorted_codes[starts] != 0) & (sizes > 1)
    if not eligible.any():
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    rng = np.random.default_rng(seed)
    weights = sizes[eligible].astype(float) ** 2
    group = rng.choice(np.flatnonzero(eligible), n_pairs, p=weights / weights.sum())
    first = rng.integers(0, sizes[group])
    second = (first + rng.integers(1, sizes[group])) % sizes[group]
    return order[starts[group] + first], order[starts[group] + second]
