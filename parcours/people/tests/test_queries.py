"""Hot paths keep a constant number of queries, however many people are listed."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_people_list_api_query_count_does_not_grow(api_client, make_person):
    client = api_client("reception.bamako")
    client.get("/api/v1/people")  # the token's first use records last_used_at once
    for i in range(3):
        make_person(given_name=f"A{i}", origin_region="Kayes", origin_cercle="Nioro du Sahel")
    few = _count(client, "/api/v1/people")
    for i in range(12):
        make_person(given_name=f"B{i}", origin_region="Kayes", origin_cercle="Diéma")
    assert _count(client, "/api/v1/people") == few


def test_people_list_page_query_count_does_not_grow(web_client, make_person):
    client = web_client("reception.bamako")
    for i in range(3):
        make_person(given_name=f"A{i}", origin_region="Kayes")
    few = _count(client, "/people/")
    for i in range(12):
        make_person(given_name=f"B{i}", origin_region="District de Bamako")
    assert _count(client, "/people/") == few
