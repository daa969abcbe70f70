from django.urls import path

from torget.consultations import views

app_name = "consultations"

urlpatterns = [
    # Public: under the dialogue's own address (/dialoger/<id>/).
    path("dialoger/<int:dialogue_pk>/samrad/<int:pk>/", views.detail, name="detail"),
    path(
        "dialoger/<int:dialogue_pk>/samrad/<int:pk>/alternativ/<int:alternative_pk>/bild.jpg",
        views.alternative_image,
        name="image",
    ),
    path(
        "dialoger/<int:dialogue_pk>/samrad/<int:pk>/alternativ/<int:alternative_pk>/dokument.pdf",
        views.alternative_document,
        name="document",
    ),
    # Staff.
    path("personal/dialoger/<int:pk>/samrad/nytt/", views.staff_new, name="staff_new"),
    path("personal/samrad/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("personal/samrad/<int:pk>/andra/", views.staff_edit, name="staff_edit"),
    path(
        "personal/samrad/<int:pk>/alternativ/nytt/", views.alternative_new, name="alternative_new"
    ),
    path(
        "personal/samrad/<int:pk>/alternativ/<int:alternative_pk>/andra/",
        views.alternative_edit,
        name="alternative_edit",
    ),
    path(
        "personal/samrad/<int:pk>/alternativ/<int:alternative_pk>/ta-bort/",
        views.alternative_remove,
        name="alternative_remove",
    ),
    path("personal/samrad/<int:pk>/<slug:action>/", views.staff_action, name="staff_action"),
]
