"""The centre's pages and the occupancy API read a fixed number of queries whatever the number of
stays (bench/centres.py measures them with 5 000 stays on PostgreSQL)."""

import datetime as dt

from django.db import connection

from parcours.centres.services import stay_end, stay_service_record

TODAY = dt.date.today()
PATHS = ["/centres/GAO-PC/", "/centres/", "/api/v1/centres", "/api/v1/centres/GAO-PC",
         "/api/v1/centres/GAO-PC/stays", "/api/v1/centres/GAO-PC/stays?stranded=true"]


def _queries(client, path: str) -> int:
    seen = []
    with connection.execute_wrapper(lambda execute, sql, *a: seen.append(sql) or execute(sql, *a)):
        response = client.get(path)
    assert response.status_code == 200, (path, response.content[:200])
    return sum(1 for sql in seen if sql.lstrip().upper().startswith("SELECT"))  # reads (not the token's touch)


def _stays(world, migrant, admit, n: int, first: int) -> None:
    manager = world.user("centre.gao")
    for i in range(first, first + n):
        stay = admit(migrant(given_name=f"M{i}", family_name="Sow"), TODAY - dt.timedelta(days=40 - i % 30),
                     services=["food"])
        stay_service_record(by=manager, stay_id=stay.pk, data={"kind": "shelter", "given_on": TODAY.isoformat()})
        if i % 3 == 0:
            stay_end(by=manager, stay_id=stay.pk, data={"left_on": TODAY.isoformat(), "reason": "onward"})


def test_given_more_stays_then_centre_pages_and_occupancy_api_read_the_same_number_of_queries(
        world, web_client, api_client, gao, migrant, admit):
    web, api = web_client("centre.gao"), api_client("centre.gao")
    me_web, me_api = web_client("me.iom"), api_client("me.iom")
    clients = [(web if p.startswith("/centres") else api) for p in PATHS] + [me_web, me_api]
    paths = PATHS + ["/centres/", "/api/v1/centres"]
    _stays(world, migrant, admit, 2, 0)
    before = [_queries(c, p) for c, p in zip(clients, paths, strict=True)]
    _stays(world, migrant, admit, 9, 2)
    after = [_queries(c, p) for c, p in zip(clients, paths, strict=True)]
    assert after == before, dict(zip(paths, zip(before, after, strict=True), strict=False))
    assert max(after) <= 12
