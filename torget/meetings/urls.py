from django.urls import path

from torget.meetings import public_views, staff_views

app_name = "meetings"

urlpatterns = [
    # Public
    path("moten/<int:pk>/", public_views.meeting_detail, name="detail"),
    path("moten/<int:pk>/anmalan/", public_views.register, name="register"),
    path("moten/<int:pk>/fraga/", public_views.submit_question, name="question"),
    path(
        "moten/<int:pk>/bilagor/<int:attachment_pk>/",
        public_views.attachment,
        name="attachment",
    ),
    path("moten/<int:pk>/foton/<int:photo_pk>/", public_views.photo, name="photo"),
    path("moten/anmalan/<str:token>/", public_views.registration, name="registration"),
    # Staff
    path("personal/moten/", staff_views.index, name="staff_index"),
    path(
        "personal/moten/ny/dialog/<int:dialogue_pk>/",
        staff_views.create_for_dialogue,
        name="staff_create_for_dialogue",
    ),
    path(
        "personal/moten/ny/utskott/<int:body_pk>/",
        staff_views.create_for_body,
        name="staff_create_for_body",
    ),
    path("personal/moten/<int:pk>/", staff_views.detail, name="staff_detail"),
    path("personal/moten/<int:pk>/andra/", staff_views.edit, name="staff_edit"),
    path(
        "personal/moten/<int:pk>/agenda/<slug:action>/",
        staff_views.agenda_action,
        name="staff_agenda",
    ),
    path(
        "personal/moten/<int:pk>/fragor/<int:question_pk>/<slug:verdict>/",
        staff_views.moderate,
        name="staff_moderate",
    ),
    path(
        "personal/moten/<int:pk>/anmalningar/",
        staff_views.registrations,
        name="staff_registrations",
    ),
    path("personal/moten/<int:pk>/stall-in/", staff_views.cancel, name="staff_cancel"),
    path(
        "personal/moten/<int:pk>/handlingar/",
        staff_views.forward_document,
        name="staff_forward",
    ),
    path(
        "personal/moten/<int:pk>/handlingar/<int:document_pk>/",
        staff_views.forwarded_document,
        name="staff_forwarded_document",
    ),
    path("personal/moten/<int:pk>/genomfort/", staff_views.mark_held, name="staff_mark_held"),
    path(
        "personal/moten/<int:pk>/dokumentation/",
        staff_views.documentation,
        name="staff_documentation",
    ),
    path(
        "personal/moten/<int:pk>/dokumentation/<slug:action>/",
        staff_views.documentation_action,
        name="staff_documentation_action",
    ),
]
