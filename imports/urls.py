from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.spreadsheet_import, name="spreadsheet"),
    path("template.xlsx", views.template_download, name="template"),
]
