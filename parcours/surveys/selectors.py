"""Reading answers: a person's sustainability scores over time, and the bias report (answers by
who administered them)."""

import datetime as dt
import math
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from parcours.core.errors import NotFound
from parcours.people.policies import person_for_read

from .models import Scoring, Submission
from .policies import can_publish_forms, can_read_answers, can_read_scores
from .scoring import Score, score


@dataclass(frozen=True)
class ScoredAnswer:
    submission_id: uuid.UUID
    form_id: str
    form_title: str
    collected_on: dt.date
    score: Score


def person_scores(user, person_id, *, person=None) -> list[ScoredAnswer]:
    """Each scored questionnaire answered about the person (edits replace what they edit), oldest
    first: the dimension scores, the overall score and whether it reaches the threshold."""
    if not can_read_scores(user):
        raise NotFound()
    person = person or person_for_read(user, person_id)
    rows = (Submission.objects.filter(person=person, replaced_by__isnull=True, version__form__scoring__isnull=False)
            .select_related("version__form__scoring").order_by("collected_on", "received_at"))
    return [ScoredAnswer(s.id, s.version.form.form_id, s.version.form.title, s.collected_on,
                         score(s.version.form.scoring.definition, s.data)) for s in rows]


DIMENSION_LABELS = {"economic": _("Economic"), "social": _("Social"), "psychosocial": _("Psychosocial")}


def person_panel(user, person) -> dict | None:
    """The sustainability scores on the person's page, for the roles that may read them."""
    if not can_read_scores(user):
        return None
    rows = person_scores(user, person.pk, person=person)
    if not rows:
        return None
    codes = list(rows[-1].score.dimensions)
    return {"codes": [(c, DIMENSION_LABELS.get(c, c)) for c in codes],
            "rows": [{"on": r.collected_on, "form": r.form_title, "score": r.score,
                      "cells": [(r.score.dimensions.get(c), r.score.dimension_sustainable(c)) for c in codes]}
                     for r in rows]}


def scoring_for_read(user, form_id: str) -> Scoring:
    if not (can_read_scores(user) or can_publish_forms(user)):
        raise NotFound()
    found = Scoring.objects.select_related("form").filter(form__form_id=form_id).first()
    if found is None:
        raise NotFound()
    return found


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


# --- Follow-up cohorts -------------------------------------------------------------------------

# The people assisted: a reintegration assistance entry (any scheme but the arrival allowance) paid
# and not reversed in the period — OS2.reintegration_supported's definition.
ASSISTED_KIND = "assistance_paid"
NOT_REINTEGRATION = "arrival_allowance"


def assisted_population(user, *, start: dt.date, end: dt.date, strata: list[str]) -> dict:
    """{person id: stratum} for the people `user` may see who were assisted in [start, end]. A
    stratum is the values of `strata` joined by "|": the region of origin, the sector (the
    reintegration option chosen at orientation, on the person's latest case) and/or the sex."""
    from parcours.cases.models import Case
    from parcours.facts.selectors import live_facts
    from parcours.people.policies import people_visible_to

    visible = people_visible_to(user)
    ids = set(live_facts([ASSISTED_KIND], start=start, end=end).exclude(data__code=NOT_REINTEGRATION)
              .filter(person__in=visible).values_list("person_id", flat=True).distinct())
    if not ids:
        return {}
    people = dict.fromkeys(ids, "")
    details = {pid: (region or "", sex or "") for pid, region, sex in
               visible.filter(pk__in=ids).values_list("pk", "origin_region__name", "sex")}
    sectors = {}
    if "sector" in strata:
        for pid, choice in (Case.objects.filter(person_id__in=ids, orientation__isnull=False)
                            .order_by("arrived_on", "opened_at").values_list("person_id", "orientation__choice")):
            sectors[pid] = choice  # the latest case wins
    for pid in people:
        region, sex = details.get(pid, ("", ""))
        values = {"region": region, "sector": sectors.get(pid, ""), "sex": sex}
        people[pid] = "|".join(values[key] for key in strata)
    return people


def stratum_label(stratum: str) -> str:
    from parcours.cases.models import Orientation

    sectors = dict(Orientation.Choice.choices)
    parts = [str(sectors.get(part, part)) or "—" for part in stratum.split("|")] if stratum else []
    return " · ".join(part or "—" for part in parts) or _("everyone")


@dataclass(frozen=True)
class Stratum:
    key: str
    label: str
    population: int
    members: int
    reserve: int
    dropped: int


@dataclass(frozen=True)
class Wave:
    number: int
    starts_on: dt.date
    ends_on: dt.date  # exclusive
    surveyed: int
    members: int


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def cohort_strata(cohort) -> list[Stratum]:
    from django.db.models import Count, Q

    from .models import CohortMember

    S = CohortMember.Status
    rows = (CohortMember.objects.filter(cohort=cohort).values("stratum")
            .annotate(n=Count("id"), members=Count("id", filter=Q(status=S.MEMBER)),
                      reserve=Count("id", filter=Q(status=S.RESERVE)), dropped=Count("id", filter=Q(status=S.DROPPED)))
            .order_by("stratum"))
    return [Stratum(r["stratum"], stratum_label(r["stratum"]), r["n"], r["members"], r["reserve"], r["dropped"])
            for r in rows]


def cohort_waves(cohort) -> list[Wave]:
    """Each yearly wave and how many of the current members answered the cohort's questionnaire in it."""
    from .models import CohortMember

    members = list(CohortMember.objects.filter(cohort=cohort, status=CohortMember.Status.MEMBER)
                   .values_list("person_id", flat=True))
    out = []
    for n in range(cohort.waves):
        start, end = _years_after(cohort.first_wave_on, n), _years_after(cohort.first_wave_on, n + 1)
        surveyed = (Submission.objects.filter(version__form=cohort.form, replaced_by__isnull=True,
                                              person_id__in=members, collected_on__gte=start, collected_on__lt=end)
                    .values("person_id").distinct().count())
        out.append(Wave(n + 1, start, end, surveyed, len(members)))
    return out


def cohort_members(cohort, *, status: str | None = None):
    from .models import CohortMember

    qs = (CohortMember.objects.filter(cohort=cohort).select_related("person", "replaces__person")
          .order_by("stratum", "rank"))
    return qs.filter(status=status) if status else qs
