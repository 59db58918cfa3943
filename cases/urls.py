from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.beneficiary_list, name="beneficiary_list"),
    path("people/new/", views.beneficiary_create, name="beneficiary_create"),
    path("people/assistance/", views.assistance_bulk, name="assistance_bulk"),
    path("people/export/", views.beneficiary_export, name="beneficiary_export"),
    path("people/<str:code>/", views.beneficiary_detail, name="beneficiary_detail"),
    path("people/<str:code>/edit/", views.beneficiary_update, name="beneficiary_update"),
    path("people/<str:code>/consent/", views.consent_create, name="consent_create"),
    path("people/<str:code>/assistance/", views.assistance_create, name="assistance_create"),
    path("people/<str:code>/outcomes/", views.outcome_create, name="outcome_create"),
    path("people/<str:code>/refer/", views.referral_create, name="referral_create"),
    path("referrals/", views.referral_inbox, name="referral_inbox"),
    path(
        "referrals/erasures/<uuid:public_id>/acknowledge/",
        views.erasure_notice_acknowledge,
        name="erasure_notice_acknowledge",
    ),
    path("referrals/<uuid:public_id>/", views.referral_detail, name="referral_detail"),
    path(
        "referrals/<uuid:public_id>/assistance/",
        views.referral_assistance,
        name="referral_assistance",
    ),
    path(
        "referrals/<uuid:public_id>/outcomes/", views.referral_outcome, name="referral_outcome"
    ),
    *(
        path(
            f"referrals/<uuid:public_id>/{transition}/",
            views.referral_transition,
            {"transition": transition},
            name=f"referral_{transition}",
        )
        for transition in views.TRANSITIONS
    ),
    path("data-requests/", views.data_requests, name="data_requests"),
    path("data-requests/retention/", views.retention, name="retention"),
    path("data-requests/<str:code>/", views.data_request, name="data_request"),
    path("data-requests/<str:code>/access-report/", views.access_report, name="access_report"),
    path(
        "data-requests/<str:code>/access-report/download/",
        views.access_report_download,
        name="access_report_download",
    ),
    path("data-requests/<str:code>/erase/", views.erasure, name="erasure"),
]
