"""Hostile input to every view that takes some (tests/attacks/form_views.py): empty, far too
long, control characters (NUL among them) and script tags, in one field or in all of them at
once, never make the server fail (no 500), and whatever the page shows back is escaped.

Hypothesis picks the field and the value; the "suite" profile (tests/conftest.py) keeps it to
a few examples per view, the same on every run. The four explicit examples below run for every
view whatever it draws.
"""

import pytest
from django.db import transaction
from hypothesis import example, given
from hypothesis import strategies as st

from tests.attacks.form_views import FORM_VIEWS
from tests.attacks.input import prepare

SCRIPT = '<script>alert("hostile")</script>'
HOSTILE = st.one_of(
    st.just(""),
    st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=8),
    st.integers(min_value=2_000, max_value=20_000).map(lambda length: "x" * length),
    st.text(max_size=12).map(lambda text: text + SCRIPT),
    st.text(max_size=40),
)
EVERY_FIELD = -1


@pytest.mark.parametrize("url_name", sorted(FORM_VIEWS))
def test_hostile_input_is_refused_or_escaped(client, world, url_name):
    prepared = prepare(client, world, url_name)
    # A view without fields of its own (an action button) gets a field it does not expect.
    fields = sorted(prepared.field_names) or ["note"]

    @given(field=st.integers(min_value=EVERY_FIELD, max_value=len(fields) - 1), value=HOSTILE)
    @example(field=EVERY_FIELD, value=SCRIPT)
    @example(field=EVERY_FIELD, value="\x00")
    @example(field=EVERY_FIELD, value="x" * 10_000)
    @example(field=EVERY_FIELD, value="")
    # Beyond every number column, and the last day of the calendar (issue 13 point 5).
    @example(field=EVERY_FIELD, value="99999999999999999999")
    @example(field=EVERY_FIELD, value="9999-12-31")
    def send(field, value):
        targets = fields if field == EVERY_FIELD else [fields[field]]
        data = {**prepared.data, **dict.fromkeys(targets, value)}
        with transaction.atomic():
            response = prepared.send(client, data, follow=True)
            transaction.set_rollback(True)

        assert response.status_code < 500
        if response["Content-Type"].startswith("text/html"):
            assert SCRIPT not in response.content.decode()

    send()
