"""Reading answers: the bias report (answers by who administered them)."""

import math
from dataclasses import dataclass

from parcours.core.errors import NotFound

from .models import Submission
from .policies import can_read_answers


@dataclass
class Group:
    n: int
    positive: int

    @property
    def share(self) -> float | None:
        return self.positive / self.n if self.n else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)


@dataclass
class Bias:
    question: str
    own: Group
    other: Group

    @property
    def difference(self) -> float | None:
        if self.own.share is None or self.other.share is None:
            return None
        return self.own.share - self.other.share

    @property
    def margin(self) -> float | None:
        """Half-width of the 95 % interval of the difference (normal approximation)."""
        if self.difference is None:
            return None
        p1, n1, p2, n2 = self.own.share, self.own.n, self.other.share, self.other.n
        return 1.96 * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)

    @property
    def points(self) -> tuple[int, int, int] | None:
        """(difference, low, high) in percentage points."""
        if self.margin is None:
            return None
        d = self.difference
        return round(100 * d), round(100 * (d - self.margin)), round(100 * (d + self.margin))


def bias_report(user, *, form_id: str, question: str, positive: str = "yes") -> Bias:
    """Share of `positive` answers to `question` when the respondent's own case worker asked,
    against anyone else — the test that would have shown 99 % against 65 %."""
    if not can_read_answers(user):
        raise NotFound()
    groups = {True: Group(0, 0), False: Group(0, 0)}
    rows = (Submission.objects.filter(version__form__form_id=form_id, replaced_by__isnull=True,
                                      by_own_caseworker__isnull=False)
            .values_list("by_own_caseworker", "data"))
    for own, data in rows.iterator(chunk_size=2000):
        answer = (data or {}).get(question, "")
        if answer == "":
            continue
        groups[own].n += 1
        groups[own].positive += answer == positive
    return Bias(question, groups[True], groups[False])
