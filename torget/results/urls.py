from django.urls import path

from torget.results import views

app_name = "results"

urlpatterns = [
    # A published feedback point's document (never from /media/: see views.point_document).
    path("resultat/<int:pk>/dokument.pdf", views.point_document, name="point_document"),
    path("personal/resultat/<int:pk>/", views.item_detail, name="item"),
    path("personal/resultat/<int:pk>/<slug:action>/", views.item_action, name="item_action"),
    path("personal/dialoger/<int:pk>/resultat/ny/", views.item_new, name="item_new"),
    path(
        "personal/dialoger/<int:pk>/sammanstallning/",
        views.summary_publish,
        name="summary_publish",
    ),
    path(
        "personal/dialoger/<int:pk>/beslutsforslag/",
        views.decision_proposal_publish,
        name="decision_proposal_publish",
    ),
    path(
        "personal/dialoger/<int:pk>/beslutsforslag/hoppa-over/",
        views.decision_proposal_skip,
        name="decision_proposal_skip",
    ),
    path(
        "personal/dialoger/<int:pk>/sammanstallning/rattelse/",
        views.summary_correct,
        name="summary_correct",
    ),
    path(
        "personal/dialoger/<int:pk>/beslutsforslag/rattelse/",
        views.decision_proposal_correct,
        name="decision_proposal_correct",
    ),
    path("personal/utskott/<slug:slug>/resultat/", views.utskott_items, name="utskott"),
]
