"""Counting large lists without scanning them.

An exact COUNT(*) over 700 000 people from Kayes costs a scan; the first page of 50 costs an
index walk. So lists count exactly up to CAP rows and, beyond, take PostgreSQL's planner
estimate — and say so (`count_is_exact`), instead of making every page wait for the scan."""

import json
from functools import cached_property

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections

CAP = 1_000
# Beyond this a page number is nonsense (and OFFSET would overflow a bigint): the API refuses it,
# the web lists show the first page.
MAX_PAGE = 1_000_000


def fast_count(queryset, cap: int = CAP) -> tuple[int, bool]:
    capped = queryset.order_by()[: cap + 1].count()
    if capped <= cap:
        return capped, True
    if connections[queryset.db].vendor != "postgresql":
        return queryset.count(), True
    plan = json.loads(queryset.order_by().explain(format="json"))
    estimate = int(plan[0]["Plan"]["Plan Rows"])
    return max(estimate, cap + 1), False


def parse_page_number(value, default: int = 1) -> int | None:
    """A page number from a query parameter, or None if it is not a whole number in 1..MAX_PAGE."""
    if value is None or value == "":
        return default
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_PAGE else None


class FastPage(Page):
    """A page that knows whether rows follow it from the rows themselves, never from a count."""

    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self) -> bool:
        return self._has_more

    def next_page_number(self) -> int:
        return self.number + 1


class FastPaginator(Paginator):
    """A Paginator whose count is exact up to CAP and estimated beyond. Whether a next page exists
    is read from the rows (one more than a page is fetched), so an estimate never hides rows; page
    numbers beyond the estimate are served, nonsense ones give the first page."""

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        return fast_count(self.object_list)

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_is_exact(self) -> bool:
        return self._counted[1]

    def validate_number(self, number) -> int:
        parsed = parse_page_number(number)
        if parsed is None:
            raise PageNotAnInteger("That page number is not a whole number in range.")
        if self.count_is_exact and parsed > 1 and parsed > self.num_pages:
            raise EmptyPage("That page contains no results.")
        return parsed

    def page(self, number) -> FastPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom:bottom + self.per_page + 1])
        return FastPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def get_page(self, number) -> FastPage:
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(max(1, self.num_pages))
