"""Blocking whose pairs grow in step with the registry, not with its square; training on distinct
comparison vectors."""

import numpy as np

from parcours.matching import blocking
from parcours.matching.blocking import (
    _window_pairs,
    candidate_pairs,
    names_near_year,
    split_plan,
    unique_sorted,
)
from parcours.matching.model import (
    Model,
    _distinct_rows,
    _em,
    _frequencies,
    _initial_m,
    levels_per_field,
    match_probability,
)
from parcours.matching.prepare import prepare


def _pairs_of(sizes, limit, window):
    sizes = np.asarray(sizes)
    whole = sizes[sizes <= limit]
    return int((whole * (whole - 1) // 2).sum() + _window_pairs(sizes[sizes > limit], window).sum())


def test_a_key_within_its_budget_keeps_every_pair():
    sizes = np.array([2, 3, 50, 120, 500])
    assert split_plan(sizes, 400, 20, budget=10**9) == (400, 20)


def test_a_key_over_its_budget_splits_its_largest_blocks_first_then_narrows_the_window():
    sizes = np.array([2] * 1000 + [30] * 50 + [300] * 20)
    limit, window = split_plan(sizes, 400, 20, budget=150_000)
    assert window == 20 and 2 <= limit < 300
    assert _pairs_of(sizes, limit, window) <= 150_000
    # A budget below even windows over every block: the window narrows, every block still has pairs.
    limit, window = split_plan(sizes, 400, 20, budget=40_000)
    assert limit == 1 and 2 <= window < 20
    assert _pairs_of(sizes, limit, window) <= 40_000


def test_a_large_registry_stays_within_the_budget_and_drops_no_block(monkeypatch):
    # 400 people sharing two names, born over four years: one key, blocks of about 200.
    records = [{"record_id": f"p{i}", "given_name": "Mamadou", "family_name": "Traoré", "sex": "M",
                "birth_date": f"{1984 + i % 4}-{1 + i % 12:02d}-{1 + i % 28:02d}"} for i in range(400)]
    records.append({"record_id": "dup", "given_name": "Mahamadou", "family_name": "TRAORE", "sex": "M",
                    "birth_date": "1985-02-02"})
    p = prepare(records)
    monkeypatch.setattr(blocking, "PAIR_FLOOR", 1500)
    monkeypatch.setattr(blocking, "PAIRS_PER_RECORD", 2)
    a, b, _mask, stats = candidate_pairs(p, [names_near_year])
    assert 0 < len(a) <= 2 * 1500  # two keys (year buckets), each within its budget
    assert stats["names_near_year"]["split_blocks"] >= 1
    met = np.zeros(p.n, dtype=bool)
    met[a], met[b] = True, True
    assert met.all()  # nobody left out: a block is split, never dropped
    assert p.ids.index("dup") in set(a) | set(b)


def test_unique_sorted_is_numpy_unique():
    values = np.random.default_rng(3).integers(0, 50, 1000)
    assert np.array_equal(unique_sorted(values), np.unique(values))
    assert len(unique_sorted(np.zeros(0, dtype=np.int64))) == 0


def test_em_on_distinct_comparison_vectors_learns_what_em_on_every_pair_learns():
    rng = np.random.default_rng(5)
    fields = ["given", "family", "birth"]
    sizes = levels_per_field(fields)
    sample = np.stack([rng.integers(-1, size, 5000) for size in sizes], axis=1).astype(np.int8)
    patterns, counts = _distinct_rows(sample)
    assert counts.sum() == len(sample) and len(patterns) < len(sample)
    u = [[1 / s] * s for s in sizes]
    fast = _em(Model(fields, _initial_m(fields), u, 0.05), sample, sizes, 5)
    slow = Model(fields, _initial_m(fields), u, 0.05)
    for _ in range(5):  # EM as it was, pair by pair
        posterior = match_probability(slow, sample)
        slow.m = _frequencies(sample, sizes, weights=posterior)
        slow.prior = float(np.clip(posterior.mean(), 1e-6, 0.5))
    assert np.allclose(np.concatenate(fast.m), np.concatenate(slow.m))
    assert abs(fast.prior - slow.prior) < 1e-9


def test_a_stored_phone_key_stands_for_the_phone_when_scoring_registry_rows():
    from parcours.matching.realtime import db_keys

    for raw in ("76 12 34 56", "+223 76123456", "00223-76-12-34-56", "1546303", ""):
        record = {"given_name": "Awa", "family_name": "Diarra", "phone": raw}
        stored = {**record, "phone_key": db_keys(record)["mk_phone"]}
        assert prepare([stored]).text["phone"] == prepare([record]).text["phone"]
