"""People files on disk (CSV or XLSX, the contract's columns) to records, and pairs to CSV."""

from pathlib import Path

from parcours.core.people_file import read_people_file
from parcours.core.spreadsheets import safe_csv_writer


def read_records(path: str) -> list[dict]:
    content = Path(path).read_bytes()
    rows = read_people_file(content, path)
    out = []
    for line, row in rows:
        row.setdefault("record_id", "")
        if not row["record_id"]:
            row["record_id"] = f"line-{line}"
        out.append(row)
    return out


def write_pairs(path: str, pairs) -> int:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = safe_csv_writer(fh)
        writer.writerow(["record_id_a", "record_id_b", "score"])
        count = 0
        for a, b, score in pairs:
            writer.writerow([a, b, f"{score:.4f}"])
            count += 1
    return count
