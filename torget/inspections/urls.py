from django.urls import path

from torget.inspections import views

app_name = "inspections"

urlpatterns = [
    # Public: published protocols (the public version)
    path("trygghet/besiktningar/<int:pk>/", views.public_protocol, name="public_protocol"),
    path(
        "trygghet/besiktningar/<int:pk>/protokoll.pdf",
        views.public_protocol_pdf,
        name="public_protocol_pdf",
    ),
    path(
        "trygghet/besiktningar/<int:pk>/foton/<int:photo_pk>/<str:key>/",
        views.public_photo,
        name="public_photo",
    ),
    # Staff
    path("personal/besiktningar/", views.staff_plan, name="staff_plan"),
    path("personal/besiktningar/ny/", views.staff_create, name="staff_create"),
    path("personal/besiktningar/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("personal/besiktningar/<int:pk>/andra/", views.staff_edit, name="staff_edit"),
    path("personal/besiktningar/<int:pk>/protokoll/", views.staff_protocol, name="staff_protocol"),
    path(
        "personal/besiktningar/<int:pk>/protokoll.pdf",
        views.staff_protocol_pdf,
        name="staff_protocol_pdf",
    ),
    path(
        "personal/besiktningar/<int:pk>/fynd/ny/",
        views.finding_create,
        name="staff_finding_create",
    ),
    path(
        "personal/besiktningar/<int:pk>/fynd/<int:finding_pk>/",
        views.finding_detail,
        name="staff_finding",
    ),
    path(
        "personal/besiktningar/<int:pk>/fynd/<int:finding_pk>/andra/",
        views.finding_edit,
        name="staff_finding_edit",
    ),
    path(
        "personal/besiktningar/<int:pk>/orsaker/<int:cause_pk>/andra/",
        views.cause_edit,
        name="staff_cause_edit",
    ),
    path(
        "personal/besiktningar/<int:pk>/atgarder/<int:action_pk>/andra/",
        views.action_edit,
        name="staff_action_edit",
    ),
    path(
        "personal/besiktningar/<int:pk>/fynd/<int:finding_pk>/<slug:action>/",
        views.finding_action,
        name="staff_finding_action",
    ),
    path(
        "personal/besiktningar/<int:pk>/foton/<int:photo_pk>/<str:key>/",
        views.staff_photo,
        name="staff_photo",
    ),
    path(
        "personal/besiktningar/<int:pk>/atgarder/<int:action_pk>/",
        views.action_step,
        name="staff_action_step",
    ),
    path(
        "personal/besiktningar/<int:pk>/uppfoljning/<int:action_pk>/",
        views.follow_up,
        name="staff_follow_up",
    ),
    path(
        "personal/besiktningar/<int:pk>/kontakter/<int:contact_pk>/ta-bort/",
        views.contact_remove,
        name="staff_contact_remove",
    ),
    path("personal/besiktningar/<int:pk>/<slug:action>/", views.staff_action, name="staff_action"),
]
