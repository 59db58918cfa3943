from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_mark_all_read, name="mark_all_read"),
    path("e-mail/", views.preferences, name="preferences"),
    path("<uuid:public_id>/open/", views.notification_open, name="open"),
]
