"""Correcting and voiding logged assistance and outcomes: by the organisation that logged them,
with a reason; the figures follow; the timeline shows the change; a locked period keeps its
published figure and flags the difference for restatement."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import services
from cases.models import Assistance, EntryChange, Outcome
from cases.selectors import timeline_of
from pillars.computations import compute
from pillars.enums import ComputationKind
from pillars.results import figures_for
from pillars.services import lock_period
from tests.cases.factories import AssistanceFactory, OutcomeFactory
from tests.factories import make_member
from tests.pillars.factories import IndicatorFactory, make_plan


@pytest.fixture
def plan(db):
    plan = make_plan()
    plan.assisted = IndicatorFactory(
        programme=plan.programme,
        pillar=plan.pillars[1],
        computation=ComputationKind.ASSISTED_PEOPLE,
    )
    plan.employed = IndicatorFactory(
        programme=plan.programme,
        pillar=plan.pillars[1],
        computation=ComputationKind.PEOPLE_WITH_OUTCOME,
        parameters={"outcome_kinds": ["employed"]},
    )
    return plan


@pytest.fixture
def entry(person, reference_data, alice):
    return AssistanceFactory(
        beneficiary=person,
        service_type=reference_data["shelter"],
        sub_project=reference_data["sub_project"],
        date=date(2022, 6, 1),
        quantity=Decimal(14),
        unit="nights",
        recorded_by=alice,
    )


def figure(indicator, year=2022):
    return compute([indicator], date(year, 1, 1), date(year, 12, 31))[indicator.pk]


def correct(entry, by, **changes):
    return services.correct_assistance(
        entry, by=by, reason="Typed the wrong number", seen_changed_at=None, **changes
    )


def test_a_correction_changes_the_entry_and_the_timeline_says_what_and_why(entry, person, alice):
    change = correct(entry, alice, quantity=Decimal(12))

    entry.refresh_from_db()
    assert entry.quantity == Decimal(12)
    assert (change.kind, change.summary) == ("corrected", "quantity: 14.00 → 12")
    timeline = timeline_of(person, [], alice)
    corrections = [line for line in timeline if line.kind == "correction"]
    assert len(corrections) == 1
    assert "quantity: 14.00 → 12" in corrections[0].detail
    assert "Typed the wrong number" in corrections[0].detail
    audit = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert (audit.object_reference, audit.detail) == (person.code, "assistance corrected: quantity")


def test_a_corrected_service_moves_the_figure_that_counts_it(plan, entry, alice, reference_data):
    plan.assisted.parameters = {"service_types": ["shelter"]}
    plan.assisted.save()
    assert figure(plan.assisted) == 1

    correct(entry, alice, service_type=reference_data["legal"])

    assert figure(plan.assisted) == 0


def test_a_voided_entry_counts_nowhere_but_stays_on_the_timeline(plan, entry, person, alice):
    assert figure(plan.assisted) == 1

    services.void_assistance(entry, by=alice, reason="Logged twice", seen_changed_at=None)

    assert figure(plan.assisted) == 0
    assert not Assistance.objects.filter(pk=entry.pk).exists()
    shown = [line for line in timeline_of(person, [], alice) if line.kind == "assistance"]
    assert [(line.voided, line.entry) for line in shown] == [(True, None)]


def test_a_voided_outcome_leaves_the_outcome_figure(plan, person, alice):
    outcome = OutcomeFactory(beneficiary=person, kind="employed", date=date(2022, 9, 1))
    assert figure(plan.employed) == 1

    services.void_outcome(outcome, by=alice, reason="Another person", seen_changed_at=None)

    assert figure(plan.employed) == 0
    assert Outcome.with_voided.get(pk=outcome.pk).voided_at is not None


def test_a_corrected_outcome_date_moves_it_to_another_year(plan, person, alice):
    outcome = OutcomeFactory(beneficiary=person, kind="employed", date=date(2022, 12, 30))

    services.correct_outcome(
        outcome, by=alice, reason="Started in January", seen_changed_at=None, date=date(2023, 1, 9)
    )

    assert (figure(plan.employed, 2022), figure(plan.employed, 2023)) == (0, 1)


def test_only_the_organisation_that_logged_an_entry_changes_it(entry, ijm_caseworker):
    with pytest.raises(ValidationError, match="Only the organisation that logged"):
        correct(entry, ijm_caseworker, quantity=Decimal(1))
    with pytest.raises(ValidationError, match="Only the organisation that logged"):
        services.void_assistance(entry, by=ijm_caseworker, reason="x", seen_changed_at=None)


def test_a_reason_is_needed_and_an_unchanged_correction_is_refused(entry, alice):
    with pytest.raises(ValidationError, match="Say why"):
        services.correct_assistance(
            entry, by=alice, reason=" ", seen_changed_at=None, quantity=Decimal(1)
        )
    with pytest.raises(ValidationError, match="Nothing was changed"):
        correct(entry, alice, quantity=Decimal(14))
    assert not EntryChange.objects.exists()


def test_a_stale_correction_is_refused_and_nothing_is_lost(entry, alice):
    correct(entry, alice, quantity=Decimal(12))

    # A second form, opened before the first correction, still says "never changed".
    with pytest.raises(ValidationError, match="Someone corrected this entry"):
        correct(entry, alice, quantity=Decimal(10))

    entry.refresh_from_db()
    assert entry.quantity == Decimal(12)


def test_a_voided_entry_is_not_corrected_again(entry, alice):
    services.void_assistance(entry, by=alice, reason="Twice", seen_changed_at=None)
    entry.refresh_from_db()

    with pytest.raises(ValidationError, match="voided"):
        correct(entry, alice, quantity=Decimal(1))


def test_a_correction_into_a_locked_period_asks_first_and_keeps_the_published_figure(
    plan, entry, alice
):
    year = plan.periods["2022"]
    lock_period(year, by=make_member(Role.PROGRAMME_COORDINATOR))

    with pytest.raises(ValidationError, match="locked period 2022"):
        services.void_assistance(entry, by=alice, reason="Twice", seen_changed_at=None)
    assert Assistance.objects.filter(pk=entry.pk).exists()

    change = services.void_assistance(
        entry, by=alice, reason="Twice", seen_changed_at=None, confirm_locked=True
    )

    year.refresh_from_db()
    published = figures_for([plan.assisted], year)[plan.assisted.pk]
    assert (published.value, published.computed, published.needs_restatement) == (1, 0, True)
    assert change.locked_periods == "2022"
    audit = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert "locked period 2022, flagged for restatement" in audit.detail


# -- the pages -------------------------------------------------------------------------------------


def correct_url(entry):
    return reverse("cases:assistance_correct", kwargs={"public_id": entry.public_id})


def void_url(entry):
    return reverse("cases:assistance_void", kwargs={"public_id": entry.public_id})


def correction_form(entry, reference_data, **fields):
    return {
        "service_type": entry.service_type_id,
        "date": entry.date.isoformat(),
        "quantity": str(entry.quantity),
        "unit": entry.unit,
        "sub_project": entry.sub_project_id,
        "note": "",
        "reason": "Typed the wrong number",
        "seen": "",
        **fields,
    }


def test_the_person_page_links_her_entries_to_their_correction(client_of, alice, entry, person):
    page = client_of(alice).get(reverse("cases:beneficiary_detail", kwargs={"code": person.code}))

    assert correct_url(entry) in page.content.decode()
    assert void_url(entry) in page.content.decode()


def test_the_correction_page_is_audited_and_saves_the_correction(
    client_of, alice, entry, person, reference_data
):
    client = client_of(alice)
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()

    page = client.get(correct_url(entry))

    assert page.status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == before + 1
    assert AuditEvent.objects.latest("id").object_reference == person.code
    response = client.post(
        correct_url(entry), correction_form(entry, reference_data, quantity="12")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.quantity == Decimal(12)


def test_a_correction_without_a_reason_answers_400_and_saves_nothing(
    client_of, alice, entry, reference_data
):
    response = client_of(alice).post(
        correct_url(entry), correction_form(entry, reference_data, quantity="12", reason="")
    )

    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.quantity == Decimal(14)


def test_a_partner_cannot_open_the_correction_of_an_entry_it_did_not_log(
    client_of, ijm_caseworker, entry
):
    assert client_of(ijm_caseworker).get(correct_url(entry)).status_code == 404
    assert client_of(ijm_caseworker).post(void_url(entry), {"reason": "x"}).status_code == 404


def test_voiding_from_the_page_takes_the_entry_out_of_the_list_figure(
    client_of, alice, entry, person
):
    response = client_of(alice).post(void_url(entry), {"reason": "Logged twice", "seen": ""})

    assert response.status_code == 302
    page = client_of(alice).get(reverse("cases:beneficiary_detail", kwargs={"code": person.code}))
    assert "voided" in page.content.decode()
    assert "Logged twice" in page.content.decode()


def test_a_future_date_is_refused_on_the_form(client_of, alice, entry, reference_data):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client_of(alice).post(
        correct_url(entry), correction_form(entry, reference_data, date=tomorrow)
    )

    assert response.status_code == 400
    assert "date" in response.context["form"].errors
