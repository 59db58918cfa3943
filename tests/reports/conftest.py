"""Fixtures of the locked-year tests, each with its own ``plan`` (tests.reports.builders): the
programme coordinator and the coordinator of the plan's own organisation, each in a browser of
their own. A module that means other people by these names defines its own."""

import pytest

from accounts.enums import Role
from tests.factories import make_member
from tests.reports.test_a_late_entry_into_a_locked_year import logged_in


@pytest.fixture
def programme_coordinator(plan):
    return logged_in(make_member(Role.PROGRAMME_COORDINATOR))


@pytest.fixture
def our_coordinator(plan):
    return logged_in(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))
