"""Scoring a questionnaire as data: the reintegration-sustainability score.

A scoring definition is JSON stored with the form (`Scoring.definition`), for example

    {"threshold": 0.5,
     "scales": {"scale": {"1": 0, "2": 0.3333, "3": 0.6667, "4": 1}},
     "dimensions": [
       {"code": "economic", "weight": 0.3,
        "items": [{"item": "economic/income_enough", "scale": "scale", "weight": 1}, ...]},
       {"code": "social", ...}, {"code": "psychosocial", ...}]}

- each answer is turned into a number between 0 and 1 by its scale (an answer the scale does not
  know, "don't know" or nothing, is left out);
- a dimension's score is the weighted mean of its answered items (0–1);
- the overall score is the weighted mean of the dimension scores, and is given only when every
  dimension has one;
- as in IOM's reintegration sustainability index, a score at or above the threshold (0.5 by
  default) reads as a sustainable level of reintegration — overall and per dimension.

Nothing here is evaluated as code: the definition only names answers and numbers."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

DIGITS = 3


@dataclass(frozen=True)
class Score:
    dimensions: dict[str, float | None]  # code -> 0–1, None when no item of it was answered
    overall: float | None
    threshold: float

    @property
    def sustainable(self) -> bool | None:
        return None if self.overall is None else self.overall >= self.threshold

    def dimension_sustainable(self, code: str) -> bool | None:
        value = self.dimensions.get(code)
        return None if value is None else value >= self.threshold


def _number(value, *, low: float = 0.0, high: float | None = None) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    if value < low or (high is not None and value > high) or value != value:
        return None
    return value


def definition_errors(definition) -> list[str]:
    """What is wrong with a scoring definition, in words ([] when it can be used)."""
    if not isinstance(definition, dict):
        return [_("A scoring definition is a JSON object.")]
    errors: list[str] = []
    if _number(definition.get("threshold", 0.5), high=1) is None:
        errors.append(_("The threshold is a number between 0 and 1."))
    scales = definition.get("scales", {})
    if not isinstance(scales, dict) or not all(
            isinstance(s, dict) and s and all(_number(v, high=1) is not None for v in s.values())
            for s in scales.values()):
        errors.append(_("Each scale maps answers to numbers between 0 and 1."))
        scales = {}
    dimensions = definition.get("dimensions")
    if not isinstance(dimensions, list) or not dimensions:
        return [*errors, _("List the dimensions, each with its weight and items.")]
    codes = set()
    for dim in dimensions:
        code = dim.get("code") if isinstance(dim, dict) else None
        if not isinstance(code, str) or not code or code in codes:
            errors.append(_("Each dimension has its own code."))
            continue
        codes.add(code)
        if _number(dim.get("weight")) in (None, 0.0):
            errors.append(_("Dimension %(code)s needs a weight above 0.") % {"code": code})
        items = dim.get("items")
        if not isinstance(items, list) or not items:
            errors.append(_("Dimension %(code)s has no item.") % {"code": code})
            continue
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("item"), str) or not item["item"]:
                errors.append(_("Each item of %(code)s names an answer.") % {"code": code})
            elif item.get("scale") not in scales:
                errors.append(_("Item %(item)s uses a scale that is not defined.") % {"item": item["item"]})
            elif _number(item.get("weight", 1)) in (None, 0.0):
                errors.append(_("Item %(item)s needs a weight above 0.") % {"item": item["item"]})
    return errors


def _weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(w for _v, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None


def score(definition: dict, answers: dict[str, str]) -> Score:
    """The score of one submission's answers (flat "group/question" paths) under a valid definition."""
    scales = definition.get("scales", {})
    dimensions: dict[str, float | None] = {}
    for dim in definition["dimensions"]:
        pairs = []
        for item in dim["items"]:
            value = scales[item["scale"]].get(str(answers.get(item["item"], "")).strip())
            if value is not None:
                pairs.append((float(value), float(item.get("weight", 1))))
        mean = _weighted_mean(pairs)
        dimensions[dim["code"]] = None if mean is None else round(mean, DIGITS)
    overall = None
    if all(v is not None for v in dimensions.values()):
        # Combined from the rounded dimension scores people see, so a hand computation from the
        # page gives the same overall score.
        overall = round(_weighted_mean([(dimensions[d["code"]], float(d["weight"]))
                                        for d in definition["dimensions"]]), DIGITS)
    return Score(dimensions, overall, float(definition.get("threshold", 0.5)))
