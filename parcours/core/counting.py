"""Counting large lists without scanning them.

An exact COUNT(*) over 700 000 people from Kayes costs a scan; the first page of 50 costs an
index walk. So lists count exactly up to CAP rows and, beyond, take PostgreSQL's planner
estimate — and say so (`count_is_exact`), instead of making every page wait for the scan."""

import json
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections

CAP = 1_000


def fast_count(queryset, cap: int = CAP) -> tuple[int, bool]:
    capped = queryset.order_by()[: cap + 1].count()
    if capped <= cap:
        return capped, True
    if connections[queryset.db].vendor != "postgresql":
        return queryset.count(), True
    plan = json.loads(queryset.order_by().explain(format="json"))
    estimate = int(plan[0]["Plan"]["Plan Rows"])
    return max(estimate, cap + 1), False


class FastPaginator(Paginator):
    """A Paginator whose count is exact up to CAP and estimated beyond."""

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        return fast_count(self.object_list)

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_is_exact(self) -> bool:
        return self._counted[1]
