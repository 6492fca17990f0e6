"""Fellegi–Sunter: each comparison level has m = P(level | same person) and u = P(level | two
different people); a pair's score is the prior odds times the product of m/u. u comes from
random pairs, m from expectation–maximisation on candidate pairs — no labels needed. Very
common family names (Traoré, Diarra, Coulibaly…) agree by chance more often: an exact family
match is weighted by that name's own frequency (term-frequency adjustment)."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .compare import MISSING, N_LEVELS

DEFAULT_PATH = Path(__file__).parent / "data" / "default_model.json"
# Fields that are not independent of the family name: a family's people come from its villages.
# For pairs agreeing on the family name their u is counted among pairs that share one.
SAME_FAMILY = ("origin",)
SESSION_WEIGHT_CAP = 2000


@dataclass
class Model:
    fields: list[str]
    m: list[list[float]]
    u: list[list[float]]
    prior: float  # P(match) among candidate pairs
    family_tf: dict[str, float] = field(default_factory=dict)  # canonical family -> share of records
    given_tf: dict[str, float] = field(default_factory=dict)  # canonical given name -> share of records
    # u among pairs that share a family name, for the fields that depend on it (see SAME_FAMILY).
    u_same_family: dict[str, list[float]] = field(default_factory=dict)

    def weights(self) -> list[np.ndarray]:
        return [np.log2(np.asarray(m) / np.asarray(u)) for m, u in zip(self.m, self.u, strict=True)]

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "Model":
        return cls(**json.loads(text))


def levels_per_field(fields: list[str]) -> list[int]:
    return [N_LEVELS.get(f, 4) for f in fields]


def _frequencies(levels: np.ndarray, sizes: list[int], weights: np.ndarray | None = None) -> list[list[float]]:
    out = []
    for col, size in enumerate(sizes):
        values = levels[:, col]
        present = values >= 0
        w = np.ones(len(values)) if weights is None else weights
        counts = np.bincount(values[present].astype(np.int64), weights=w[present], minlength=size)[:size]
        counts = counts + 0.5  # never exactly 0 or 1: one unseen level must not decide alone
        out.append((counts / counts.sum()).tolist())
    return out


def estimate_u(random_levels: np.ndarray, fields: list[str]) -> list[list[float]]:
    return _frequencies(random_levels, levels_per_field(fields))


def _initial_m(fields: list[str]) -> list[list[float]]:
    """Starting beliefs: the same person mostly agrees, sometimes partially, rarely not at all."""
    out = []
    for size in levels_per_field(fields):
        geometric = np.array([0.45 ** i for i in range(size)])
        geometric[-1] = min(geometric[-1], 0.02)
        out.append((geometric / geometric.sum()).tolist())
    return out


def _distinct_rows(sample: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct comparison vectors of `sample` and how many times each occurs: a few thousand
    patterns stand for hundreds of thousands of pairs, and EM gives the same answer on them weighted."""
    if not len(sample):
        return sample, np.zeros(0)
    code = np.zeros(len(sample), dtype=np.int64)
    for col in range(sample.shape[1]):  # levels -1..14 in four bits each, up to 15 fields
        code = code * 16 + (sample[:, col].astype(np.int64) + 1)
    if sample.shape[1] > 15:
        return sample, np.ones(len(sample))
    _codes, first, counts = np.unique(code, return_index=True, return_counts=True)
    return sample[first], counts.astype(float)


def _em(model: Model, sample: np.ndarray, sizes: list[int], iterations: int) -> Model:
    patterns, counts = _distinct_rows(sample)
    for _ in range(iterations):
        posterior = match_probability(model, patterns)
        model.m = _frequencies(patterns, sizes, weights=posterior * counts)
        model.prior = float(np.clip((posterior * counts).sum() / max(counts.sum(), 1), 1e-6, 0.5))
    return model


def train(candidate_levels: np.ndarray, random_levels: np.ndarray, fields: list[str], *, iterations: int = 15,
          family_tf: dict[str, float] | None = None, given_tf: dict[str, float] | None = None, rule_masks: np.ndarray | None = None,
          sessions: list[set[str]] | None = None, total_pairs: int = 0,
          same_family_levels: np.ndarray | None = None) -> Model:
    """Learn m without labels, as Splink does: u from random pairs; then one EM session per
    blocking rule, on the pairs that rule proposed, using only the fields the rule does not force
    to agree; each field's m is the average over the sessions where it was free. Finally the
    share of true pairs among all candidates, with m held."""
    u = estimate_u(random_levels, fields)
    sizes = levels_per_field(fields)
    rng = np.random.default_rng(0)
    sums = [np.zeros(size) for size in sizes]
    weight = np.zeros(len(fields))
    if rule_masks is None or not sessions:
        rule_masks, sessions = np.ones(len(candidate_levels), dtype=np.int64), [set()]
    household = household_phone(fields, candidate_levels)
    for bit, used in enumerate(sessions):
        # Pairs that only share a family's phone are not allowed to teach what a match looks like.
        rows = np.flatnonzero(((rule_masks >> bit) & 1).astype(bool) & ~household)
        if len(rows) < 50:
            continue
        if len(rows) > 500_000:  # EM converges on a sample as well as on everything
            rows = rng.choice(rows, 500_000, replace=False)
        free = [i for i, f in enumerate(fields) if f not in used]
        sub_fields = [fields[i] for i in free]
        sub = Model(sub_fields, [_initial_m(fields)[i] for i in free], [u[i] for i in free], 0.05)
        sub = _em(sub, candidate_levels[rows][:, free], [sizes[i] for i in free], iterations)
        # Each session counts alike once it has enough pairs: a broad rule (q-grams) brings many pairs,
        # mostly namesakes, and must not drown the clean sessions (document, phone, date).
        share = min(len(rows), SESSION_WEIGHT_CAP)
        for k, i in enumerate(free):
            sums[i] += np.asarray(sub.m[k]) * share
            weight[i] += share
    initial = _initial_m(fields)
    m = [(sums[i] / weight[i]).tolist() if weight[i] else initial[i] for i in range(len(fields))]
    m = _cap_decisive(fields, m)
    model = Model(fields=list(fields), m=m, u=u, prior=0.05, family_tf=family_tf or {}, given_tf=given_tf or {})
    if same_family_levels is not None and len(same_family_levels) >= 1000:
        conditional = estimate_u(same_family_levels, fields)
        model.u_same_family = {f: conditional[fields.index(f)] for f in SAME_FAMILY if f in fields}
    model.prior = estimate_prior(model, candidate_levels, random_levels, total_pairs)
    return model


# Levels that only a typo makes possible for one person. EM cannot learn them: a father and his son
# of one name, on one phone, look like a match on every other field and teach it that a generation
# apart is common among matches. Their m is held at most at this share.
DECISIVE = {("birth", 7): 0.002}


def _cap_decisive(fields: list[str], m: list[list[float]]) -> list[list[float]]:
    out = [list(row) for row in m]
    for (name, level), cap in DECISIVE.items():
        if name in fields and level < len(out[fields.index(name)]):
            row = np.asarray(out[fields.index(name)])
            if row[level] > cap:
                rest = row.sum() - row[level]
                row = row * (1 - cap) / rest
                row[level] = cap
            out[fields.index(name)] = row.tolist()
    return out


def estimate_prior(model: Model, candidate_levels: np.ndarray, random_levels: np.ndarray, total_pairs: int) -> float:
    """P(two random records are the same person) — the prior that goes with u, which comes from
    random pairs. Counted as Splink does: pairs agreeing on a near-unique identifier (document,
    phone), divided by how often a true pair agrees on one (from m and how often both are filled),
    over all possible pairs."""
    strong = [f for f in ("doc", "phone") if f in model.fields]
    agree_if_match = []
    fires = np.zeros(len(candidate_levels), dtype=bool)
    household = household_phone(model.fields, candidate_levels)
    family_document = household_document(model.fields, candidate_levels)
    for name in strong:
        col = model.fields.index(name)
        present = float((random_levels[:, col] >= 0).mean()) if len(random_levels) else 0.0
        agree_if_match.append(model.m[col][0] * present)
        agree = candidate_levels[:, col] == 0
        fires |= agree & ~(household if name == "phone" else family_document)
    recall = 1.0 - float(np.prod([1.0 - x for x in agree_if_match])) if agree_if_match else 0.0
    if recall < 0.05:  # no identifier to count on: exact names and date of birth instead
        cols = [model.fields.index(f) for f in ("given", "family", "birth") if f in model.fields]
        fires = np.all(candidate_levels[:, cols] == 0, axis=1)
        recall = float(np.prod([model.m[c][0] for c in cols])) or 0.5
    matches = max(float(fires.sum()) / max(recall, 0.05), 1.0)
    if strong and recall >= 0.05:
        matches = _refine_matches(model, candidate_levels, fires, strong, matches, total_pairs)
    return float(np.clip(matches / max(total_pairs, 1), 1e-12, 0.5))


def _refine_matches(model: Model, candidate_levels: np.ndarray, fires: np.ndarray, strong: list[str], matches: float,
                    total_pairs: int, rounds: int = 3) -> float:
    """The count above takes every pair agreeing on an identifier for a match (relatives of one name
    on one phone are not all) and the identifiers' presence among matches for that among random
    pairs (people who register twice give their phone more often). Both are re-counted from the
    posterior of each candidate pair under the current estimate, a few times."""
    if not len(candidate_levels):
        return matches
    rows = np.column_stack([candidate_levels, fires.astype(candidate_levels.dtype)])
    patterns, counts = _distinct_rows(rows)
    levels, firing = patterns[:, :-1], patterns[:, -1].astype(bool)
    cols = [model.fields.index(name) for name in strong]
    probe = Model(model.fields, model.m, model.u, model.prior, u_same_family=model.u_same_family)
    for _ in range(rounds):
        probe.prior = float(np.clip(matches / max(total_pairs, 1), 1e-12, 0.5))
        expected = match_probability(probe, levels) * counts
        total = float(expected.sum())
        if total <= 0:
            break
        recall = 1.0 - float(np.prod([1.0 - model.m[c][0] * float(expected[levels[:, c] >= 0].sum()) / total
                                      for c in cols]))
        matches = max(float(expected[firing].sum()) / max(recall, 0.05), 1.0)
    return matches


def log2_bayes(model: Model, levels: np.ndarray, tf: np.ndarray | None = None,
               given_tf: np.ndarray | None = None) -> np.ndarray:
    """`tf`, `given_tf`: per pair, the share of records with that pair's family (given) name (0 = unknown):
    Mamadou or Traoré in common say less than a rare name in common."""
    total = np.full(len(levels), np.log2(model.prior / (1 - model.prior)))
    household = household_phone(model.fields, levels)
    kin = other_person_signs(model.fields, levels)
    # A sex mistyped is common enough that, between records with one name and one age, a shared day of
    # return still counts; other given names or ages do not.
    kin_by_name = other_person_signs(model.fields, levels, with_sex=False)
    family_document = household_document(model.fields, levels)
    for col, weight in enumerate(model.weights()):
        values = levels[:, col]
        present = values >= 0
        if model.fields[col] == "phone":
            # A family's phone says nothing about which member this is (nor one digit off it).
            present &= ~household & ~(kin & (values == 1))
        if model.fields[col] == "return":
            # Nor does the day the family came back, phone shared or not: relatives travel together.
            present &= ~kin_by_name
        if model.fields[col] == "doc":
            present &= ~family_document  # a child written on a parent's laissez-passer
        total[present] += weight[values[present].astype(np.int64)]
        conditional = model.u_same_family.get(model.fields[col])
        if conditional is not None and "family" in model.fields:
            # Between two people of one family name, a shared village is the expected thing.
            same = present & (levels[:, model.fields.index("family")] >= 0) & (levels[:, model.fields.index("family")] <= 1)
            shift = np.log2(np.asarray(model.u[col]) / np.asarray(conditional))
            total[same] += shift[values[same].astype(np.int64)]
    for name, shares in (("family", tf), ("given", given_tf)):
        if shares is None or name not in model.fields:
            continue
        col = model.fields.index(name)
        agree = (levels[:, col] >= 0) & (levels[:, col] <= 1) & (shares > 0)
        u_agree = model.u[col][0] + model.u[col][1]
        total[agree] += np.log2(u_agree / np.maximum(shares[agree], 1e-6))
    return total


def household_phone(fields: list[str], levels: np.ndarray) -> np.ndarray:
    """Pairs that share a phone but not a person: different given names, or another sex, or birth
    years far apart. Brothers, a mother and her son register with the family's one phone; the
    independence of Fellegi–Sunter breaks exactly there, so for these pairs the shared phone
    counts for nothing and the disagreements decide."""
    if "phone" not in fields:
        return np.zeros(len(levels), dtype=bool)
    shared = levels[:, fields.index("phone")] == 0
    return shared & other_person_signs(fields, levels)


def other_person_signs(fields: list[str], levels: np.ndarray, with_sex: bool = True) -> np.ndarray:
    """Different given names, or another sex, or birth years far apart: what tells two members of
    one family apart, whatever else (phone, day of return, village) they share."""
    differs = np.zeros(len(levels), dtype=bool)
    for name, level in (("given", 4), ("sex", 1), ("birth", 6)):
        if name in fields and (with_sex or name != "sex"):
            differs |= levels[:, fields.index(name)] >= level
    return differs


def household_document(fields: list[str], levels: np.ndarray) -> np.ndarray:
    """Pairs that share a document number but whose given names differ, or who were born a
    generation apart: a family travelling on one laissez-passer (children written on a parent's),
    not one person."""
    if "doc" not in fields or "given" not in fields:
        return np.zeros(len(levels), dtype=bool)
    shared = levels[:, fields.index("doc")] == 0
    # Only where the sex is recorded on both: a registry of families records it; febrl's data, whose
    # true pairs keep their number through heavy typos in the names, do not.
    known = levels[:, fields.index("sex")] >= 0 if "sex" in fields else np.zeros(len(levels), dtype=bool)
    generation = levels[:, fields.index("birth")] >= 7 if "birth" in fields else np.zeros(len(levels), dtype=bool)
    return shared & known & ((levels[:, fields.index("given")] >= 4) | generation)


def tf_per_record(model_tf: dict[str, float], family_canon: list[str]) -> np.ndarray:
    return np.asarray([model_tf.get(f, 0.0) for f in family_canon], dtype=float)


def pair_shares(model: Model, given_canon: list[str], family_canon: list[str], a: np.ndarray, b: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """Per pair, how common its family and given names are, for the term-frequency adjustment. A
    name's share is the larger of its shares as a family and as a given name, and a pair takes the
    commoner of its two records: "Diarra Moussa" written the other way round is still a Moussa
    Diarra, and must not earn the bonus of a rare family name "Moussa"."""
    def share(names: list[str]) -> np.ndarray:
        return np.maximum(tf_per_record(model.family_tf, names), tf_per_record(model.given_tf, names))

    family, given = share(family_canon), share(given_canon)
    return np.maximum(family[a], family[b]), np.maximum(given[a], given[b])


def match_probability(model: Model, levels: np.ndarray, tf: np.ndarray | None = None,
                      given_tf: np.ndarray | None = None) -> np.ndarray:
    score = log2_bayes(model, levels, tf, given_tf)
    return 1.0 / (1.0 + np.power(2.0, -np.clip(score, -60, 60)))


_default: Model | None = None


def default_model() -> Model:
    """The parameters shipped with Parcours (learnt without labels on the synthetic registry),
    so a single registration is scored without any training."""
    global _default
    if _default is None:
        _default = Model.from_json(DEFAULT_PATH.read_text(encoding="utf-8"))
    return _default


def term_frequencies(family_canon: list[str], minimum_share: float = 0.001) -> dict[str, float]:
    values, counts = np.unique(np.asarray([f for f in family_canon if f], dtype=object), return_counts=True)
    total = counts.sum() or 1
    return {str(v): float(c / total) for v, c in zip(values, counts, strict=True) if c / total >= minimum_share}


__all__ = ["MISSING", "Model", "default_model", "match_probability", "train"]
