"""The independent Malian registry generator: deterministic, and its labels say what its data holds."""

import datetime as dt
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parent.parent / "data" / "mali_registry.py"


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("mali_registry", PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["mali_registry"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def registry(gen):
    return gen.generate(records=1500, seed=11)


def test_same_seed_same_registry_other_seed_other_registry(gen, registry):
    again = gen.generate(records=1500, seed=11)
    assert again.people == registry.people
    assert again.true_pairs == registry.true_pairs
    assert again.hard_nonpairs == registry.hard_nonpairs
    assert gen.generate(records=200, seed=12).people != registry.people[:200]


def test_counts_are_what_the_summary_and_the_clustering_say(registry):
    s = registry.summary
    assert s["records"] == len(registry.people) == 1500
    sizes = Counter(pid for _rid, pid, _hid in registry.persons)
    assert s["persons"] == len(sizes)
    assert s["true_pairs"] == len(registry.true_pairs) == sum(n * (n - 1) // 2 for n in sizes.values())
    assert 0.2 < s["true_pairs"] / s["records"] < 0.36
    person = {rid: pid for rid, pid, _hid in registry.persons}
    assert all(person[a] == person[b] and a < b for a, b, _t, _p in registry.true_pairs)
    assert all(person[a] != person[b] for a, b, _r, _s in registry.hard_nonpairs)
    assert sum(s["hard_nonpairs_by_relation"].values()) == len(registry.hard_nonpairs)
    assert {"sibling", "namesake", "parent_child"} <= set(s["hard_nonpairs_by_relation"])


def test_rows_are_in_the_contract_format(gen, registry):
    assert all(tuple(row) == gen.PEOPLE_COLUMNS for row in registry.people)
    for row in registry.people:
        if row["birth_date"]:
            fmt = "%d/%m/%Y" if "/" in row["birth_date"] else "%Y-%m-%d"
            dt.datetime.strptime(row["birth_date"], fmt)
        assert row["sex"] in ("M", "F", "")
        assert row["given_name"] or row["family_name"]


def test_tags_describe_the_pairs(gen, registry):
    rows = {row["record_id"]: row for row in registry.people}
    for a, b, tags, primary in registry.true_pairs:
        tags = tags.split(";")
        assert set(tags) <= set(gen.TRUE_PAIR_TAGS) and primary in (*gen.PRECEDENCE, "exact", "near_exact")
        ra, rb = rows[a], rows[b]
        if "swapped_dm" in tags and "year_off" not in tags and "date_typo" not in tags:
            da, db = (dt.datetime.strptime(r["birth_date"], "%d/%m/%Y" if "/" in r["birth_date"] else "%Y-%m-%d")
                      for r in (ra, rb))
            assert (da.day, da.month) == (db.month, db.day)
        if "exact" in tags:
            assert all(ra[k] == rb[k] for k in ("given_name", "family_name", "birth_date", "phone"))
    counts = Counter(t for _a, _b, tags, _p in registry.true_pairs for t in tags.split(";"))
    for tag in ("typo", "variant", "year_off", "name_swap", "year_only", "phone_changed", "upper"):
        assert counts[tag] > 0, tag


def test_tricky_pairs_are_labelled_both_ways(gen):
    people, labels = gen.load_tricky()
    assert len(people) == 2 * len(labels) >= 120
    same = sum(1 for _a, _b, is_same, _r in labels if is_same)
    assert same >= 25 and len(labels) - same >= 25
    assert all(reason for *_x, reason in labels)
    assert all(set(gen.PEOPLE_COLUMNS) == set(p) for p in people)
