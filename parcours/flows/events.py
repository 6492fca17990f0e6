"""The kinds of fact flow monitoring records. `flows.report_published` is what the logframe's
OS3.fmp_reporting counts (distinct places: one per point with a report in the period)."""

import enum

from django.utils.translation import gettext_lazy as _

from parcours.facts.kinds import Sensitivity, register


class FlowEvent(enum.StrEnum):
    COUNTED = "flows.counted"
    REPORT_PUBLISHED = "flows.report_published"
    DAY_CHECKED = "flows.day_checked"


def register_kinds() -> None:
    register(FlowEvent.COUNTED, label=_("%(point)s: %(quantity)s counted (%(direction)s, %(nationality)s)"),
             sensitivity=Sensitivity.PUBLIC, person_required=False)
    register(FlowEvent.REPORT_PUBLISHED, label=_("%(point)s: bi-weekly report %(start)s–%(end)s published"),
             sensitivity=Sensitivity.PUBLIC, person_required=False)
    register(FlowEvent.DAY_CHECKED, label=_("%(point)s: day %(day)s checked"),
             sensitivity=Sensitivity.PUBLIC, person_required=False)
