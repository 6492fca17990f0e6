"""Whole-registry duplicate detection: block, compare (vectorised), learn the model from the
data itself (u from random pairs, m by EM), score, keep the pairs above the threshold."""

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .blocking import DEFAULT_RULES, Rule, candidate_pairs, same_family_sample
from .compare import CORE_FIELDS, comparison_matrix
from .model import Model, default_model, match_probability, pair_shares, term_frequencies, train
from .prepare import concat, prepare

DEFAULT_THRESHOLD = 0.5
CHUNK = 500_000
STRONG = 0.95  # a link this sure joins two records into one person for the triangle rule
WEAK_FLOOR = 0.01  # below this, a pair is not lifted even when both its records match a third


@dataclass
class Result:
    pairs: list[tuple[str, str, float]]
    model: Model
    stats: dict = field(default_factory=dict)
    # With keep_candidates: every compared pair (ids a, ids b, rule bit mask, probability), for evaluation.
    candidates: tuple | None = None


def _levels_in_chunks(p, a, b, extra_fields):
    levels, swapped = [], []
    for start in range(0, len(a), CHUNK):
        lv, sw = comparison_matrix(p, a[start:start + CHUNK], b[start:start + CHUNK], extra_fields)
        levels.append(lv)
        swapped.append(sw)
    if not levels:
        width = len(CORE_FIELDS) + len(extra_fields)
        return np.zeros((0, width), dtype=np.int8), np.zeros(0, dtype=bool)
    return np.concatenate(levels), np.concatenate(swapped)


def _score_in_chunks(model: Model, p, a: np.ndarray, b: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Match probabilities, CHUNK pairs at a time: the float temporaries of scoring stay a few
    tens of megabytes whatever the number of candidate pairs."""
    everyone = np.arange(p.n)
    family, given = pair_shares(model, p.text["given_canon"], p.text["family_canon"], everyone, everyone)  # per record
    out = np.empty(len(a))
    for start in range(0, len(a), CHUNK):
        rows = slice(start, start + CHUNK)
        ra, rb = a[rows], b[rows]
        # A pair takes the commoner of its two records' names (as pair_shares does).
        out[rows] = match_probability(model, levels[rows], np.maximum(family[ra], family[rb]),
                                      np.maximum(given[ra], given[rb]))
    return out


def _random_pairs(p, n_pairs: int, link: bool, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    if link:
        left, right = np.flatnonzero(p.source == 0), np.flatnonzero(p.source == 1)
        return rng.choice(left, n_pairs), rng.choice(right, n_pairs)
    a, b = rng.integers(0, p.n, n_pairs), rng.integers(0, p.n, n_pairs)
    keep = a != b
    return a[keep], b[keep]


def _strong_groups(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of the strong links, as one label per record (label propagation)."""
    label = np.arange(n, dtype=np.int64)
    for _ in range(64):
        low = np.minimum(label[a], label[b])
        before = label.copy()
        np.minimum.at(label, a, low)
        np.minimum.at(label, b, low)
        label = label[label]
        if np.array_equal(label, before):
            break
    return label


def lift_through_third(n: int, a: np.ndarray, b: np.ndarray, probability: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster reasoning: a compared pair below the threshold whose two records are each surely the
    same person as a third (both in one group of links at >= STRONG) is that person too. Its score
    becomes the product of the two records' strongest links. Only pairs above WEAK_FLOOR are lifted:
    a pair the model finds clearly different (another sex, another generation) stays apart."""
    strong = probability >= STRONG
    if not strong.any():
        return probability
    group = _strong_groups(n, a[strong], b[strong])
    best = np.zeros(n)
    np.maximum.at(best, a[strong], probability[strong])
    np.maximum.at(best, b[strong], probability[strong])
    lift = (probability < threshold) & (probability >= WEAK_FLOOR) & (group[a] == group[b]) & (best[a] > 0) & (best[b] > 0)
    out = probability.copy()
    out[lift] = np.maximum(out[lift], best[a[lift]] * best[b[lift]])
    return out


def find_duplicates(records: Iterable[dict], link_to: Iterable[dict] | None = None, *,
                    threshold: float = DEFAULT_THRESHOLD, extra_fields: tuple[str, ...] = (),
                    rules: list[Rule] | None = None, train_model: bool = True, max_block: int = 400,
                    keep_candidates: bool = False) -> Result:
    """Pairs (record_id_a, record_id_b, probability) judged to be the same person.

    With `link_to`, only pairs across the two sets (record linkage). With `train_model`, the
    model is learnt on these records (no labels); otherwise the shipped default is used."""
    t0 = time.perf_counter()
    vocab: dict = {}
    p = prepare(list(records), extra_fields, source=0, vocabularies=vocab)
    link = link_to is not None
    if link:
        p = concat(p, prepare(list(link_to), extra_fields, source=1, vocabularies=vocab))
    t_prepare = time.perf_counter()
    rules = rules or DEFAULT_RULES
    a, b, masks, block_stats = candidate_pairs(p, rules, max_block=max_block, link_only=link)
    t_block = time.perf_counter()
    levels, swapped = _levels_in_chunks(p, a, b, extra_fields)
    t_compare = time.perf_counter()
    fields = list(CORE_FIELDS) + list(extra_fields)
    family_tf = term_frequencies(p.text["family_canon"])
    given_tf = term_frequencies(p.text["given_canon"])
    if train_model:
        ra, rb = _random_pairs(p, min(1_000_000, max(50_000, p.n * 2)), link)
        random_levels, _sw = comparison_matrix(p, ra, rb, extra_fields)
        if link:
            total_pairs = int((p.source == 0).sum()) * int((p.source == 1).sum())
        else:
            total_pairs = p.n * (p.n - 1) // 2
        sa, sb = same_family_sample(p, min(200_000, max(20_000, p.n)))
        same_family_levels = comparison_matrix(p, sa, sb, extra_fields)[0] if not link else None
        model = train(levels, random_levels, fields, family_tf=family_tf, given_tf=given_tf, rule_masks=masks,
                      sessions=[set(getattr(r, "uses", set())) for r in rules], total_pairs=total_pairs,
                      same_family_levels=same_family_levels)
    else:
        model = default_model()
    probability = _score_in_chunks(model, p, a, b, levels)
    if not link:
        probability = lift_through_third(p.n, a, b, probability, threshold)
    keep = np.flatnonzero(probability >= threshold)
    pairs = [(p.ids[a[k]], p.ids[b[k]], round(float(probability[k]), 4)) for k in keep]
    t_end = time.perf_counter()
    candidates = None
    if keep_candidates:
        ids = np.asarray(p.ids, dtype=object)
        candidates = (ids[a], ids[b], masks, probability)
    return Result(pairs=pairs, model=model, candidates=candidates, stats={
        "records": p.n, "candidate_pairs": int(len(a)), "pairs_above_threshold": len(pairs), "blocking": block_stats,
        "seconds": {"prepare": round(t_prepare - t0, 2), "block": round(t_block - t_prepare, 2),
                    "compare": round(t_compare - t_block, 2), "train_and_score": round(t_end - t_compare, 2),
                    "total": round(t_end - t0, 2)},
    })
