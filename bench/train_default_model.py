"""Re-learn the matching model shipped in parcours/matching/data/default_model.json, without
labels, on a synthetic Malian registry: `python bench/train_default_model.py [N]`."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parcours.demo.synthetic import generate  # noqa: E402
from parcours.matching.batch import find_duplicates  # noqa: E402
from parcours.matching.model import DEFAULT_PATH  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
rows, _pairs = generate(n, seed=42, duplicate_rate=0.1)
result = find_duplicates(rows, train_model=True)
DEFAULT_PATH.write_text(result.model.to_json(), encoding="utf-8")
print(f"trained on {n} records: {result.stats}")
