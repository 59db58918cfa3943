from django.urls import path

from nextsteps.db_routers import reads_from_replica
from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("indicators/", views.indicator_table_view, name="indicator_table"),
    path("indicators/print/", views.indicator_table_print, name="indicator_table_print"),
    path(
        "indicators/export/<str:file_format>/",
        views.indicator_table_export,
        name="indicator_table_export",
    ),
    path("indicators/records/", views.indicator_records, name="indicator_records"),
    path(
        "indicators/records/export/",
        views.indicator_records_export,
        name="indicator_records_export",
    ),
    path("indicators/breakdown/", views.indicator_breakdown, name="indicator_breakdown"),
    path("financial/", views.financial_view, name="financial"),
    path("financial/print/", views.financial_print, name="financial_print"),
    path("financial/export/<str:file_format>/", views.financial_export, name="financial_export"),
    path("dashboard/", views.pillar_dashboard, name="dashboard"),
    path("dashboard/referrals/", views.referrals_dashboard, name="referrals_dashboard"),
    path("dashboard/caseload/", views.caseload_dashboard, name="caseload_dashboard"),
    path("dashboard/budget/", views.budget_dashboard, name="budget_dashboard"),
]

# Reports read aggregates: from the read replica when one is configured (nextsteps.db_routers).
for pattern in urlpatterns:
    pattern.callback = reads_from_replica(pattern.callback)
