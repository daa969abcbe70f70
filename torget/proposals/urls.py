from django.urls import path

from torget.proposals import file_views, staff_views, support_views, views

app_name = "proposals"

urlpatterns = [
    # Public (DOMAIN.md: /forslag/, /forslag/nytt/, /forslag/<id>/).
    path("forslag/", views.proposal_list, name="list"),
    path("forslag/nytt/", views.proposal_create, name="create"),
    path("forslag/fran-dialoger/", views.meeting_proposals, name="from_meetings"),
    path("forslag/<int:pk>/", views.proposal_detail, name="detail"),
    path("forslag/<int:pk>/stod/", support_views.support, name="support"),
    path("forslag/<int:pk>/stod/ta-tillbaka/", support_views.withdraw, name="withdraw"),
    path("mina-sidor/forslag/", views.my_proposals, name="mine"),
    # Files, each behind the proposal's visibility (file_views.py).
    path("forslag/nytt/bild/", views.draft_image, name="draft_image"),
    path("forslag/<int:pk>/bild/", file_views.image, name="image"),
    path("forslag/<int:pk>/beslut/", file_views.decision_document, name="decision_document"),
    path(
        "forslag/<int:pk>/handelser/<int:event_pk>/dokument/",
        file_views.event_document,
        name="event_document",
    ),
    # Staff (/personal/forslag/…).
    path("personal/forslag/", staff_views.index, name="staff_index"),
    path("personal/forslag/export.csv", staff_views.export_csv, name="staff_export"),
    path("personal/forslag/nytt/", staff_views.register_on_behalf, name="staff_register"),
    path(
        "personal/forslag/fran-dialogmote/",
        staff_views.register_from_meeting,
        name="staff_register_meeting",
    ),
    path("personal/forslag/<int:pk>/", staff_views.detail, name="staff_detail"),
    path("personal/forslag/<int:pk>/steg/<slug:step>/", staff_views.step, name="staff_step"),
    path("personal/forslag/<int:pk>/stod/", staff_views.register_support, name="staff_support"),
    path(
        "personal/forslag/<int:pk>/stodjare.csv",
        staff_views.supporters_csv,
        name="staff_supporters",
    ),
]
