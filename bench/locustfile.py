"""Load: simulated staff on the demo world (bench/load.py starts everything; `locust -f bench/locustfile.py`
against a running Parcours works too).

Each simulated user signs in on the login page as one of the demo logins — reception, case workers
and partners most often — then, with 1 to 5 s between clicks, walks that role's menu (the links the
home page offers it), opens people's records from the people list, and reads the API lists the role
may read (found once: every GET list of the OpenAPI description that answers it 200). Requests are
named by page, not by record, so each line of the results is one page or list."""

import itertools
import json
import os
import random
import re
from collections import Counter

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "parcours-demo")
# (login, weight): the people at desks and in the field most, the readers of reports least.
ROLES = [("reception.bamako", 4), ("caseworker.kayes", 4), ("caseworker.ajdm", 3), ("partner.cfpm", 3),
         ("protection.bamako", 2), ("centre.gao", 2), ("enumerator.gao", 2), ("focal.sikasso", 1), ("me.iom", 1),
         ("manager.eu", 1), ("auditor", 1), ("admin", 1)]
LOGINS = itertools.cycle([name for name, weight in ROLES for _ in range(weight)])
NAV = re.compile(r'<nav aria-label="[^"]*">(.*?)</nav>', re.S)
HREF = re.compile(r'href="(/[^"#?]*)"')
PERSON = re.compile(r'href="(/people/[0-9a-f-]{36}/)"')
ID = re.compile(r"/[0-9a-f]{8}-[0-9a-f-]{27}/?")

STATUSES: Counter = Counter()
TOKENS: dict[str, str] = {}  # one API token per login, shared by that login's simulated users
API_LISTS: dict[str, list[str]] = {}


@events.request.add_listener
def _count(request_type, name, response, exception, **kwargs):
    code = getattr(response, "status_code", 0) or 0
    STATUSES[f"{code // 100}xx" if code else "no answer"] += 1


@events.quitting.add_listener
def _write_statuses(environment, **kwargs):
    out = os.environ.get("BENCH_STATUS_FILE")
    if out:
        with open(out, "w") as f:
            json.dump(dict(STATUSES), f)


def _list_paths(spec: dict) -> list[str]:
    return sorted(path for path, ops in spec["paths"].items() if "get" in ops and "{" not in path
                  and not path.endswith((".csv", ".xlsx", ".pdf", ".json", "/docs")))


class Staff(HttpUser):
    wait_time = between(1, 5)

    def on_start(self):
        self.login = next(LOGINS)
        self.client.headers["Accept-Language"] = "fr"
        page = self.client.get("/login/", name="/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        with self.client.post("/login/", {"username": self.login, "password": PASSWORD, "csrfmiddlewaretoken": token},
                              name="/login/ (sign in)", allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"{self.login} not signed in: {answer.status_code}")
        home = self.client.get("/", name="/ (home)")
        found = NAV.search(home.text)
        self.pages = sorted(set(HREF.findall(found.group(1)))) if found else ["/"]
        self.people = []
        if self.login not in TOKENS:
            answer = self.client.post("/api/v1/auth/token", json={"username": self.login, "password": PASSWORD},
                                      name="/api/v1/auth/token")
            TOKENS[self.login] = answer.json()["token"]
        self.api = {"Authorization": f"Bearer {TOKENS[self.login]}"}
        if self.login not in API_LISTS:
            spec = self.client.get("/api/v1/openapi.json", name="/api/v1/openapi.json").json()
            readable = []
            for path in _list_paths(spec):
                with self.client.get(path, headers=self.api, name="(finding the lists a role reads)",
                                     catch_response=True) as answer:
                    if answer.status_code == 200:
                        readable.append(path)
                    if answer.status_code < 500:
                        answer.success()
            API_LISTS[self.login] = readable

    @task(5)
    def menu_page(self):
        path = random.choice(self.pages)
        answer = self.client.get(path, name=ID.sub("/[id]/", path))
        if path == "/people/" and answer.status_code == 200:
            self.people = PERSON.findall(answer.text)[:20]

    @task(3)
    def api_list(self):
        if API_LISTS[self.login]:
            path = random.choice(API_LISTS[self.login])
            self.client.get(path, headers=self.api, name=path)

    @task(2)
    def person_record(self):
        if self.people:
            self.client.get(random.choice(self.people), name="/people/[id]/")
