from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("<uuid:public_id>/", views.job_page, name="job"),
    path("<uuid:public_id>/progress/", views.job_progress, name="progress"),
    path("<uuid:public_id>/download/", views.download, name="download"),
]
