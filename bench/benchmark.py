"""The benchmark of issue 14: per page, its query count and its server time (median, p95) at the
size of the database it runs on, and the indicator table computed by the app beside the same
figures written by hand in SQL over the raw rows (bench.raw_sql).

Pages are requested in-process through Django's test client, logged in as the synthetic
network's users (bench.generator), so that the time is the server's alone: middleware, views,
queries and templates, no network. Run it on a database filled by ``generate_network``.

Each page is requested once before it is timed, and then timed as a user finds it: the report
pages (tables, dashboards, breakdown, records, financial report) serve their figures from the
cache kept under the data version (pillars.data_version) until the next write. Those pages are
timed a second time "after a write": the cache emptied before every request, so that each one
computes its figures from the rows, as the first reader after a write does.
"""

import os
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from bench import raw_sql
from bench.generator import email_of
from cases.models import Beneficiary, ServiceType
from nextsteps.scoping import scopes_disabled
from pillars.computations import COMPUTATIONS
from pillars.models import Indicator, Period
from pillars.results import figures_for

LARGEST = "network-01"


@dataclass(frozen=True)
class Page:
    name: str
    email: str
    url: str
    # Whether its figures are cached under the data version (also timed after a write).
    reads_figures: bool = False


@dataclass(frozen=True)
class Measured:
    name: str
    status: int
    queries: int
    times: list
    size: int
    after_a_write: bool = False

    @property
    def median(self):
        return statistics.median(self.times) * 1000

    @property
    def p95(self):
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def report_page(name: str, email: str, url: str) -> Page:
    """A page whose figures are cached under the data version."""
    return Page(name, email, url, reads_figures=True)


def pages(period_label="2021-2023") -> list[Page]:
    """The pages of issue 14, for the largest organisation's staff and the partnership roles."""
    caseworker = email_of("caseworker", LARGEST)
    coordinator = email_of("coordinator", LARGEST)
    programme = email_of("programme")
    dpo = email_of("dpo")
    with scopes_disabled():
        person = (
            Beneficiary.objects.filter(organisation__slug=LARGEST).order_by("-intake_date").first()
        )
        service = ServiceType.objects.order_by("pk").first()
        actor = User.objects.get(email=caseworker)
        indicator = (
            Indicator.objects.filter(computation="assisted_people").order_by("order", "pk").first()
        )
    filtered = urlencode(
        {"service_type": service.pk, "assisted_from": "2022-01-01", "assisted_until": "2022-12-31"}
    )
    period = urlencode({"period": period_label})
    found = [
        Page("people list", caseworker, reverse("cases:beneficiary_list")),
        Page(
            "people list, service+dates",
            caseworker,
            f"{reverse('cases:beneficiary_list')}?{filtered}",
        ),
        Page("people search", caseworker, f"{reverse('cases:beneficiary_list')}?q=ana"),
        Page(
            "people search, code",
            caseworker,
            f"{reverse('cases:beneficiary_list')}?{urlencode({'q': person.code.split('-', 1)[1]})}",
        ),
        *(
            Page(f"people list, {name}", caseworker, f"{reverse('cases:beneficiary_list')}?{query}")
            for name, query in (
                ("status", "status=reintegrated"),
                ("category", "category=refugee"),
                ("location", urlencode({"location": person.location_id})),
                ("open referral", "has_open_referral=true"),
            )
        ),
        Page("person page", caseworker, reverse("cases:beneficiary_detail", args=[person.code])),
        Page("referral inbox", caseworker, reverse("cases:referral_inbox")),
        report_page("indicator table", programme, f"{reverse('reports:indicator_table')}?{period}"),
        report_page(
            "indicator table, org", coordinator, f"{reverse('reports:indicator_table')}?{period}"
        ),
        report_page("pillar dashboard", programme, f"{reverse('reports:dashboard')}?{period}"),
        report_page(
            "referrals dashboard", programme, f"{reverse('reports:referrals_dashboard')}?{period}"
        ),
        report_page(
            "caseload dashboard", programme, f"{reverse('reports:caseload_dashboard')}?{period}"
        ),
        report_page("financial report", programme, f"{reverse('reports:financial')}?{period}"),
        Page("retention list", dpo, reverse("cases:retention")),
        Page("audit log", dpo, reverse("accounts:audit_log")),
        *(
            Page(f"audit log, {name}", dpo, f"{reverse('accounts:audit_log')}?{query}")
            for name, query in (
                ("user", urlencode({"actor": actor.public_id})),
                ("user's organisation", urlencode({"user_organisation": LARGEST})),
                ("record", urlencode({"record": person.code})),
                ("action", "action=export"),
                ("days", "occurred_from=2023-03-01&occurred_until=2023-03-31"),
            )
        ),
        Page("unusual access", dpo, reverse("accounts:unusual_access")),
    ]
    if indicator is not None:
        query = urlencode({"period": period_label, "indicator": indicator.code})
        found += [
            report_page(
                "breakdown", programme, f"{reverse('reports:indicator_breakdown')}?{query}"
            ),
            report_page("records", coordinator, f"{reverse('reports:indicator_records')}?{query}"),
        ]
    return found


def measure(page: Page, repeat: int, *, after_a_write: bool = False) -> Measured:
    """``repeat`` requests of the page, after one untimed (templates compiled, caches filled
    as in a running server). ``after_a_write``: the cache emptied before each request, as a
    write leaves it for the figures (a new data version)."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email=page.email))
    client.get(page.url)
    times, queries, status, size = [], 0, 0, 0
    for _ in range(repeat):
        if after_a_write:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(page.url)
            content = b"".join(response) if response.streaming else response.content
            times.append(time.perf_counter() - started)
        queries, status, size = len(captured), response.status_code, len(content)
    return Measured(page.name, status, queries, times, size, after_a_write)


@dataclass(frozen=True)
class Comparison:
    cold_times: list
    warm_times: list
    sql_times: list
    app_queries: int
    sql_statements: int
    identical: bool
    differences: dict
    # {indicator code: figure} of the indicators counting distinct people: a benchmark whose
    # figures count nobody would time the reading of rows that count for nothing.
    people_counted: dict

    @property
    def ratio(self):
        """The report as it is served (figures cached under the data version) against the
        hand-written SQL over the raw rows."""
        return statistics.median(self.warm_times) / statistics.median(self.sql_times)

    @property
    def cold_ratio(self):
        """The same, with the cache emptied before each computation (after every write)."""
        return statistics.median(self.cold_times) / statistics.median(self.sql_times)


def report_against_sql(period_label="2021-2023", repeat=5) -> Comparison:
    """The period's figures from the app (pillars.results.figures_for, what every table and
    export reads) and from hand-written SQL over the raw rows, timed alike: the app cold (its
    cache emptied, as after a write) and warm (as served until the next write)."""
    with scopes_disabled():
        period = Period.objects.get(label=period_label)
        indicators = list(Indicator.objects.filter(programme_id=period.programme_id))
        prepared = raw_sql.statements(indicators, period.start_date, period.end_date)
        cold_times, warm_times, sql_times = [], [], []
        raw_sql.figures(prepared)
        for _ in range(repeat):
            cache.clear()
            started = time.perf_counter()
            figures_for(indicators, period)
            cold_times.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                app = figures_for(indicators, period)
                warm_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            by_hand = raw_sql.figures(prepared)
            sql_times.append(time.perf_counter() - started)
    computed = {pk: figure.computed for pk, figure in app.items() if pk in by_hand}
    differences = {pk: (computed[pk], by_hand[pk]) for pk in by_hand if computed[pk] != by_hand[pk]}
    people_counted = {
        indicator.code: computed[indicator.pk]
        for indicator in indicators
        if indicator.pk in computed and COMPUTATIONS[indicator.computation].measure == "people"
    }
    return Comparison(
        cold_times,
        warm_times,
        sql_times,
        len(captured),
        len(prepared),
        identical=not differences,
        differences=differences,
        people_counted=people_counted,
    )


def database_size() -> dict:
    with scopes_disabled():
        from accounts.models import AuditEvent, Organisation
        from cases.models import Assistance
        from pillars.models import Activity

        return {
            "organisations": Organisation.objects.count(),
            "people": Beneficiary.objects.count(),
            "assistance": Assistance.objects.count(),
            "activities": Activity.objects.count(),
            "audit rows": AuditEvent.objects.count(),
        }


def run(repeat: int, write=print, only=None) -> tuple[list, Comparison]:
    write(", ".join(f"{name}: {count:,}" for name, count in database_size().items()))
    write("load average (1, 5, 15 min): " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    write(f"{'page':<38} {'status':>6} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'KB':>7}")
    results = []
    for page in pages():
        if only and not any(word in page.name for word in only):
            continue
        for after_a_write in [False, True] if page.reads_figures else [False]:
            result = measure(page, repeat, after_a_write=after_a_write)
            results.append(result)
            name = f"{result.name}, after a write" if after_a_write else result.name
            write(
                f"{name:<38} {result.status:>6} {result.queries:>7} {result.median:>10.1f} "
                f"{result.p95:>8.1f} {result.size / 1024:>7.0f}"
            )
    comparison_period = "2021-2023"
    comparison = report_against_sql(comparison_period, repeat=repeat)
    verdict = "identical" if comparison.identical else f"DIFFER: {comparison.differences}"
    write(
        f"indicator figures {comparison_period}: hand-written SQL over the rows "
        f"{statistics.median(comparison.sql_times) * 1000:.1f} ms "
        f"({comparison.sql_statements} statements); app cold "
        f"{statistics.median(comparison.cold_times) * 1000:.1f} ms (x{comparison.cold_ratio:.2f}), "
        f"app as served {statistics.median(comparison.warm_times) * 1000:.1f} ms "
        f"({comparison.app_queries} queries, x{comparison.ratio:.2f}); figures {verdict}"
    )
    write(
        "people counted: "
        + ", ".join(f"{code} {count:,}" for code, count in comparison.people_counted.items())
    )
    return results, comparison
