"""The read side: report tables, their print views and exports, the records and breakdowns behind
a figure, and the coordinators' dashboards. Nothing here changes data (except the audit log)."""

import io

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.decorators import role_permission_required
from accounts.enums import AuditAction
from accounts.rules import Permission
from accounts.services import record_audit
from exports.enums import ExportKind
from exports.forms import PrepareExportForm
from exports.services import needs_a_job_for, request_export
from nextsteps.views import redirect_after_saving, render_form
from pillars.budget import financial_table
from pillars.computations import COMPUTATIONS
from pillars.enums import PeriodKind
from pillars.models import Indicator
from pillars.results import Origin
from pillars.selectors import default_period as default_period_among
from pillars.small_counts import suppresses_small_counts
from reports import charts, dashboards, exports, selectors
from reports.export_kinds import record_records_export_audit
from reports.financial import pillar_spending, spending_by_month
from reports.forms import ALL_FILTERS, ReportFilterForm
from reports.links import url_or_none
from reports.records_export import CSV_CONTENT_TYPE, records_asked_for, write_records_csv
from reports.tables import (
    Status,
    counts_people_in,
    indicator_table,
    is_narrowed,
    percent_of_target,
    with_small_counts_of_people_suppressed,
)

# Rows each kind of record needs to show itself without a query per row.
RECORD_RELATIONS = {
    "referral": ("beneficiary", "from_organisation", "to_organisation"),
    "activity": ("location", "organisation"),
    "volunteer": ("location", "organisation"),
    "safetynet": ("location", "organisation"),
}
RECORDS_PER_PAGE = 100


# -- landing page ------------------------------------------------------------------------------


@role_permission_required(Permission.VIEW_AGGREGATES)
def home(request):
    periods = list(selectors.periods_for(request.user).order_by("-end_date", "start_date"))
    today = timezone.localdate()
    return render(
        request,
        "reports/home.html",
        {
            "periods": periods,
            # The landing opens on this year (or, between programmes, the latest one).
            "current_period": default_period_among(periods, today),
            "programme_periods": [p for p in periods if p.kind == PeriodKind.PROGRAMME],
            "today": today,
            "may_export": request.user.has_role_permission(Permission.EXPORT_REPORTS),
            "export_formats": exports.EXPORT_FORMATS,
        },
    )


# -- target-vs-result table --------------------------------------------------------------------


def _filter_form(request, fields=ALL_FILTERS):
    form = ReportFilterForm(request.user, request.GET, fields=fields)
    valid = form.is_valid() if form.is_bound else True
    return form, valid


def _indicator_table_context(request, *, printed=False):
    """The table on screen speaks the reader's language; ``printed`` (the print view and the
    exports) keeps the language of the report its layout reproduces."""
    form, valid = _filter_form(request)
    context = {"form": form, "table": None, "sections": [], "printed_language": None}
    period = form.selected_period() if valid else None
    if period is None or period.layout_id is None:
        return context
    language = period.layout.language if printed else translation.get_language()
    with translation.override(language):
        table = indicator_table(
            period, filters=form.report_filters(), pillar=form.selected_pillar()
        )
    if suppresses_small_counts(request.user) and is_narrowed(table):
        table = with_small_counts_of_people_suppressed(table)
    context["printed_language"] = language
    link = _result_link_maker(request.user, form)
    context.update(
        table=table,
        period=period,
        sections=[
            (
                section,
                [
                    {"row": row, "link": link(row), "origin_note": exports.origin_note(row)}
                    for row in section.rows
                ],
            )
            for section in table.sections
        ],
        filter_summary=exports.filter_summary(table.filters),
        query=form.query_string(),
        may_export=request.user.has_role_permission(Permission.EXPORT_REPORTS),
        export_formats=exports.EXPORT_FORMATS,
        close_percent=settings.REPORT_CLOSE_TO_TARGET_PERCENT,
        sees_whole_partnership=selectors.sees_whole_partnership(request.user),
    )
    return context


def _result_link_maker(user, form):
    """Where a result links: the records behind it for an organisation's own figures, each
    organisation's share for the programme coordinator; nothing for a figure entered by hand."""
    if selectors.sees_whole_partnership(user):
        target = "reports:indicator_breakdown"
    elif selectors.sees_own_records(user):
        target = "reports:indicator_records"
    else:
        return lambda row: None

    def link(row):
        if row.is_header or row.indicator.computation not in COMPUTATIONS or row.result is None:
            return None
        return f"{url_or_none(target)}?{form.query_string(indicator=row.indicator.code)}"

    return link


@role_permission_required(Permission.VIEW_AGGREGATES)
def indicator_table_view(request):
    return render_form(request, "reports/indicator_table.html", _indicator_table_context(request))


@role_permission_required(Permission.VIEW_AGGREGATES)
def indicator_table_print(request):
    context = _indicator_table_context(request, printed=True)
    context["back_url"] = _with_query("reports:indicator_table", context.get("query"))
    with translation.override(context["printed_language"]):
        return render_form(request, "reports/indicator_table_print.html", context)


def _with_query(url_name, query):
    return f"{reverse(url_name)}?{query}" if query else reverse(url_name)


@role_permission_required(Permission.EXPORT_REPORTS)
def indicator_table_export(request, file_format):
    if file_format not in exports.FORMAT_BY_CODE:
        raise Http404
    context = _indicator_table_context(request, printed=True)
    table = context["table"]
    if table is None:
        return render(request, "reports/indicator_table.html", context, status=400)
    reader_language = translation.get_language()
    with translation.override(context["printed_language"]):
        content = exports.indicator_table_file(table, file_format, reader_language=reader_language)
    pillar = context["form"].selected_pillar()
    name = "-".join(
        slugify(str(part))
        for part in [
            "indicators",
            table.period.label,
            f"pillar-{pillar}" if pillar else None,
            *_filter_values(table.filters),
        ]
        if part
    )
    summary = exports.filter_summary(table.filters)
    detail = f"indicator table {table.period.label} {file_format} {summary}"
    return _export_response(request, content, name, file_format, detail, record=table.period)


def _filter_values(filters):
    return [
        value
        for value in (filters.organisation, filters.location, filters.sub_project)
        if value is not None
    ]


def _export_response(request, content, name, file_format, detail, *, record=None):
    with transaction.atomic():
        record_audit(
            AuditAction.EXPORT,
            record if record is not None and record.pk else None,
            by=request.user,
            detail=detail.strip(),
        )
    export_format = exports.FORMAT_BY_CODE[file_format]
    response = HttpResponse(content, content_type=export_format.content_type)
    filename = f"{name}.{export_format.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- what a figure is made of ------------------------------------------------------------------


def _indicator_and_period(request, form):
    period = form.selected_period()
    if period is None:
        raise Http404
    indicator = get_object_or_404(
        Indicator, programme=period.programme, code=request.GET.get("indicator", "")
    )
    return indicator, period


@role_permission_required(Permission.VIEW_AGGREGATES)
def indicator_records(request):
    """The records behind one of the organisation's own figures; people by code only."""
    form, valid = _filter_form(request)
    if not valid:
        raise Http404
    indicator, period = _indicator_and_period(request, form)
    filters = form.report_filters()
    records = selectors.records_for(request.user, indicator, period, filters)
    if records is None:
        raise Http404
    kind = records.model._meta.model_name
    records = records.select_related(*RECORD_RELATIONS.get(kind, ()))
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    figure = indicator_table(period, filters=filters)
    row = next((r for r in figure.rows if r.indicator == indicator), None)
    with transaction.atomic():
        record_audit(
            AuditAction.VIEW,
            indicator,
            by=request.user,
            detail=f"records behind {indicator.code} for {period.label}, page {page.number}",
        )
    return render(
        request,
        "reports/indicator_records.html",
        {
            "form": form,
            "indicator": indicator,
            "period": period,
            "row": row,
            "published": _published_beside_live(period, row),
            "kind": kind,
            "page": page,
            "items": [(record, _record_link(kind, record)) for record in page.object_list],
            "query": form.query_string(page=None),
            "table_query": form.query_string(indicator=None, page=None),
            "export_query": form.query_string(indicator=indicator.code, page=None),
            "may_export": request.user.has_role_permission(Permission.EXPORT_REPORTS),
        },
    )


@role_permission_required(Permission.EXPORT_REPORTS)
def indicator_records_export(request):
    """The records behind one of the organisation's own figures as CSV, at once; a list longer
    than EXPORT_JOB_THRESHOLD is written by a background job, started by a button (a POST)
    on the page this shows instead, whose own page then offers the file."""
    asked = records_asked_for(request.user, request.GET)
    if asked is None:
        raise Http404
    if needs_a_job_for(asked.records):
        return _records_export_job_page(request, asked)
    output = io.BytesIO()
    with transaction.atomic():
        count = write_records_csv(output, asked.records)
        record_records_export_audit(request.user, asked, count)
    response = HttpResponse(output.getvalue(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_records_file_name(asked)}.csv"'
    return response


def _records_file_name(asked):
    return slugify(f"records-{asked.indicator.code}-{asked.period.label}")


def _records_export_job_page(request, asked):
    form = PrepareExportForm(request.POST if request.method == "POST" else None)

    def save(form):
        job = request_export(
            ExportKind.REPORT_RECORDS,
            by=request.user,
            parameters={
                "query": request.GET.urlencode(),
                "indicator": asked.indicator.code,
                "language": translation.get_language(),
                "file_name": _records_file_name(asked),
            },
            total=0,  # counted by the job, off the request
        )
        return reverse("exports:job", args=[job.public_id])

    if response := redirect_after_saving(
        request, form, save, success=_("The file is being prepared.")
    ):
        return response
    return render_form(
        request,
        "cases/export_password.html",
        {
            "form": form,
            "title": _("Export the records behind %(indicator)s")
            % {"indicator": asked.indicator.code},
            "intro": _(
                "More than %(threshold)d records: a list this long is prepared in the "
                "background. The next page shows how far it is, and offers the file when it "
                "is ready."
            )
            % {"threshold": settings.EXPORT_JOB_THRESHOLD},
            "cancel_url": f"{reverse('reports:indicator_records')}?{request.GET.urlencode()}",
            "submit": _("Prepare the file"),
        },
    )


def _published_beside_live(period, row):
    """(published figure, what today's records give) when the period is locked: its records
    page lists today's records (the published figures are aggregates, no list of records is
    kept with them, see docs/decisions.md), so it says how they compare. None otherwise."""
    figure = row.figure if row is not None else None
    if not period.is_locked or figure is None or figure.origin != Origin.FROZEN:
        return None
    return figure.value, figure.computed


def _record_link(kind, record):
    if kind == "beneficiary":
        return url_or_none("cases:beneficiary_detail", code=record.code)
    if kind == "activity":
        return url_or_none("pillars:activity_detail", public_id=record.public_id)
    if kind == "referral":
        return url_or_none("cases:referral_detail", public_id=record.public_id)
    return None


@role_permission_required(Permission.VIEW_AGGREGATES)
def indicator_breakdown(request):
    """Each organisation's contribution to a figure: the programme coordinator's view of where
    it comes from, without a single person in it."""
    form, valid = _filter_form(request)
    if not valid:
        raise Http404
    indicator, period = _indicator_and_period(request, form)
    breakdown = selectors.breakdown_for(request.user, indicator, period)
    if breakdown is None:
        raise Http404
    counts_people = counts_people_in(indicator)
    suppress = counts_people and suppresses_small_counts(request.user)
    table = indicator_table(period)
    row = next((r for r in table.rows if r.indicator == indicator), None)
    return render(
        request,
        "reports/indicator_breakdown.html",
        {
            "form": form,
            "indicator": indicator,
            "period": period,
            "row": row,
            "counts_people": counts_people,
            "breakdown": [
                (organisation, dashboards.shown(figure, suppress=suppress))
                for organisation, figure in breakdown.items()
            ],
            "table_query": form.query_string(indicator=None),
        },
    )


# -- financial report --------------------------------------------------------------------------


def _financial_context(request, *, printed=False):
    """As the indicator table: ``printed`` keeps the language of the programme's report."""
    # The period names the programme whose budget is shown (by default: this year's).
    form, valid = _filter_form(request, fields=("period", "organisation"))
    period = form.selected_period() if valid else None
    context = {"form": form, "financial": None, "printed_language": None}
    if not valid or period is None:
        return context
    organisation = form.report_filters().organisation
    programme = period.programme
    programme_period = (
        selectors.periods_for(request.user)
        .filter(programme=programme, kind=PeriodKind.PROGRAMME)
        .select_related("layout")
        .first()
    )
    language = translation.get_language()
    if printed and programme_period is not None:
        language = programme_period.layout.language
    context.update(
        printed_language=language,
        may_export=request.user.has_role_permission(Permission.EXPORT_REPORTS),
    )
    with translation.override(language):
        return _financial_context_in_language(
            context, form, programme, organisation, programme_period
        )


def _financial_context_in_language(context, form, programme, organisation, programme_period):
    financial = financial_table(programme, organisation=organisation)
    pillars = []
    if programme_period is not None:
        table = indicator_table(programme_period, filters=form.report_filters())
        pillars = [
            (
                spending,
                charts.progress(spending.percent_spent),
                [(status, spending.count(status)) for status in Status],
            )
            for spending in pillar_spending(financial, table)
        ]
    headers = exports.financial_headers(financial)
    context.update(
        financial=financial,
        headers=headers,
        rows=[
            (row, list(zip(headers[1:], exports.financial_values(financial, row), strict=True)))
            for row in financial.rows
        ],
        programme_period=programme_period,
        pillars=pillars,
        query=form.query_string(),
        export_formats=exports.EXPORT_FORMATS,
    )
    return context


@role_permission_required(Permission.VIEW_AGGREGATES)
def financial_view(request):
    return render_form(request, "reports/financial.html", _financial_context(request))


@role_permission_required(Permission.VIEW_AGGREGATES)
def financial_print(request):
    context = _financial_context(request, printed=True)
    context["back_url"] = _with_query("reports:financial", context.get("query"))
    with translation.override(context["printed_language"]):
        return render_form(request, "reports/financial_print.html", context)


@role_permission_required(Permission.EXPORT_REPORTS)
def financial_export(request, file_format):
    if file_format not in exports.FORMAT_BY_CODE:
        raise Http404
    context = _financial_context(request, printed=True)
    financial = context["financial"]
    if financial is None:
        return render(request, "reports/financial.html", context, status=400)
    reader_language = translation.get_language()
    with translation.override(context["printed_language"]):
        content = exports.financial_file(financial, file_format, reader_language=reader_language)
    suffix = f"-{slugify(str(financial.organisation))}" if financial.organisation else ""
    return _export_response(
        request,
        content,
        f"financial-report{suffix}",
        file_format,
        f"financial report {file_format} {financial.organisation or ''}",
    )


# -- dashboards --------------------------------------------------------------------------------


@role_permission_required(Permission.VIEW_AGGREGATES)
def pillar_dashboard(request):
    context = _indicator_table_context(request)
    table = context["table"]
    indicators = []
    # A month's count of people is small even when the year's is not: suppressed for the
    # partnership-wide viewer, as on the caseload dashboard.
    suppress = suppresses_small_counts(request.user)
    if table is not None:
        monthly = dashboards.indicator_trends(
            {row.indicator for row in table.rows if not row.is_header and row.indicator},
            table.period,
            table.filters,
        )
        trends = monthly.trends
        for section, items in context["sections"]:
            for item in items:
                row = item["row"]
                if row.is_header:
                    continue
                trend = trends.get(row.indicator.pk) if row.indicator else None
                if trend and suppress and counts_people_in(row.indicator):
                    trend = [(month, dashboards.shown(value)) for month, value in trend]
                indicators.append(
                    {
                        "section": section,
                        "row": row,
                        "link": item["link"],
                        "progress": charts.progress(row.percent),
                        "trend": charts.monthly_chart(
                            trend,
                            title=_("%(indicator)s per month") % {"indicator": row.full_label},
                            description=_("Result per month, %(period)s.")
                            % {"period": table.period.label},
                            value_heading=_("Result"),
                        )
                        if trend
                        else None,
                        "trend_not_kept": row.indicator is not None
                        and row.indicator.pk in monthly.not_kept,
                    }
                )
        context["trends_locked_at"] = monthly.locked_at
    context["indicators"] = indicators
    if table is not None:
        context["outcomes"] = dashboards.outcome_figures(table.period, table.filters)
    return render(request, "reports/dashboard.html", context)


@role_permission_required(Permission.VIEW_AGGREGATES)
def referrals_dashboard(request):
    return _people_dashboard(
        request,
        "reports/referrals_dashboard.html",
        fields=("period", "range", "organisation"),
        dashboard=dashboards.referrals_dashboard,
        monthly=lambda summary: summary.per_month,
        chart_texts=(
            _("Referrals sent per month"),
            _("Referrals sent per month, %(period)s."),
            _("Referrals sent"),
        ),
    )


@role_permission_required(Permission.VIEW_AGGREGATES)
def caseload_dashboard(request):
    return _people_dashboard(
        request,
        "reports/caseload_dashboard.html",
        fields=("period", "range", "organisation", "location"),
        dashboard=dashboards.caseload_dashboard,
        monthly=lambda summary: summary.intakes_per_month,
        chart_texts=(
            _("New intakes per month"),
            _("People taken in per month, %(period)s."),
            _("New intakes"),
        ),
    )


def _people_dashboard(request, template, *, fields, dashboard, monthly, chart_texts):
    """A dashboard of people for one period: ``dashboard(period, filters, suppress=...)`` gives
    what it shows (live, or as published for a locked period), ``monthly(summary)`` the series
    of its chart."""
    form, valid = _filter_form(request, fields=fields)
    context = {"form": form, "summary": None}
    period = form.selected_period() if valid else None
    if period is not None:
        suppress = suppresses_small_counts(request.user)
        shown = dashboard(period, form.report_filters(), suppress=suppress)
        context.update(period=period, shown=shown, summary=shown.summary, suppressing=suppress)
        if shown.summary is not None:
            title, description, value_heading = chart_texts
            context["chart"] = charts.monthly_chart(
                monthly(shown.summary),
                title=title,
                description=description % {"period": period.label},
                value_heading=value_heading,
            )
    return render(request, template, context)


@role_permission_required(Permission.VIEW_AGGREGATES)
def budget_dashboard(request):
    context = _financial_context(request)
    financial = context["financial"]
    if financial is not None:
        organisation = financial.organisation
        context["burn"] = [
            (row, charts.progress(percent_of_target(row.total, row.line.budget)))
            for row in financial.lines
            if not row.is_exchange_difference
        ]
        spending = spending_by_month(financial.programme, organisation=organisation)
        context["spending_not_kept"] = spending.not_kept
        context["chart"] = charts.monthly_chart(
            spending.months,
            title=_("Spending per month"),
            description=_("Euros spent per month over the programme."),
            value_heading=financial.currency,
        )
    return render(request, "reports/budget_dashboard.html", context)
