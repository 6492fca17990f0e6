"""`next` follows the rows, never the count (issue 8, finding 3): with an estimate lower than the
truth, following `next` still reaches every row; on the web, the page after the estimate opens."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve(make_person):
    return [make_person(given_name=f"P{i:02d}") for i in range(12)]


def _low_estimate(queryset, cap=1000):
    return 6, False  # the planner's guess, far below the 12 rows there are


def test_following_next_reaches_every_row_whatever_the_estimate(twelve, api_client, monkeypatch):
    monkeypatch.setattr("parcours.core.api.fast_count", _low_estimate)
    client = api_client("reception.bamako")
    url, seen, pages = "/api/v1/people?page_size=5", [], 0
    while url:
        body = client.get(url).json()
        assert body["count"] == 6 and body["count_is_exact"] is False
        seen += [r["id"] for r in body["results"]]
        url, pages = body["next"], pages + 1
    assert len(seen) == len(set(seen)) == 12 and pages == 3


def test_a_full_last_page_has_no_next(twelve, api_client):
    body = api_client("reception.bamako").get("/api/v1/people?page_size=6&page=2").json()
    assert len(body["results"]) == 6 and body["next"] is None


def test_web_lists_open_pages_beyond_the_estimate(twelve, monkeypatch):
    from parcours.core.counting import FastPaginator
    from parcours.people.models import Person

    monkeypatch.setattr("parcours.core.counting.fast_count", _low_estimate)
    qs = Person.objects.order_by("given_name")
    paginator = FastPaginator(qs, 5)
    first = paginator.get_page(1)
    assert first.has_next() and paginator.num_pages == 2  # the estimate says 2 pages…
    third = paginator.get_page(3)  # …the rows say 3
    assert third.number == 3 and [p.given_name for p in third] == ["P10", "P11"] and not third.has_next()
    assert paginator.get_page("\x00").number == 1 and paginator.get_page(str(10**18)).number == 1
    exact = FastPaginator(qs, 5)
    monkeypatch.setattr("parcours.core.counting.fast_count", lambda q, cap=1000: (12, True))
    assert exact.get_page(99).number == 3
