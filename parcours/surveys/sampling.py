"""Drawing a stratified random sample, reproducibly: the arithmetic, apart from the database.

- `allocate`: proportional allocation of round(share × N) places among the strata by the largest
  remainder (Hamilton), so every stratum gets its share, to one person, and the total is exact;
- `shuffled`: a stratum's people in a random order that depends only on the seed, the stratum and
  who is in it (never on the order the database returned them)."""

import random
from decimal import ROUND_HALF_UP, Decimal


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def allocate(sizes: dict[str, int], share: Decimal) -> dict[str, int]:
    share = Decimal(share)
    total = _round(share * sum(sizes.values()))
    exact = {key: share * n for key, n in sizes.items()}
    out = {key: int(value) for key, value in exact.items()}
    left = total - sum(out.values())
    # Largest remainders first; ties broken by the stratum's name so the result never varies.
    for key in sorted(exact, key=lambda k: (-(exact[k] - out[k]), k))[:max(left, 0)]:
        out[key] += 1
    return out


def shuffled(ids: list, *, seed: int, stratum: str) -> list:
    ordered = sorted(ids, key=str)
    random.Random(f"{seed}|{stratum}").shuffle(ordered)  # noqa: S311 - sampling, not security
    return ordered
