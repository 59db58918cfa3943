from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("people/<str:code>/add/", views.add_to_person, name="add_to_person"),
    path("referrals/<uuid:public_id>/add/", views.add_to_referral, name="add_to_referral"),
    path("referrals/<uuid:public_id>/share/", views.share_on_referral, name="share_on_referral"),
    path("<uuid:public_id>/", views.download, name="download"),
]
