"""Walk every page a logged-in role can reach, run axe-core on it, measure its width.

axe-core comes from npm (package.json, `npm ci`) and is injected by the test into each page
(Playwright's init script, outside the page's Content-Security-Policy): the app never serves it.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}

# Links a walk does not follow: leaving, downloads, the Django admin (not our templates).
NOT_PAGES = re.compile(
    r"/logout|/export|download|\.(csv|xlsx|docx|pdf)$|^/admin/|/static/|/i18n/|/health"
)
# Parts of a path that name one record: one page per kind of record is enough.
RECORD_PARTS = [
    (re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"), "{uuid}"),
    (re.compile(r"^[A-Z]{2,5}-\d{4}-\d{3,}$"), "{code}"),
    (re.compile(r"^\d+$"), "{number}"),
]


def axe_source():
    if not AXE.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{AXE} is missing: run `npm ci` (CI does, in .ci/run)")
        pytest.skip("axe-core is not installed (npm ci)")
    return AXE.read_text()


def shape_of(url):
    """/cases/people/BET-2021-0001/?tab=x -> /cases/people/{code}/?tab: one visit per shape."""
    parts = urlsplit(url)
    segments = []
    for segment in parts.path.split("/"):
        for pattern, placeholder in RECORD_PARTS:
            if pattern.match(segment):
                segment = placeholder
                break
        segments.append(segment)
    keys = sorted({key for key, _value in parse_qsl(parts.query)})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


def internal_links(page):
    hrefs = page.eval_on_selector_all(
        "a[href]", "links => links.map(link => link.getAttribute('href'))"
    )
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue
        path = parts.path if parts.path.startswith("/") else None
        if path and not NOT_PAGES.search(path):
            yield path + (f"?{parts.query}" if parts.query else "")


def walk(page, start, *, limit=80):
    """Yield each page (its URL) reachable from ``start`` by links, one per shape."""
    queue, seen = [start], set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        shape = shape_of(url)
        if shape in seen:
            continue
        seen.add(shape)
        response = page.goto(url)
        if response is None or response.status != 200:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        yield url
        queue.extend(internal_links(page))


@dataclass
class AxeFinding:
    url: str
    rule: str
    impact: str
    nodes: list = field(default_factory=list)

    def __str__(self):
        return f"{self.url}: {self.rule} ({self.impact}) on {len(self.nodes)}: {self.nodes[:3]}"


def axe_findings(page, url):
    """Violations of WCAG 2.2 A/AA that axe-core finds on the page as it is now."""
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return [
        AxeFinding(
            url=url,
            rule=violation["id"],
            impact=violation["impact"] or "",
            nodes=[" ".join(node["target"]) for node in violation["nodes"]],
        )
        for violation in result["violations"]
    ]


def sideways_overflow(page):
    """How many pixels the page is wider than the window (0: nothing scrolls sideways)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def log_in(page, email, password):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{email} could not log in"
