"""The load test of issue 14: fifty users mixing caseworker and coordinator pages.

Run by ``make load-test`` (bench/load_test.py starts gunicorn on the benchmark database and locust
headless against it). Logins are the synthetic network's (bench.generator), password from
DEMO_PASSWORD. Every user is logged in once (a session made beforehand by bench/load_test.py, or
through the login form with --with-logins), then reads pages with a think time of one to three
seconds.
"""

import itertools
import json
import os
import random
import re
import sys
from pathlib import Path

from locust import HttpUser, between, task

# locust puts this file's folder on the path, not the project's.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.load_users import email_for

PASSWORD = os.environ.get("DEMO_PASSWORD", "")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CODE = re.compile(r'href="/cases/people/([A-Z0-9]+-\d{4}-\d+)/"')


def prepared_sessions() -> dict:
    """Sessions made beforehand by bench.load_test, one per simulated user; {} without."""
    path = os.environ.get("LOAD_TEST_SESSIONS")
    if not path:
        return {}
    with open(path) as prepared:
        return json.load(prepared)


PREPARED = prepared_sessions()
STARTED = itertools.count()


class LoggedIn(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    local_part = ""

    def on_start(self):
        number = next(STARTED)
        if PREPARED:
            # Logged in already, as a member is for most of her working day.
            sessions = PREPARED["sessions"][self.local_part]
            self.client.cookies.set(PREPARED["cookie"], sessions[number % len(sessions)])
            return
        email = email_for(self.local_part, number)
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
        )


class Caseworker(LoggedIn):
    weight = 3
    local_part = "caseworker"
    codes: list

    @task(4)
    def people_list(self):
        page = self.client.get("/cases/people/", name="people list")
        self.codes = CODE.findall(page.text) or getattr(self, "codes", [])

    @task(3)
    def person(self):
        codes = getattr(self, "codes", None)
        if codes:
            code = random.choice(codes)  # noqa: S311
            self.client.get(f"/cases/people/{code}/", name="person page")

    @task(2)
    def search(self):
        self.client.get("/cases/people/?q=ana", name="people search")

    @task(1)
    def filtered(self):
        self.client.get(
            "/cases/people/?service_type=1&assisted_from=2022-01-01&assisted_until=2022-12-31",
            name="people list, service+dates",
        )

    @task(2)
    def inbox(self):
        self.client.get("/cases/referrals/", name="referral inbox")


class Coordinator(LoggedIn):
    weight = 1
    local_part = "programme"

    @task(3)
    def table(self):
        self.client.get("/reports/indicators/?period=2021-2023", name="indicator table")

    @task(2)
    def dashboard(self):
        self.client.get("/reports/dashboard/?period=2022", name="pillar dashboard")

    @task(1)
    def caseload(self):
        self.client.get("/reports/dashboard/caseload/?period=2022", name="caseload dashboard")

    @task(1)
    def financial(self):
        self.client.get("/reports/financial/?period=2022", name="financial report")
