"""The demo's records compute every figure of the partnership's two printed tables (each row's
label, target, result and remark, in printed order) and of its financial report (the reference
is tests/data)."""

import pytest
from django.urls import reverse

from accounts.models import User
from pillars.budget import financial_table
from pillars.models import Period, Pillar, Programme, Remark, Target
from pillars.results import Origin, figures_for
from tests.data.printed_reports import (
    FINANCIAL_REPORT,
    PILLAR_HEADINGS,
    TABLE_2021_2023,
    TABLE_2022,
    FinancialRow,
)


def printed_rows_of(period):
    """(pillar, label, sub-row, target, result, remark) for each row of the period's layout."""
    rows = [row for section in period.layout.sections.all() for row in section.rows.all()]
    figures = figures_for([row.indicator for row in rows if row.indicator], period)
    targets = dict(Target.objects.filter(period=period).values_list("indicator_id", "value"))
    remarks = dict(Remark.objects.filter(period=period).values_list("row_id", "text"))
    return [
        (
            row.section.pillar.number,
            row.label,
            row.subrow_label,
            int(targets[row.indicator_id]) if row.indicator_id in targets else None,
            figures[row.indicator_id].value if row.indicator_id else None,
            remarks.get(row.pk, ""),
        )
        for row in rows
    ]


@pytest.mark.parametrize(
    ("label", "printed"), [("2022", TABLE_2022), ("2021-2023", TABLE_2021_2023)]
)
def test_the_demo_reproduces_the_printed_table(demo_data, db, label, printed):
    period = Period.objects.get(label=label)

    assert printed_rows_of(period) == [tuple(row) for row in printed]
    assert {s.pillar.number: s.heading for s in period.layout.sections.all()} == PILLAR_HEADINGS[
        label
    ]


def test_only_figures_no_record_can_yield_are_entered_by_hand(demo_data, db):
    period = Period.objects.get(label="2021-2023")
    rows = [
        row
        for section in period.layout.sections.all()
        for row in section.rows.all()
        if row.indicator
    ]
    figures = figures_for([row.indicator for row in rows], period)

    hand_entered = {
        row.indicator.code for row in rows if figures[row.indicator_id].origin != Origin.COMPUTED
    }
    assert hand_entered == {"p2-strategic-partnerships"}


@pytest.mark.parametrize(
    ("label", "printed"), [("2022", TABLE_2022), ("2021-2023", TABLE_2021_2023)]
)
def test_the_plan_screens_show_every_printed_row(demo_data, db, client_of, label, printed):
    """The programme coordinator's plan, pillar by pillar, shows the printed table."""
    period = Period.objects.get(label=label)
    client = client_of(User.objects.get(email="programme@nextsteps.example"))
    shown = []
    for pillar in Pillar.objects.filter(programme=period.programme):
        response = client.get(
            reverse("pillars:indicator_plan"),
            {"period": period.public_id, "pillar": pillar.number},
        )
        shown += [
            (
                pillar.number,
                line.label,
                line.subrow_label,
                int(line.target) if line.target is not None and line.indicator else None,
                line.figure.value if line.figure else None,
                line.remark,
            )
            for line in response.context["lines"]
            if line.row is not None
        ]

    assert shown == [tuple(row) for row in printed]


def test_the_demo_reproduces_the_financial_report(demo_data, db):
    """Budget, actuals per year, total and difference of every line, subtotal and total row,
    summed from the recorded expenses (to the euro)."""
    table = financial_table(Programme.objects.get(name="Next Steps"))

    computed = [
        FinancialRow(
            row.label,
            round(row.budget),
            {
                int(label): round(spent)
                for label, spent in zip(table.column_labels, row.actuals, strict=True)
            },
            round(row.total),
            round(row.difference),
        )
        for row in table.rows
    ]

    assert computed == FINANCIAL_REPORT
