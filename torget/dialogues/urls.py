from django.urls import path

from torget.dialogues import calendar_views, public_views, staff_views, yearwheel_views

app_name = "dialogues"

urlpatterns = [
    # Public (DOMAIN.md: /dialoger/, /dialoger/<id>/, /dialoger/foresla/, /kalendarium/,
    # /kalendarium.ics).
    path("dialoger/", public_views.dialogue_list, name="list"),
    path("dialoger/foresla/", public_views.request_dialogue, name="request"),
    path("dialoger/foresla/tack/", public_views.request_thanks, name="request_thanks"),
    path("dialoger/arshjul/", yearwheel_views.year_wheel, name="year_wheel"),
    path("dialoger/<int:pk>/", public_views.dialogue_detail, name="detail"),
    path("kalendarium/", calendar_views.calendar, name="calendar"),
    path("kalendarium.ics", calendar_views.ical_feed, name="ical"),
    # Staff (/personal/dialoger/…).
    path("personal/dialoger/", staff_views.index, name="staff_index"),
    path("personal/dialoger/nytt-initiativ/", staff_views.initiate, name="staff_initiate"),
    path("personal/dialoger/verksamhetsplaner/", yearwheel_views.annual_plans, name="annual_plans"),
    path("personal/dialoger/<int:pk>/", staff_views.detail, name="staff_detail"),
    path("personal/dialoger/<int:pk>/andra/", staff_views.edit, name="staff_edit"),
    path("personal/dialoger/<int:pk>/steg/<slug:step>/", staff_views.step, name="staff_step"),
    path(
        "personal/dialoger/<int:pk>/plan/<slug:action>/", staff_views.plan_action, name="staff_plan"
    ),
]
