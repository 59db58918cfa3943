from django.urls import path

from cases.views import (
    case_plan,
    casework,
    data_protection,
    merging,
    partner_work,
    referrals,
    transfers,
)

app_name = "cases"

urlpatterns = [
    path("", casework.home, name="home"),
    path("people/", casework.beneficiary_list, name="beneficiary_list"),
    path("people/new/", casework.beneficiary_create, name="beneficiary_create"),
    path("people/assistance/", casework.assistance_bulk, name="assistance_bulk"),
    path("people/export/", casework.beneficiary_export, name="beneficiary_export"),
    path("people/identity-search/", casework.identity_search, name="identity_search"),
    path("people/<str:code>/", casework.beneficiary_detail, name="beneficiary_detail"),
    path("people/<str:code>/edit/", casework.beneficiary_update, name="beneficiary_update"),
    path("people/<str:code>/consent/", casework.consent_create, name="consent_create"),
    path("people/<str:code>/assistance/", casework.assistance_create, name="assistance_create"),
    path("people/<str:code>/outcomes/", casework.outcome_create, name="outcome_create"),
    path("people/<str:code>/goals/", case_plan.goal_create, name="goal_create"),
    path("people/<str:code>/tasks/", case_plan.task_create, name="task_create"),
    path("people/<str:code>/notes/", case_plan.note_create, name="note_create"),
    path("goals/<uuid:public_id>/", case_plan.goal_status, name="goal_status"),
    path("tasks/<uuid:public_id>/done/", case_plan.task_done, name="task_done"),
    path("notes/<uuid:public_id>/correct/", case_plan.note_correct, name="note_correct"),
    path("people/<str:code>/merge/", merging.merge_choose, name="merge_choose"),
    path("people/<str:code>/merge/<str:other>/", merging.merge_confirm, name="merge_confirm"),
    path("people/<str:code>/summary/", casework.case_summary, name="case_summary"),
    path("people/<str:code>/close/", casework.case_close, name="case_close"),
    path("people/<str:code>/reopen/", casework.case_reopen, name="case_reopen"),
    path(
        "assistance/<uuid:public_id>/correct/",
        casework.assistance_correct,
        name="assistance_correct",
    ),
    path("assistance/<uuid:public_id>/void/", casework.assistance_void, name="assistance_void"),
    path("outcomes/<uuid:public_id>/correct/", casework.outcome_correct, name="outcome_correct"),
    path("outcomes/<uuid:public_id>/void/", casework.outcome_void, name="outcome_void"),
    path("people/<str:code>/refer/", referrals.referral_create, name="referral_create"),
    path("referrals/", referrals.referral_inbox, name="referral_inbox"),
    path(
        "referrals/erasures/<uuid:public_id>/acknowledge/",
        referrals.erasure_notice_acknowledge,
        name="erasure_notice_acknowledge",
    ),
    path("referrals/<uuid:public_id>/", referrals.referral_detail, name="referral_detail"),
    path(
        "referrals/<uuid:public_id>/assistance/",
        referrals.referral_assistance,
        name="referral_assistance",
    ),
    path(
        "referrals/<uuid:public_id>/outcomes/",
        partner_work.referral_outcome,
        name="referral_outcome",
    ),
    *(
        path(
            f"referrals/<uuid:public_id>/{transition}/",
            referrals.referral_transition,
            {"transition": transition},
            name=f"referral_{transition}",
        )
        for transition in referrals.TRANSITIONS
    ),
    path("people/<str:code>/transfer/", transfers.transfer_create, name="transfer_create"),
    path("transfers/", transfers.transfer_list, name="transfer_list"),
    path("transfers/<uuid:public_id>/", transfers.transfer_detail, name="transfer_detail"),
    *(
        path(
            f"transfers/<uuid:public_id>/{transition}/",
            transfers.transfer_transition,
            {"transition": transition},
            name=f"transfer_{transition}",
        )
        for transition in transfers.TRANSITIONS
    ),
    path("data-requests/", data_protection.data_requests, name="data_requests"),
    path("data-requests/retention/", data_protection.retention, name="retention"),
    path("data-requests/<str:code>/", data_protection.data_request, name="data_request"),
    path(
        "data-requests/<str:code>/access-report/",
        data_protection.access_report,
        name="access_report",
    ),
    path(
        "data-requests/<str:code>/access-report/download/",
        data_protection.access_report_download,
        name="access_report_download",
    ),
    path("data-requests/<str:code>/erase/", data_protection.erasure, name="erasure"),
]
