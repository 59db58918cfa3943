"""Every URL pattern of the project, sorted into the views that take input (a form, a search,
a filter or an action button) and the pages that take none, with the reason.

The attack tests (mass assignment, hostile input) post to each view in FORM_VIEWS as a user who
may, in the world of tests/test_tenancy.py, acting as a member of "their" organisation (or of the
third one, which received their person by referral). A URL pattern in neither list fails
test_every_url_pattern_is_sorted: a new form cannot skip the attacks.

A view's honest input is what its page shows (read as a browser would send it,
tests/attacks/pages.py) with ``data`` on top: the values a user types.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from accounts.enums import Role
from accounts.two_factor import pending_authenticator
from cases.models import Beneficiary, ServiceType
from documents.encrypted_files import store_encrypted
from exports.enums import ExportKind, ExportStatus
from exports.models import ExportJob
from nextsteps.office_files import workbook_bytes
from pillars.models import ReportLayout
from pillars.plan_views import SCREENS as PLAN_SCREENS
from pillars.services import lock_period
from tests.accounts.two_factor_support import authenticator_code
from tests.cases.factories import AssistanceFactory, ConsentEventFactory
from tests.factories import TEST_PASSWORD, BeneficiaryFactory, make_member

EXPORT_PASSWORD = "a long export passphrase"
NEW_PASSWORD = "another long passphrase 2024"


@dataclass(frozen=True)
class FormView:
    role: Role | None  # None: nobody logged in
    # The world's organisation the user belongs to ("theirs" or "third"); partnership roles none.
    organisation: str | None = "theirs"
    kwargs: Callable = field(default=lambda world: {})
    # (world, user) -> what the user types over what the page shows.
    data: Callable = field(default=lambda world, user: {})
    method: str = "post"
    # The status of the honest request (a saved form redirects).
    expected_status: int = 302

    def user(self, world):
        if self.role is None:
            return None
        organisation = getattr(world, self.organisation) if self.organisation else None
        return make_member(self.role, organisation)


def _today():
    return timezone.localdate().isoformat()


def _their_person(world):
    return {"code": world.beneficiary.code}


def _their_referral(world):
    return {"public_id": world.referral.public_id}


def _public_id(attribute):
    return lambda world: {"public_id": getattr(world, attribute).public_id}


def _shelter():
    return ServiceType.objects.get(code="shelter").pk


def _person_form(world, user):
    return {
        "alias": "Dana",
        "category": "exiting_prostitution",
        "sex": "female",
        "location": world.plan.oradea.pk,
        "intake_date": "2023-04-05",
        "intake_source": "outreach",
        "dependants": "0",
        "processing_consent": "on",
    }


def _referral_to_ours(world, user):
    # She consents to sharing with "our" organisation, the one partner she is not referred to.
    ConsentEventFactory(beneficiary=world.beneficiary, partner=world.ours, date=date(2023, 1, 1))
    return {"to_organisation": world.ours.pk, "services": [_shelter()]}


class _ResentFile(SimpleUploadedFile):
    """An upload the test client can send more than once: it reads a file from where it is."""

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def _a_pdf(world, user):
    return {"kind": "police_report", "file": _ResentFile("report.pdf", b"%PDF-1.4\n%%EOF\n")}


def _closed_long_ago(world, user):
    person = BeneficiaryFactory(
        organisation=world.theirs, status="closed", intake_date=date(2010, 5, 1)
    )
    Beneficiary.objects.filter(pk=person.pk).update(updated_at=timezone.now() - timedelta(3650))
    return {"expected_count": "1", "confirm": "on"}


def _closed(world):
    """Her case, closed a year after intake, for the reopening form."""
    person = world.beneficiary
    closed_on = person.intake_date + timedelta(days=365)
    Beneficiary.objects.filter(pk=person.pk).update(
        status="closed", closed_on=closed_on, closure_reason="lost_contact"
    )
    return {"reason": "She came back", "on": _today()}


def _activity(world, user):
    return {
        "pillar": world.plan.pillars[1].pk,
        "kind": "vocational_training_course",
        "title": "Tailoring course",
        "starts_on": "2022-10-04",
        "location": world.plan.oradea.pk,
        "sub_project": world.plan.main.pk,
        "participant_codes": world.beneficiary.code,
        "audiences": ["beneficiaries"],
    }


def _late_entry_into_2022(world, user):
    """2022 published, then shelter given in it that nobody had logged: a figure to restate."""
    lock_period(world.period, by=user)
    AssistanceFactory(
        beneficiary=world.beneficiary,
        service_type=ServiceType.objects.get(code="shelter"),
        date=date(2022, 12, 20),
        sub_project=world.plan.main,
    )
    return {"reason": "Shelter nights of December logged late"}


def _their_login(world):
    # The world is built once per module, before the tests' fast password hasher is set up.
    world.their_member.set_password(TEST_PASSWORD)
    world.their_member.save(update_fields=["password"])
    return {"username": world.their_member.email, "password": TEST_PASSWORD}


def _password(world, user):
    return {"password": EXPORT_PASSWORD, "password_again": EXPORT_PASSWORD}


def _her_finished_export(world, user):
    """A people list export the user asked for, ready: its download asks for a password."""
    world.export_job = ExportJob.objects.create(
        organisation=user.organisation,
        requested_by=user,
        kind=ExportKind.PEOPLE,
        status=ExportStatus.READY,
        total=1,
        done=1,
        stored_as=store_encrypted([workbook_bytes(Workbook())]),
    )
    return _password(world, user)


CASEWORKER = Role.CASEWORKER
COORDINATOR = Role.ORGANISATION_COORDINATOR
PROGRAMME_COORDINATOR = Role.PROGRAMME_COORDINATOR
DATA_PROTECTION_OFFICER = Role.DATA_PROTECTION_OFFICER
REPORT_QUERY = {"period": "2022"}


def _report(name):
    """A report page or download: its filters are its input."""
    return FormView(
        PROGRAMME_COORDINATOR,
        None,
        kwargs=lambda world: {"file_format": "xlsx"} if name.endswith("_export") else {},
        data=lambda world, user: dict(REPORT_QUERY),
        method="get",
        expected_status=200,
    )


def _records_behind_a_figure(world, user):
    """The filters of the records behind one of the organisation's figures, and the figure."""
    from tests.pillars.factories import IndicatorFactory

    indicator = IndicatorFactory(pillar=world.plan.pillars[1], code="participants")
    return {**REPORT_QUERY, "indicator": indicator.code}


def _programme(world):
    return world.plan.programme.pk


def _another_layout(world):
    return ReportLayout.objects.create(programme=world.plan.programme, name="Funder's report").pk


# What the programme coordinator types into each new plan record's form.
_NEW_PLAN_RECORDS = {
    "programmes": lambda world, user: {
        "name": "Follow-on",
        "start_date": "2024-01-01",
        "end_date": "2026-12-31",
        "currency": "EUR",
    },
    "pillars": lambda world, user: {"programme": _programme(world), "number": 4, "name": "Four"},
    "indicators": lambda world, user: {
        "programme": _programme(world),
        "pillar": world.plan.pillars[1].pk,
        "code": "p1-new",
        "label": "New people",
        "unit": "people",
        "direction": "increase",
        "computation": "new_people",
        "order": 1,
        "parameter_categories": ["refugee"],
    },
    "layouts": lambda world, user: {
        "programme": _programme(world),
        "name": "Funder report",
        "language": "en",
    },
    "sections": lambda world, user: {
        "layout": _another_layout(world),
        "pillar": world.plan.pillars[1].pk,
        "heading": "Recovery",
    },
    "rows": lambda world, user: {
        "section": world.plan.sections[1].pk,
        "position": 99,
        "label": "A heading row",
    },
    "budget-groups": lambda world, user: {"programme": _programme(world), "order": 7},
    "budget-lines": lambda world, user: {
        "group": world.plan.lines[0].group_id,
        "order": 9,
        "label": "Travel",
        "budget": "1000",
    },
    "service-types": lambda world, user: {"code": "new-service", "name": "New", "order": 1},
    "locations": lambda world, user: {"code": "cluj", "name": "Cluj", "country": "RO"},
    "sub-projects": lambda world, user: {"code": "youth", "name": "Youth project"},
}

FORM_VIEWS = {
    # -- accounts ---------------------------------------------------------------------------
    "accounts:login": FormView(None, data=lambda world, user: _their_login(world)),
    "accounts:logout": FormView(CASEWORKER),
    "accounts:password_change": FormView(
        CASEWORKER,
        data=lambda world, user: {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    ),
    # Without an authenticator the code prompt sends the user to set one up.
    "accounts:two_factor_verify": FormView(CASEWORKER, data=lambda world, user: {"code": "1"}),
    "accounts:two_factor_setup": FormView(
        CASEWORKER,
        data=lambda world, user: {"code": authenticator_code(pending_authenticator(user))},
    ),
    "accounts:two_factor_backup_codes": FormView(CASEWORKER),
    "accounts:member_end_sessions": FormView(
        Role.ORGANISATION_ADMIN, kwargs=_public_id("their_member")
    ),
    "accounts:member_add": FormView(
        Role.ORGANISATION_ADMIN,
        data=lambda world, user: {"email": "new.member@theirs.test", "role": Role.CASEWORKER},
    ),
    "accounts:member_deactivate": FormView(
        Role.ORGANISATION_ADMIN, kwargs=_public_id("their_member")
    ),
    "accounts:password_reset": FormView(
        None, data=lambda world, user: {"email": "nobody@theirs.test"}
    ),
    "accounts:member_reset_two_factor": FormView(
        Role.ORGANISATION_ADMIN, kwargs=_public_id("their_member")
    ),
    "accounts:audit_log": FormView(
        DATA_PROTECTION_OFFICER, None, method="get", expected_status=200
    ),
    "accounts:audit_log_export": FormView(DATA_PROTECTION_OFFICER, None, expected_status=200),
    "accounts:unusual_access": FormView(
        DATA_PROTECTION_OFFICER, None, method="get", expected_status=200
    ),
    "set_language": FormView(
        CASEWORKER, data=lambda world, user: {"language": "ro", "next": "/cases/"}
    ),
    # -- imports ----------------------------------------------------------------------------
    # A form posted without its file is shown again (tests/imports/ post real workbooks).
    "imports:spreadsheet": FormView(Role.ORGANISATION_ADMIN, expected_status=400),
    # -- cases ------------------------------------------------------------------------------
    "cases:beneficiary_list": FormView(
        CASEWORKER,
        data=lambda world, user: {"q": world.beneficiary.code},
        method="get",
        expected_status=200,
    ),
    "cases:beneficiary_create": FormView(CASEWORKER, data=_person_form),
    "cases:identity_search": FormView(
        CASEWORKER,
        data=lambda world, user: {"kind": "phone", "value": "+40 700 000 111"},
        expected_status=200,
    ),
    "cases:beneficiary_update": FormView(
        CASEWORKER, kwargs=_their_person, data=lambda world, user: {"alias": "Renamed"}
    ),
    "cases:consent_create": FormView(
        CASEWORKER,
        kwargs=_their_person,
        data=lambda world, user: {"purpose": "processing", "action": "given"},
    ),
    "cases:assistance_create": FormView(
        CASEWORKER, kwargs=_their_person, data=lambda world, user: {"service_type": _shelter()}
    ),
    "cases:assistance_bulk": FormView(
        CASEWORKER,
        data=lambda world, user: {
            "people": world.beneficiary.code,
            "service_type": _shelter(),
            "date": _today(),
            "sub_project": world.plan.main.pk,
        },
    ),
    "cases:outcome_create": FormView(
        CASEWORKER, kwargs=_their_person, data=lambda world, user: {"kind": "employed"}
    ),
    "cases:referral_create": FormView(CASEWORKER, kwargs=_their_person, data=_referral_to_ours),
    "cases:goal_create": FormView(
        CASEWORKER, kwargs=_their_person, data=lambda world, user: {"title": "A job"}
    ),
    "cases:task_create": FormView(
        CASEWORKER,
        kwargs=_their_person,
        data=lambda world, user: {"title": "Call the lawyer", "due_date": _today()},
    ),
    "cases:note_create": FormView(
        CASEWORKER, kwargs=_their_person, data=lambda world, user: {"text": "Met at the shelter"}
    ),
    "cases:goal_status": FormView(
        CASEWORKER,
        kwargs=_public_id("goal"),
        data=lambda world, user: {"status": "in_progress", "on": _today()},
    ),
    "cases:task_done": FormView(CASEWORKER, kwargs=_public_id("task")),
    "cases:note_correct": FormView(
        CASEWORKER,
        kwargs=_public_id("note"),
        data=lambda world, user: {"text": "Met at the station", "reason": "Wrong place"},
    ),
    "cases:case_close": FormView(
        CASEWORKER, kwargs=_their_person, data=lambda world, user: {"reason": "lost_contact"}
    ),
    "cases:case_reopen": FormView(
        CASEWORKER, kwargs=_their_person, data=lambda world, user: _closed(world)
    ),
    "cases:assistance_correct": FormView(
        CASEWORKER,
        kwargs=_public_id("assistance"),
        data=lambda world, user: {"quantity": "3", "unit": "nights", "reason": "Typo"},
    ),
    "cases:assistance_void": FormView(
        CASEWORKER, kwargs=_public_id("assistance"), data=lambda world, user: {"reason": "Twice"}
    ),
    "cases:outcome_correct": FormView(
        CASEWORKER,
        kwargs=_public_id("outcome"),
        data=lambda world, user: {"kind": "reintegrated", "reason": "Wrong kind"},
    ),
    "cases:outcome_void": FormView(
        CASEWORKER, kwargs=_public_id("outcome"), data=lambda world, user: {"reason": "Twice"}
    ),
    "cases:referral_assistance": FormView(
        CASEWORKER,
        "third",
        kwargs=_their_referral,
        data=lambda world, user: {"service_type": _shelter()},
    ),
    "cases:referral_outcome": FormView(
        CASEWORKER,
        "third",
        kwargs=_their_referral,
        data=lambda world, user: {"kind": "criminal_case_opened", "date": _today()},
    ),
    "cases:referral_accept": FormView(CASEWORKER, "third", kwargs=_their_referral),
    "cases:referral_decline": FormView(
        CASEWORKER,
        "third",
        kwargs=_their_referral,
        data=lambda world, user: {"reason": "No place"},
    ),
    "cases:referral_complete": FormView(CASEWORKER, "third", kwargs=_their_referral),
    "cases:referral_withdraw": FormView(CASEWORKER, kwargs=_their_referral),
    "cases:transfer_create": FormView(
        CASEWORKER,
        kwargs=lambda world: {"code": world.transferable.code},
        data=lambda world, user: {
            "to_organisation": world.ours.pk,
            "reason": "She moves to our town",
            "consent_given": "on",
            "consent_given_by": "person",
            "consent_method": "orally",
            "consent_date": _today(),
        },
    ),
    "cases:transfer_accept": FormView(CASEWORKER, "third", kwargs=_public_id("transfer")),
    "cases:transfer_decline": FormView(
        CASEWORKER,
        "third",
        kwargs=_public_id("transfer"),
        data=lambda world, user: {"reason": "No place"},
    ),
    "cases:transfer_withdraw": FormView(CASEWORKER, kwargs=_public_id("transfer")),
    "cases:erasure_notice_acknowledge": FormView(
        CASEWORKER, "third", kwargs=_public_id("erasure_notice")
    ),
    "cases:beneficiary_export": FormView(CASEWORKER, data=_password, expected_status=200),
    "cases:merge_choose": FormView(
        Role.ORGANISATION_ADMIN,
        kwargs=_their_person,
        data=lambda world, user: {"other": world.duplicate.code},
        method="get",
    ),
    "cases:merge_confirm": FormView(
        Role.ORGANISATION_ADMIN,
        kwargs=lambda world: {"code": world.beneficiary.code, "other": world.duplicate.code},
    ),
    "cases:data_requests": FormView(
        DATA_PROTECTION_OFFICER,
        None,
        data=lambda world, user: {"code": world.beneficiary.code},
        method="get",
    ),
    "cases:access_report_download": FormView(
        DATA_PROTECTION_OFFICER, None, kwargs=_their_person, data=_password, expected_status=200
    ),
    "cases:erasure": FormView(
        DATA_PROTECTION_OFFICER,
        None,
        kwargs=_their_person,
        data=lambda world, user: {"ground": "request", "confirm_code": world.beneficiary.code},
    ),
    "cases:retention": FormView(DATA_PROTECTION_OFFICER, None, data=_closed_long_ago),
    # -- pillars ----------------------------------------------------------------------------
    "pillars:activity_list": FormView(
        COORDINATOR, data=lambda world, user: {"title": "work"}, method="get", expected_status=200
    ),
    "pillars:activity_create": FormView(COORDINATOR, data=_activity),
    "pillars:activity_edit": FormView(
        COORDINATOR, kwargs=_public_id("activity"), data=lambda world, user: {"title": "Renamed"}
    ),
    "pillars:volunteer_list": FormView(COORDINATOR, method="get", expected_status=200),
    "pillars:volunteer_create": FormView(
        COORDINATOR,
        data=lambda world, user: {
            "name": "Carmen D.",
            "location": world.plan.oradea.pk,
            "active_from": "2022-02-01",
        },
    ),
    "pillars:volunteer_edit": FormView(
        COORDINATOR, kwargs=_public_id("volunteer"), data=lambda world, user: {"name": "Ana M."}
    ),
    "pillars:safety_net_create": FormView(
        COORDINATOR,
        data=lambda world, user: {
            "name": "Mothers' group",
            "location": world.plan.oradea.pk,
            "sub_project": world.plan.main.pk,
            "started_on": "2022-02-01",
        },
    ),
    "pillars:safety_net_edit": FormView(
        COORDINATOR, kwargs=_public_id("safety_net"), data=lambda world, user: {"name": "Group"}
    ),
    "pillars:indicator_plan": FormView(PROGRAMME_COORDINATOR, None),
    "pillars:period_list": FormView(
        PROGRAMME_COORDINATOR,
        None,
        data=lambda world, user: {
            "label": "2022-q1",
            "title": "First quarter of 2022",
            "start_date": "2022-01-01",
            "end_date": "2022-03-31",
            "layout": world.plan.layout.pk,
        },
    ),
    "pillars:period_lock": FormView(PROGRAMME_COORDINATOR, None, kwargs=_public_id("period")),
    "pillars:period_unlock": FormView(PROGRAMME_COORDINATOR, None, kwargs=_public_id("period")),
    "pillars:period_restate": FormView(
        PROGRAMME_COORDINATOR, None, kwargs=_public_id("period"), data=_late_entry_into_2022
    ),
    "pillars:budget": FormView(COORDINATOR, method="get", expected_status=200),
    "pillars:expense_list": FormView(COORDINATOR, method="get", expected_status=200),
    "pillars:expense_create": FormView(
        COORDINATOR,
        data=lambda world, user: {
            "line": world.plan.lines[0].pk,
            "date": "2022-04-15",
            "amount": "100",
            "currency": "EUR",
            "description": "Rent",
        },
    ),
    "pillars:expense_edit": FormView(
        COORDINATOR, kwargs=_public_id("expense"), data=lambda world, user: {"description": "Rent"}
    ),
    # -- the plan in the browser (pillars.plan_views) -------------------------------------------
    **{
        screen.url_name("_new"): FormView(
            PROGRAMME_COORDINATOR, None, data=_NEW_PLAN_RECORDS[screen.slug]
        )
        for screen in PLAN_SCREENS
        if screen.may_create
    },
    **{
        screen.url_name("_edit"): FormView(
            PROGRAMME_COORDINATOR,
            None,
            kwargs=lambda world, slug=screen.slug: {"pk": world.plan_records[slug].pk},
        )
        for screen in PLAN_SCREENS
    },
    # -- documents ---------------------------------------------------------------------------------
    "documents:add_to_person": FormView(CASEWORKER, kwargs=_their_person, data=_a_pdf),
    # -- exports ------------------------------------------------------------------------------
    "exports:download": FormView(
        CASEWORKER,
        kwargs=lambda world: {"public_id": world.export_job.public_id},
        data=_her_finished_export,
        expected_status=200,
    ),
    "documents:add_to_referral": FormView(CASEWORKER, "third", kwargs=_their_referral, data=_a_pdf),
    "documents:share_on_referral": FormView(
        CASEWORKER, kwargs=_their_referral, data=lambda world, user: {"documents": []}
    ),
    # -- notifications -------------------------------------------------------------------------
    "notifications:mark_all_read": FormView(CASEWORKER),
    "notifications:preferences": FormView(CASEWORKER, data=lambda world, user: {"by_email": "on"}),
    # -- reports: their filters ---------------------------------------------------------------
    "reports:indicator_records_export": FormView(
        COORDINATOR, data=_records_behind_a_figure, method="get", expected_status=200
    ),
    **{
        f"reports:{name}": _report(name)
        for name in (
            "indicator_table",
            "indicator_table_print",
            "indicator_table_export",
            "financial",
            "financial_print",
            "financial_export",
            "dashboard",
            "referrals_dashboard",
            "caseload_dashboard",
            "budget_dashboard",
        )
    },
}

# Pages without input of their own (their buttons post to views above), with why.
PAGES_WITHOUT_INPUT = {
    "home": "sends each role to its start page",
    "health": "a status for monitoring, no data",
    "imports:template": "the empty import template",
    "cases:case_summary": "a printable page of one person's case",
    "pillars:period_history": "the figures published for a period and each restatement",
    "accounts:password_change_done": "a message",
    "accounts:password_reset_done": "a message",
    "accounts:password_reset_complete": "a message",
    # Opening the e-mailed link moves its token into the session and redirects to a form of two
    # password fields only (Django's SetPasswordForm): tests/accounts/test_members.py.
    "accounts:password_reset_confirm": "the e-mailed link; its form has the new password only",
    "accounts:two_factor": "shows the state; its links lead to two_factor_setup and _backup_codes",
    "accounts:administration_home": "a list of members",
    "accounts:member_detail": "its buttons post to member_end_sessions and reset_two_factor",
    "accounts:data_protection_home": "links",
    "accounts:records_of_processing": "generated from the models",
    "cases:home": "its search box is the people list's filter",
    "documents:download": "a file, streamed",
    "exports:job": "an export job's progress; its password form posts to exports:download",
    "exports:progress": "an export job's progress, for the job page's script",
    "notifications:list": "its buttons post to notifications:open and mark_all_read",
    "notifications:open": "a button without fields, for the notification's own recipient only "
    "(tests/notifications/test_notifications.py)",
    "cases:beneficiary_detail": "its buttons lead to the forms above",
    "cases:referral_inbox": "its buttons post to erasure_notice_acknowledge",
    "cases:referral_detail": "its forms post to the transitions and referral_assistance",
    "cases:transfer_list": "a list",
    "cases:transfer_detail": "its forms post to the transfer's accept, decline and withdraw",
    "cases:data_request": "links to the access report and the erasure",
    "cases:access_report": "its download is access_report_download",
    "pillars:activity_detail": "a record",
    "pillars:safety_net_list": "a list",
    "reports:home": "links; its custom-range form sends to indicator_table",
    "reports:indicator_records": "a list of one figure's records, reached from the table",
    "reports:indicator_breakdown": "one figure's shares, reached from the table",
    "pillars:plan_home": "links to the plan's lists",
    **{screen.url_name(): "a list of the plan's records" for screen in PLAN_SCREENS},
}
