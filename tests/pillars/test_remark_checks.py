"""A remark that quotes a number the row's figure no longer is gets flagged on the plan page."""

import lxml.html
import pytest
from django.urls import reverse

from accounts.enums import Role
from pillars.models import Remark
from pillars.remarks import contradicting_numbers, numbers_in
from tests.factories import make_member
from tests.reports.builders import add_records, build_plan


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("reaching 1280 people", [1280]),
        ("reaching 1,280 people in 2023", [1280]),
        ("1.280 mensen bereikt", [1280]),
        ("80 participants and 33 at the training", [80, 33]),
        ("85% of the target, 2.5 times more", []),
        ("", []),
    ],
)
def test_the_numbers_a_remark_quotes(text, numbers):
    assert numbers_in(text) == numbers


@pytest.mark.parametrize(
    ("remark", "result", "target", "flagged"),
    [
        ("A total of 1280 people were reached.", 1315, 1500, [1280]),
        ("A total of 1,315 people were reached.", 1315, 1500, []),
        ("80 at the conference and 33 at the training.", 113, 80, []),
        ("We organised 25 workshops.", 1010, 250, []),
        ("Aiming at 1500 people.", 1315, 1500, []),
        ("Since April the shelter is open.", 36, 15, []),
        ("reaching 1280 people", None, None, []),
    ],
)
def test_a_remark_contradicts_only_a_figure_it_seems_to_quote(remark, result, target, flagged):
    assert contradicting_numbers(remark, result, target) == flagged


def test_the_plan_page_flags_a_remark_that_quotes_another_figure(db, client_of):
    plan = build_plan()
    add_records(plan, 12)
    Remark.objects.filter(period=plan.year, row=plan.rows["people"]).update(
        text="We reached 15 people this year."
    )
    Remark.objects.create(period=plan.year, row=plan.rows["attendees"], text="All 12 came.")
    client = client_of(make_member(Role.PROGRAMME_COORDINATOR))

    response = client.get(
        reverse("pillars:indicator_plan"), {"period": str(plan.year.public_id), "pillar": 1}
    )
    second = client.get(
        reverse("pillars:indicator_plan"), {"period": str(plan.year.public_id), "pillar": 2}
    )

    flags = lxml.html.fromstring(response.content).xpath("//*[@data-testid='remark-contradicts']")
    assert [flag.text_content().split("check the remark")[1].strip() for flag in flags] == [
        "The remark says 15; the figure is 12."
    ]
    assert b"remark-contradicts" not in second.content
