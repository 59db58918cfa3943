"""On the demo: an organisation's reports hold only its own contribution, and the programme
coordinator never sees a person's code or alias anywhere in the reports, pages or exports."""

import re

import pytest
from django.urls import resolve, reverse

from accounts.models import AuditEvent, User
from cases.models import Beneficiary
from pillars.models import Indicator, Period
from reports import urls as report_urls
from tests.reports.reading import office_text, page_indicator_rows

CODE = re.compile(r"\b[A-Z]{2,5}-20\d\d-\d{4}\b")
FORMATS = ("xlsx", "docx", "csv")


@pytest.fixture
def programme_coordinator(demo_data, db, client_of):
    return client_of(User.objects.get(email="programme@nextsteps.example"))


def every_report_url():
    """Every reports page and export, for every period and every indicator."""
    periods = list(Period.objects.values_list("label", flat=True))
    urls = [reverse("reports:home")]
    for label in periods:
        for name in ("indicator_table", "indicator_table_print", "dashboard"):
            urls.append(f"{reverse(f'reports:{name}')}?period={label}")
        for name in ("referrals_dashboard", "caseload_dashboard"):
            urls.append(f"{reverse(f'reports:{name}')}?period={label}")
        urls += [
            f"{reverse('reports:indicator_table_export', args=[file_format])}?period={label}"
            for file_format in FORMATS
        ]
    urls += [
        f"{reverse(name)}?period={label}&indicator={code}"
        for label in ("2022", "2021-2023")
        # The indicators of the period's programme (the follow-on programme has its own).
        for code in Indicator.objects.filter(programme__periods__label=label).values_list(
            "code", flat=True
        )
        for name in (
            "reports:indicator_breakdown",
            "reports:indicator_records",
            "reports:indicator_records_export",
        )
    ]
    for organisation in ("betania", "ijm-romania"):
        urls.append(f"{reverse('reports:indicator_table')}?period=2022&organisation={organisation}")
        urls.append(f"{reverse('reports:caseload_dashboard')}?organisation={organisation}")
    urls += [reverse("reports:financial"), reverse("reports:financial_print")]
    urls += [reverse("reports:budget_dashboard")]
    urls += [reverse("reports:financial_export", args=[file_format]) for file_format in FORMATS]
    return urls


def readable_text(response):
    content = response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        return office_text(content)
    return content.decode()


def test_the_walk_covers_every_reports_url_pattern(demo_data, db):
    walked = {resolve(url.split("?")[0]).url_name for url in every_report_url()}

    assert walked == {pattern.name for pattern in report_urls.urlpatterns}


def test_the_programme_coordinator_never_sees_a_code_or_an_alias(programme_coordinator):
    aliases = set(Beneficiary.objects.values_list("alias", flat=True))
    codes = set(Beneficiary.objects.values_list("code", flat=True))
    urls = every_report_url()
    seen_pages = 0
    for url in urls:
        response = programme_coordinator.get(url)
        if response.status_code == 404:
            assert "/records/" in url
            continue
        assert response.status_code == 200, url
        text = readable_text(response)
        assert not (set(CODE.findall(text)) & codes), url
        assert not [alias for alias in aliases if alias in text], url
        seen_pages += 1
    assert seen_pages == len([url for url in urls if "/records/" not in url])


def test_the_records_behind_a_figure_are_not_for_the_programme_coordinator(programme_coordinator):
    url = f"{reverse('reports:indicator_records')}?period=2022&indicator=p1-step-out"

    assert programme_coordinator.get(url).status_code == 404


def test_the_breakdown_shows_each_organisations_share(programme_coordinator):
    url = f"{reverse('reports:indicator_breakdown')}?period=2021-2023&indicator=p1-step-out"

    response = programme_coordinator.get(url)

    shares = {organisation.slug: figure for organisation, figure in response.context["breakdown"]}
    # The final report's remark breaks the 107 down: 46 + 13 (Betania, SA) + 33 (IJM) + 15 ...
    assert shares["ijm-romania"] == 33
    assert shares["nl-partner"] == 0
    assert sum(shares.values()) >= 107


def test_an_organisation_sees_its_own_contribution_only(demo_data, db, client_of):
    coordinator = client_of(User.objects.get(email="coordinator@betania.example"))
    table = reverse("reports:indicator_table")

    own = page_indicator_rows(coordinator.get(table, {"period": "2021-2023"}).content.decode())
    asked_for_another = page_indicator_rows(
        coordinator.get(
            table, {"period": "2021-2023", "organisation": "ijm-romania"}
        ).content.decode()
    )
    programme = client_of(User.objects.get(email="programme@nextsteps.example"))
    betania_for_the_programme = page_indicator_rows(
        programme.get(table, {"period": "2021-2023", "organisation": "betania"}).content.decode()
    )
    partnership = page_indicator_rows(
        programme.get(table, {"period": "2021-2023"}).content.decode()
    )

    assert own == asked_for_another == betania_for_the_programme
    assert own != partnership
    results = {label: result for _pillar, label, _target, result, _remark in own}
    # IJM's conferences and referral cases are not Betania's
    assert results["Nr. of conferences conducted on Legal support for local authorities."] == 0
    assert results["Nr. of referral cases"] == 0
    # A hand-entered figure is a partnership total: no share of it is shown
    assert results["Nr. strategic partnerships established"] is None


def test_an_organisation_lists_only_its_own_people_behind_a_figure(demo_data, db, client_of):
    coordinator = User.objects.get(email="coordinator@betania.example")
    client = client_of(coordinator)
    url = f"{reverse('reports:indicator_records')}?period=2021-2023&indicator=p1-step-out"
    before = AuditEvent.objects.count()

    response = client.get(url)

    codes = set(CODE.findall(response.content.decode()))
    assert codes and all(code.startswith("BET-") for code in codes)
    aliases = Beneficiary.objects.filter(code__in=codes).values_list("alias", flat=True)
    assert not [alias for alias in aliases if alias in response.content.decode()]
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.actor, event.object_reference) == (
        "view",
        coordinator,
        Indicator.objects.get(code="p1-step-out").audit_reference,
    )


def test_an_organisation_exports_only_its_own_people_behind_a_figure(demo_data, db, client_of):
    coordinator = User.objects.get(email="coordinator@betania.example")
    url = f"{reverse('reports:indicator_records_export')}?period=2021-2023&indicator=p1-step-out"
    page = f"{reverse('reports:indicator_records')}?period=2021-2023&indicator=p1-step-out"
    client = client_of(coordinator)

    response = client.get(url)

    text = response.content.decode("utf-8-sig")
    codes = set(CODE.findall(text))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert codes and all(code.startswith("BET-") for code in codes)
    assert len(text.splitlines()) == 1 + client.get(page).context["page"].paginator.count
    aliases = Beneficiary.objects.filter(code__in=codes).values_list("alias", flat=True)
    assert not [alias for alias in aliases if alias in text]
    event = AuditEvent.objects.filter(action="export").order_by("-id").first()
    assert (event.actor, event.object_reference) == (
        coordinator,
        Indicator.objects.get(code="p1-step-out").audit_reference,
    )
    assert event.detail == f"records behind p1-step-out for 2021-2023, {len(codes)} rows, CSV"


def test_the_partnership_caseload_hides_small_counts(programme_coordinator, client_of):
    url = reverse("reports:caseload_dashboard")

    partnership = programme_coordinator.get(url).context["summary"]
    betania = client_of(User.objects.get(email="coordinator@betania.example")).get(url)

    counts = list(partnership.active.values())
    assert "<5" in counts
    assert all(count == "<5" or count == 0 or count >= 5 for count in counts)
    own_counts = list(betania.context["summary"].active.values())
    assert all(isinstance(count, int) for count in own_counts)


def test_small_counts_show_when_the_setting_is_off(programme_coordinator, settings):
    settings.SMALL_COUNT_SUPPRESSION = False

    caseload = programme_coordinator.get(reverse("reports:caseload_dashboard")).context["summary"]

    assert all(isinstance(count, int) for count in caseload.active.values())
    assert caseload.total == Beneficiary.objects.filter(status="active").count()
