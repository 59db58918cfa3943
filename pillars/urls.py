from django.urls import path

from pillars import plan_views, views

app_name = "pillars"

urlpatterns = [
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<uuid:public_id>/", views.activity_detail, name="activity_detail"),
    path("activities/<uuid:public_id>/edit/", views.activity_edit, name="activity_edit"),
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/new/", views.volunteer_create, name="volunteer_create"),
    path("volunteers/<uuid:public_id>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("safety-nets/", views.safety_net_list, name="safety_net_list"),
    path("safety-nets/new/", views.safety_net_create, name="safety_net_create"),
    path("safety-nets/<uuid:public_id>/edit/", views.safety_net_edit, name="safety_net_edit"),
    path("indicators/", views.indicator_plan, name="indicator_plan"),
    path("periods/", views.period_list, name="period_list"),
    path(
        "periods/<uuid:public_id>/lock/",
        views.period_action,
        {"action": "lock"},
        name="period_lock",
    ),
    path(
        "periods/<uuid:public_id>/unlock/",
        views.period_action,
        {"action": "unlock"},
        name="period_unlock",
    ),
    path("periods/<uuid:public_id>/restate/", views.period_restate, name="period_restate"),
    path("periods/<uuid:public_id>/history/", views.period_history, name="period_history"),
    path("budget/", views.budget, name="budget"),
    path("budget/expenses/", views.expense_list, name="expense_list"),
    path("budget/expenses/new/", views.expense_create, name="expense_create"),
    path("budget/expenses/<uuid:public_id>/edit/", views.expense_edit, name="expense_edit"),
    path("settings/", plan_views.plan_home, name="plan_home"),
]

# The plan in the browser: a list, a new and an edit page for each kind of plan record.
_PAGES = {
    "": "settings/{slug}/",
    "_new": "settings/{slug}/new/",
    "_edit": "settings/{slug}/<int:pk>/edit/",
}
for _screen in plan_views.SCREENS:
    for _page, _view in plan_views.screen_views(_screen).items():
        urlpatterns.append(
            path(
                _PAGES[_page].format(slug=_screen.slug),
                _view,
                name=_screen.url_name(_page).removeprefix("pillars:"),
            )
        )
