"""Every page of every role: no serious or critical WCAG 2.2 AA violation (axe-core), and the
pages fit office laptops (1280 and 1366 px) and a phone (390 px) in English, Romanian and Dutch
without scrolling sideways. Screenshots of each role's home page are left to be looked at."""

import json
import os

import pytest
from django.core.management import call_command

from tests.e2e.walking import (
    BLOCKING,
    axe_findings,
    axe_source,
    log_in,
    sideways_overflow,
    walk,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a demo password for the browser"
ROLES = {
    "caseworker": "caseworker@betania.example",
    "organisation coordinator": "coordinator@betania.example",
    "organisation admin": "admin@betania.example",
    "programme coordinator": "programme@nextsteps.example",
    "data protection officer": "dpo@nextsteps.example",
    "site admin": "siteadmin@nextsteps.example",
}
# The longest organisation name: what makes the top bar widest.
WIDEST = {
    "caseworker": "caseworker@nl-partner.example",
    "organisation coordinator": "coordinator@nl-partner.example",
    "organisation admin": "admin@nl-partner.example",
    "programme coordinator": "programme@nextsteps.example",
    "data protection officer": "dpo@nextsteps.example",
    "site admin": "siteadmin@nextsteps.example",
}
LANGUAGES = ["en", "ro", "nl"]
LAPTOPS = [1280, 1366]
PHONE = 390


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("load_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _browser_page(browser, live_server, *, width=1280, language="en", axe=False):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    if axe:
        context.add_init_script(script=axe_source())
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _summary_path(screenshot_dir, name):
    return os.path.join(os.path.dirname(screenshot_dir), name)


def test_no_page_of_any_role_has_a_serious_accessibility_violation(
    demo, browser, live_server, screenshot_dir
):
    blocking, pages, all_findings = [], {}, []
    for role, email in ROLES.items():
        context, page = _browser_page(browser, live_server, axe=True)
        log_in(page, email, PASSWORD)
        pages[role] = []
        for url in walk(page, "/"):
            pages[role].append(url)
            findings = axe_findings(page, url)
            all_findings.extend((role, finding) for finding in findings)
            blocking.extend(
                f"{role} {finding}" for finding in findings if finding.impact in BLOCKING
            )
        context.close()
    with open(_summary_path(screenshot_dir, "axe-summary.json"), "w") as summary:
        json.dump(
            {
                "pages": pages,
                "findings": [
                    {
                        "role": role,
                        "url": f.url,
                        "rule": f.rule,
                        "impact": f.impact,
                        "elements": len(f.nodes),
                        "nodes": f.nodes[:4],
                    }
                    for role, f in all_findings
                ],
            },
            summary,
            indent=1,
        )

    assert all(len(urls) >= 3 for urls in pages.values()), pages
    assert blocking == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_roles_pages_fit_office_laptops_and_a_phone(
    demo, browser, live_server, screenshot_dir, language
):
    too_wide = []
    for role, email in WIDEST.items():
        context, page = _browser_page(browser, live_server, language=language)
        log_in(page, email, PASSWORD)
        home = page.url
        for url in _navigation_pages(page):
            page.goto(url)
            for width in [*LAPTOPS, PHONE]:
                page.set_viewport_size({"width": width, "height": 900})
                overflow = sideways_overflow(page)
                if overflow > 0:
                    too_wide.append(f"{role} {language} {width}px {url}: {overflow}px too wide")
        page.goto(home)
        for width in [PHONE, *LAPTOPS]:
            page.set_viewport_size({"width": width, "height": 900})
            name = f"home-{role.replace(' ', '-')}-{language}-{width}.png"
            page.screenshot(path=os.path.join(screenshot_dir, name), full_page=True)
        context.close()
    with open(_summary_path(screenshot_dir, f"widths-{language}.json"), "w") as summary:
        json.dump(too_wide, summary, indent=1)

    assert too_wide == []


def _navigation_pages(page):
    sections = page.eval_on_selector_all(
        ".site-navbar .main-sections a.nav-link[href^='/']",
        "links => links.map(link => link.href)",
    )
    return [page.url, *sections]
