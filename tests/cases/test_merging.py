"""Merging two records of one person (issue 10, point 1): every figure stays right, the person
counts once, nothing is lost, only the organisation's admin merges, and both codes are audited.

The small world: Betania registered Dana twice, in March 2022 (BET-A) and again in February
2023 (BET-B), and Carla once. Hand-computed figures:

    assistance   BET-A 2022-04-01 3 nights, 2023-03-01 2 nights; BET-B 2023-02-10 5 nights;
                 Carla 2022-06-01 1 night         -> 4 entries, 11 nights (2022: 2/4, 2023: 2/7)
    outcomes     BET-A employed 2023-05-01; BET-B employed 2023-06-01
    activities   sewing course 2023 (BET-A and BET-B), a conference 2023 (BET-B)
    referrals    BET-A sent to IJM; BET-B completed with IJM; BET-B sent to the Dutch partner

                                 before      after
    assisted people 2022            2           2     (Dana, Carla)
    assisted people 2023            2           1     (Dana)
    assisted people 2022-2023       3           2
    new people 2022                 2           2     (Dana came first in 2022, Carla)
    new people 2023                 1           0
    people with an outcome 2023     2           1
    people in activities 2023       2           1
    participations (rows)           3           2     (the course counts her once)
    referrals 2022-2023             3           3
    activity participants (typed)  22          22
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import merging
from cases.enums import ReferralStatus, TransferStatus
from cases.models import (
    Assistance,
    Beneficiary,
    CaseEvent,
    CaseNote,
    ConsentEvent,
    Goal,
    IdentityDigest,
    MergedRecord,
    Outcome,
    Referral,
    Task,
    Transfer,
)
from cases.selectors import people_with_identity
from documents.models import Document
from pillars.computations import compute
from pillars.enums import ActivityKind, ComputationKind, Unit
from pillars.models import Activity, ActivityParticipation, Indicator, Pillar, Programme
from tests.cases.factories import AssistanceFactory, OutcomeFactory, ReferralFactory
from tests.cases.test_races import at_once, race, unscoped
from tests.factories import BeneficiaryFactory, LocationFactory, make_member

FIGURES = {
    "assisted": ComputationKind.ASSISTED_PEOPLE,
    "new": ComputationKind.NEW_PEOPLE,
    "outcome": ComputationKind.PEOPLE_WITH_OUTCOME,
    "activity_people": ComputationKind.ACTIVITY_PEOPLE,
    "referrals": ComputationKind.REFERRALS,
    "participants": ComputationKind.ACTIVITY_PARTICIPANTS,
}
YEAR_2022 = (date(2022, 1, 1), date(2022, 12, 31))
YEAR_2023 = (date(2023, 1, 1), date(2023, 12, 31))
WHOLE = (date(2022, 1, 1), date(2023, 12, 31))


@pytest.fixture
def admin(betania):
    return make_member(Role.ORGANISATION_ADMIN, betania, email="ana@betania.test")


@pytest.fixture
def indicators(db):
    programme = Programme.objects.create(
        name="Test programme", start_date=WHOLE[0], end_date=WHOLE[1]
    )
    pillar = Pillar.objects.create(programme=programme, number=1, name="Pillar 1")
    return {
        name: Indicator.objects.create(
            programme=programme,
            pillar=pillar,
            code=name,
            label=name,
            unit=Unit.PEOPLE,
            computation=kind,
            order=order,
        )
        for order, (name, kind) in enumerate(FIGURES.items())
    }


def figures(indicators, period):
    computed = compute(list(indicators.values()), *period)
    return {name: computed[indicator.pk] for name, indicator in indicators.items()}


def assistance_totals():
    return {
        period: Assistance._base_manager.filter(date__range=period).aggregate(
            entries=Count("id"), nights=Sum("quantity")
        )
        for period in (YEAR_2022, YEAR_2023)
    }


@pytest.fixture
def dana_twice(betania, reference_data, ijm, dutch_partner, indicators):
    """Dana registered twice by Betania, and Carla once (the module's description)."""
    oradea = reference_data["location"]
    first = BeneficiaryFactory(
        organisation=betania,
        code="BET-2022-0001",
        alias="Dana",
        intake_date=date(2022, 3, 1),
        legal_name="Dana Popescu",
        phone="",
        birth_year=1999,
        date_of_birth=date(1999, 3, 12),
        location=oradea,
    )
    second = BeneficiaryFactory(
        organisation=betania,
        code="BET-2023-0001",
        alias="Dana P.",
        intake_date=date(2023, 2, 1),
        legal_name="",
        phone="+40 700 111 222",
        birth_year=None,
        category="victim_of_trafficking",
        safety_flag=True,
        safety_reason="Her former pimp looks for her",
        location=LocationFactory(code="bucharest"),
    )
    carla = BeneficiaryFactory(organisation=betania, alias="Carla", intake_date=date(2022, 5, 1))
    shelter = reference_data["shelter"]
    for person, on, nights in [
        (first, date(2022, 4, 1), 3),
        (first, date(2023, 3, 1), 2),
        (second, date(2023, 2, 10), 5),
        (carla, date(2022, 6, 1), 1),
    ]:
        AssistanceFactory(
            beneficiary=person,
            service_type=shelter,
            date=on,
            quantity=nights,
            sub_project=reference_data["sub_project"],
        )
    OutcomeFactory(beneficiary=first, kind="employed", date=date(2023, 5, 1))
    OutcomeFactory(beneficiary=second, kind="employed", date=date(2023, 6, 1))
    pillar = Pillar.objects.first()
    course, conference = (
        Activity.objects.create(
            pillar=pillar,
            organisation=betania,
            kind=kind,
            title=title,
            starts_on=date(2023, 4, 1),
            location=oradea,
            sub_project=reference_data["sub_project"],
            participants=11,
        )
        for kind, title in [
            (ActivityKind.VOCATIONAL_TRAINING_COURSE, "Sewing course"),
            (ActivityKind.CONFERENCE, "Conference"),
        ]
    )
    for activity, person in [(course, first), (course, second), (conference, second)]:
        ActivityParticipation.objects.create(activity=activity, beneficiary=person)
    ReferralFactory(beneficiary=first, to_organisation=ijm, sent_on=date(2023, 1, 5))
    ReferralFactory(
        beneficiary=second,
        to_organisation=ijm,
        status=ReferralStatus.COMPLETED,
        sent_on=date(2023, 2, 15),
    )
    ReferralFactory(beneficiary=second, to_organisation=dutch_partner, sent_on=date(2023, 3, 1))
    Goal.objects.create(beneficiary=second, organisation=betania, title="A job")
    Task.objects.create(
        beneficiary=second,
        organisation=betania,
        title="Call",
        due_date=date(2023, 5, 1),
        assignee=make_member(Role.CASEWORKER, betania),
    )
    CaseNote.objects.create(beneficiary=second, organisation=betania, text="Came back")
    CaseEvent.objects.create(beneficiary=second, kind="reopened", on=date(2023, 2, 1))
    Document.objects.create(
        beneficiary=second,
        organisation=betania,
        kind="police_report",
        title="report.pdf",
        content_type="application/pdf",
        size=10,
        stored_as="merging-test-report",
    )
    return first, second, carla


BEFORE = {
    YEAR_2022: {"assisted": 2, "new": 2, "outcome": 0, "activity_people": 0, "referrals": 0},
    YEAR_2023: {"assisted": 2, "new": 1, "outcome": 2, "activity_people": 2, "referrals": 3},
    WHOLE: {"assisted": 3, "new": 3, "outcome": 2, "activity_people": 2, "referrals": 3},
}
AFTER = {
    YEAR_2022: {"assisted": 2, "new": 2, "outcome": 0, "activity_people": 0, "referrals": 0},
    YEAR_2023: {"assisted": 1, "new": 0, "outcome": 1, "activity_people": 1, "referrals": 3},
    WHOLE: {"assisted": 2, "new": 2, "outcome": 1, "activity_people": 1, "referrals": 3},
}


def people_figures(indicators, period):
    computed = figures(indicators, period)
    return {name: computed[name] for name in BEFORE[period]}


@pytest.mark.parametrize("survivor_is_the_first", [True, False])
def test_she_counts_once_after_the_merge_and_every_total_stays(
    indicators, dana_twice, admin, survivor_is_the_first
):
    first, second, _carla = dana_twice
    totals = assistance_totals()
    for period, expected in BEFORE.items():
        assert people_figures(indicators, period) == expected
    assert figures(indicators, YEAR_2023)["participants"] == 22
    survivor, merged = (first, second) if survivor_is_the_first else (second, first)

    with scopes_disabled():
        merging.merge_records(survivor, merged, by=admin)

    for period, expected in AFTER.items():
        assert people_figures(indicators, period) == expected
    assert figures(indicators, YEAR_2023)["participants"] == 22
    assert assistance_totals() == totals
    assert ActivityParticipation.objects.count() == 2
    survivor.refresh_from_db()
    # She came in on the earlier intake, as she was then.
    assert survivor.intake_date == date(2022, 3, 1)
    assert survivor.category_at_intake == "exiting_prostitution"


def test_every_row_moves_with_its_own_attributes(dana_twice, admin):
    first, second, _carla = dana_twice
    stamped = set(Assistance.objects.values_list("pk", "category", "location", "organisation"))

    with scopes_disabled():
        merging.merge_records(first, second, by=admin)

    assert set(Assistance.objects.values_list("pk", "category", "location", "organisation")) == (
        stamped
    )
    assert Assistance.objects.filter(beneficiary=first).count() == 3
    assert Outcome.objects.filter(beneficiary=first).count() == 2
    assert Referral.objects.filter(beneficiary=first).count() == 3
    for model in (Goal, Task, CaseEvent, Document):
        assert model._base_manager.filter(beneficiary=first).count() == 1
    # The consent given with each referral, hers now.
    assert ConsentEvent.objects.filter(beneficiary=first).count() == 3
    assert not Beneficiary.objects.filter(pk=second.pk).exists()


def test_no_row_anywhere_points_at_the_merged_record(dana_twice, admin):
    first, second, _carla = dana_twice

    with scopes_disabled():
        merging.merge_records(first, second, by=admin)

    for rows in merging.rows_pointing_at_a_person():
        assert not rows.of(second).exists(), rows.model._meta.label


def test_every_model_that_points_at_a_person_is_handled_by_the_merge():
    """A new model with a key to Beneficiary fails here until cases.merging.RELATED_ROWS says
    what a merge does with it (moved, kept once, or derived and computed again)."""
    pointing = {rows.model._meta.label for rows in merging.rows_pointing_at_a_person()}

    assert pointing - set(merging.RELATED_ROWS) == set()


def test_the_survivor_keeps_its_values_fills_the_empty_ones_and_loses_nothing(dana_twice, admin):
    first, second, _carla = dana_twice

    with scopes_disabled():
        merging.merge_records(first, second, by=admin)

    first.refresh_from_db()
    assert first.alias == "Dana"
    assert first.legal_name == "Dana Popescu"
    assert first.phone == "+40 700 111 222"
    assert first.date_of_birth == date(1999, 3, 12)
    assert first.safety_flag is True
    assert first.safety_reason == "Her former pimp looks for her"
    assert first.version == 2
    journal = CaseNote.objects.filter(beneficiary=first).order_by("-id").first()
    assert "Merged with BET-2023-0001" in journal.text
    assert "Alias: Dana P." in journal.text


def test_a_date_of_birth_that_disagrees_with_the_birth_year_goes_to_the_journal(betania, admin):
    kept = BeneficiaryFactory(organisation=betania, birth_year=1990, date_of_birth=None)
    other = BeneficiaryFactory(
        organisation=betania, birth_year=None, date_of_birth=date(1999, 3, 12)
    )

    with scopes_disabled():
        merging.merge_records(kept, other, by=admin)

    kept.refresh_from_db()
    assert kept.date_of_birth is None
    assert "1999-03-12" in CaseNote.objects.get(beneficiary=kept).text


def test_both_codes_are_in_the_audit_log(dana_twice, admin):
    first, second, _carla = dana_twice

    with scopes_disabled():
        merging.merge_records(first, second, by=admin)

    update = AuditEvent.objects.get(action=AuditAction.UPDATE, object_reference=first.code)
    assert "merged BET-2023-0001 into BET-2022-0001" in update.detail
    assert "Assistance entries: 1" in update.detail
    deleted = AuditEvent.objects.get(action=AuditAction.DELETE, object_reference=second.code)
    assert deleted.detail == "merged into BET-2022-0001"
    assert deleted.organisation == first.organisation


def test_two_open_referrals_to_one_partner_are_refused_in_words(dana_twice, admin, ijm):
    first, second, _carla = dana_twice
    Referral.objects.filter(beneficiary=second, to_organisation=ijm).update(
        status=ReferralStatus.ACCEPTED
    )

    with scopes_disabled(), pytest.raises(ValidationError) as refused:
        merging.merge_records(first, second, by=admin)

    assert "open referral to IJM (test)" in str(refused.value)
    assert Beneficiary.objects.filter(pk=second.pk).exists()
    assert Assistance.objects.filter(beneficiary=second).count() == 1


def test_a_record_changed_since_the_page_was_opened_is_not_merged(dana_twice, admin):
    first, second, _carla = dana_twice
    Beneficiary.objects.filter(pk=second.pk).update(version=2)

    with scopes_disabled(), pytest.raises(ValidationError) as refused:
        merging.merge_records(first, second, by=admin, survivor_version=1, merged_version=1)

    assert "BET-2023-0001 was changed since you opened this page" in str(refused.value)
    assert Beneficiary.objects.filter(pk=second.pk).exists()


def test_only_the_organisation_admin_merges(dana_twice, alice, betania):
    first, second, _carla = dana_twice
    other_admin = make_member(Role.ORGANISATION_ADMIN)

    for user in (alice, other_admin):
        with scopes_disabled(), pytest.raises(ValidationError):
            merging.merge_records(first, second, by=user)
    assert Beneficiary.objects.filter(pk=second.pk).exists()


# -- the pages -------------------------------------------------------------------------------------


def confirm_url(survivor, merged):
    return reverse("cases:merge_confirm", kwargs={"code": survivor.code, "other": merged.code})


def test_the_admin_merges_from_the_persons_page(client_of, dana_twice, admin):
    first, second, _carla = dana_twice
    client = client_of(admin)
    detail = client.get(reverse("cases:beneficiary_detail", kwargs={"code": first.code}))
    choose_url = reverse("cases:merge_choose", kwargs={"code": first.code})
    assert choose_url in detail.content.decode()

    chosen = client.get(choose_url, {"other": " bet-2023-0001 "})
    assert chosen.status_code == 302
    assert chosen["Location"] == confirm_url(first, second)

    page = client.get(confirm_url(first, second))
    assert page.status_code == 200
    content = page.content.decode()
    moves = {str(label): count for label, count in page.context["preview"].moves}
    assert moves["Assistance entries"] == 1
    assert moves["Outcomes"] == 1
    assert moves["Referrals"] == 2
    assert moves["Activities taken part in"] == 2
    assert moves["Documents"] == 1
    assert "filled from the other record" in content
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_reference=second.code, detail__startswith="merge"
    ).exists()

    form = page.context["form"]
    data = {name: field.value() for name, field in ((f.name, f) for f in form)}
    merged = client.post(confirm_url(first, second), data)
    assert merged.status_code == 302
    assert merged["Location"] == reverse("cases:beneficiary_detail", kwargs={"code": first.code})
    assert not Beneficiary.objects.filter(pk=second.pk).exists()

    # The same confirmation sent again merges nothing and leads to the survivor.
    again = client.post(confirm_url(first, second), data)
    assert again.status_code == 302
    assert again["Location"] == reverse("cases:beneficiary_detail", kwargs={"code": first.code})
    assert MergedRecord.objects.count() == 1
    # The merged code leads her organisation to the survivor.
    old_code = client.get(reverse("cases:beneficiary_detail", kwargs={"code": second.code}))
    assert old_code.status_code == 302
    assert old_code["Location"].endswith(f"/people/{first.code}/")


def test_the_choice_says_what_is_wrong(client_of, dana_twice, admin):
    first, _second, _carla = dana_twice
    url = reverse("cases:merge_choose", kwargs={"code": first.code})

    for typed, message in [
        (first.code, "This is the record itself"),
        ("BET-1999-0042", "No record of your organisation has this code."),
    ]:
        response = client_of(admin).get(url, {"other": typed})
        assert response.status_code == 400
        assert message in response.content.decode()


def test_a_conflict_is_shown_and_the_merge_refused(client_of, dana_twice, admin, ijm):
    first, second, _carla = dana_twice
    Referral.objects.filter(beneficiary=second, to_organisation=ijm).update(
        status=ReferralStatus.SENT
    )
    client = client_of(admin)
    page = client.get(confirm_url(first, second))
    assert "open referral to IJM (test)" in page.content.decode()

    form = page.context["form"]
    response = client.post(confirm_url(first, second), {f.name: f.value() for f in form})

    assert response.status_code == 400
    assert "open referral to IJM (test)" in response.content.decode()
    assert Beneficiary.objects.filter(pk=second.pk).exists()


def test_a_caseworker_may_not_merge_and_an_outsider_sees_nothing(
    client_of, dana_twice, alice, charlie
):
    first, second, _carla = dana_twice
    for url in (
        reverse("cases:merge_choose", kwargs={"code": first.code}),
        confirm_url(first, second),
    ):
        assert client_of(alice).get(url).status_code == 403
        assert client_of(alice).post(url).status_code == 403
    outsider_admin = make_member(Role.ORGANISATION_ADMIN, charlie.organisation)
    for url in (
        reverse("cases:merge_choose", kwargs={"code": first.code}),
        confirm_url(first, second),
    ):
        assert client_of(outsider_admin).get(url).status_code == 404
        assert client_of(outsider_admin).post(url).status_code == 404
    assert Beneficiary.objects.filter(pk=second.pk).exists()


def test_a_merged_code_leads_nowhere_outside_its_organisation(
    client_of, dana_twice, admin, charlie
):
    first, second, _carla = dana_twice
    with scopes_disabled():
        merging.merge_records(first, second, by=admin)

    page = client_of(charlie).get(reverse("cases:beneficiary_detail", kwargs={"code": second.code}))

    assert page.status_code == 404


# -- two merges at once ----------------------------------------------------------------------------


@race
def test_two_admins_merging_the_same_pair_both_ways_make_one_record(betania, reference_data):
    admins = [make_member(Role.ORGANISATION_ADMIN, betania) for _ in range(2)]
    for _round in range(3):
        first, second = (BeneficiaryFactory(organisation=betania) for _ in range(2))
        for person in (first, second):
            AssistanceFactory(beneficiary=person, sub_project=reference_data["sub_project"])

        results = at_once(
            unscoped(merging.merge_records, first, second, by=admins[0]),
            unscoped(merging.merge_records, second, first, by=admins[1]),
        )

        merged = [result for result in results if isinstance(result, Beneficiary)]
        refused = [result for result in results if isinstance(result, ValidationError)]
        assert (len(merged), len(refused)) == (1, 1), results
        assert "merged into another record meanwhile" in str(refused[0])
        with scopes_disabled():
            left = Beneficiary.objects.filter(pk__in=[first.pk, second.pk])
            assert left.count() == 1
            assert Assistance.objects.filter(beneficiary=left.get()).count() == 2


def test_an_erased_record_is_not_merged(betania, admin, client_of):
    kept = BeneficiaryFactory(organisation=betania)
    erased = BeneficiaryFactory(organisation=betania, erased_at="2024-01-01T00:00Z")

    with scopes_disabled(), pytest.raises(ValidationError):
        merging.merge_records(kept, erased, by=admin)
    response = client_of(admin).get(
        reverse("cases:merge_choose", kwargs={"code": kept.code}), {"other": erased.code}
    )

    assert response.status_code == 400
    assert "an erased record is not merged" in response.content.decode()
    assert Beneficiary.objects.filter(pk=erased.pk).exists()


def test_the_blind_index_finds_her_by_either_records_identity_after_the_merge(dana_twice, admin):
    first, second, _carla = dana_twice

    with scopes_disabled():
        merging.merge_records(first, second, by=admin)
        found_by_phone = list(people_with_identity(admin, "phone", "0040 700 111 222"))
        found_by_name = list(people_with_identity(admin, "legal_name", "DANA POPESCU"))
        kinds = set(IdentityDigest.objects.filter(beneficiary=first).values_list("kind", flat=True))

    assert found_by_phone == found_by_name == [first]
    assert kinds == {"legal_name", "name_and_birth", "phone"}


def test_a_transfer_waiting_for_an_answer_is_refused_in_words(dana_twice, admin, ijm):
    first, second, _carla = dana_twice
    Transfer.objects.create(
        beneficiary=second,
        from_organisation=second.organisation,
        to_organisation=ijm,
        status=TransferStatus.REQUESTED,
    )

    with scopes_disabled(), pytest.raises(ValidationError) as refused:
        merging.merge_records(first, second, by=admin)

    assert "A transfer of BET-2023-0001 to another organisation is waiting" in str(refused.value)
    assert Beneficiary.objects.filter(pk=second.pk).exists()
