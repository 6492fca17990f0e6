"""Scoring and batch detection, on data made here."""

import csv

from django.core.management import call_command

from parcours.demo.synthetic import generate
from parcours.matching.batch import find_duplicates
from parcours.matching.realtime import rank

MAMADOU = {"record_id": "a", "given_name": "Mamadou", "family_name": "Keita", "sex": "M", "birth_year": 1994,
           "phone": "76123456", "origin_region": "Kayes", "origin_cercle": "Nioro du Sahel"}


def test_obvious_match_scores_high_with_reasons_in_both_languages():
    other = {**MAMADOU, "record_id": "b", "given_name": "Mahamadou", "family_name": "Keïta",
             "birth_date": "1994-03-12", "birth_year": None}
    stranger = {"record_id": "c", "given_name": "Awa", "family_name": "Sidibé", "sex": "F", "birth_year": 2001,
                "phone": "66998877", "origin_region": "Sikasso"}
    ranked = rank(MAMADOU, [stranger, other], language="en")
    assert [r.record["record_id"] for r in ranked] == ["b"]
    assert ranked[0].score > 0.9
    assert "same phone" in ranked[0].reasons
    assert any("Mamadou ≈ Mahamadou" in r for r in ranked[0].reasons)
    assert any("1994" in r for r in rank(MAMADOU, [other], language="fr")[0].reasons)
    assert "même téléphone" in rank(MAMADOU, [other], language="fr")[0].reasons


def test_same_common_name_alone_is_not_enough():
    namesake = {"record_id": "d", "given_name": "Mamadou", "family_name": "Keita", "sex": "M", "birth_year": 1971,
                "phone": "79000000", "origin_region": "Mopti"}
    assert rank(MAMADOU, [namesake]) == []


def test_batch_finds_planted_duplicates():
    rows, pairs = generate(6000, seed=3, duplicate_rate=0.1)
    truth = {tuple(sorted(p)) for p in pairs}
    found = {tuple(sorted((a, b))) for a, b, _s in find_duplicates(rows).pairs}
    tp = len(found & truth)
    assert tp / len(found) > 0.8  # precision
    assert tp / len(truth) > 0.6  # recall


def test_dedupe_command_reads_files_and_writes_pairs(tmp_path):
    rows, pairs = generate(3000, seed=5, duplicate_rate=0.1)
    people = tmp_path / "people.csv"
    with open(people, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "pairs.csv"
    call_command("dedupe", csv=str(people), out=str(out))
    with open(out, encoding="utf-8") as fh:
        written = list(csv.DictReader(fh))
    assert written and set(written[0]) == {"record_id_a", "record_id_b", "score"}
    truth = {tuple(sorted(p)) for p in pairs}
    hits = sum(tuple(sorted((r["record_id_a"], r["record_id_b"]))) in truth for r in written)
    assert hits / len(written) > 0.8
