"""The surveys' addresses. Each part keeps its own list: the builder (staff), answering
(public and paper entry), the SMS gateway's webhook, and the results."""

from django.urls import path

from torget.surveys import builder_views, public_views, results_views, sms_views

app_name = "surveys"

urlpatterns: list = []

# answer
urlpatterns += [
    path("enkater/<int:pk>/", public_views.public_detail, name="public_detail"),
    path("enkater/<int:pk>/svara/", public_views.answer_start, name="answer_start"),
    path("enkater/<int:pk>/svar/<str:token>/", public_views.answer_resume, name="answer_resume"),
    path(
        "enkater/<int:pk>/svar/<str:token>/sida/<int:page>/",
        public_views.answer_page,
        name="answer_page",
    ),
    path(
        "enkater/<int:pk>/svar/<str:token>/granska/",
        public_views.answer_confirm,
        name="answer_confirm",
    ),
    path(
        "enkater/<int:pk>/svar/<str:token>/skicka-lanken/",
        public_views.answer_send_link,
        name="answer_send_link",
    ),
    path(
        "enkater/<int:pk>/tack/<str:receipt>/", public_views.answer_receipt, name="answer_receipt"
    ),
    path("personal/enkater/<int:pk>/pappersvar/", public_views.answer_paper, name="answer_paper"),
]

# build
urlpatterns += [
    path("personal/enkater/", builder_views.staff_list, name="staff_list"),
    path(
        "personal/enkater/dialog/<int:dialogue_pk>/ny/",
        builder_views.staff_create,
        name="staff_create",
    ),
    path(
        "personal/enkater/dialog/<int:dialogue_pk>/kopiera/",
        builder_views.staff_copy,
        name="staff_copy",
    ),
    path("personal/enkater/<int:pk>/", builder_views.staff_detail, name="staff_detail"),
    path("personal/enkater/<int:pk>/installningar/", builder_views.staff_edit, name="staff_edit"),
    path(
        "personal/enkater/<int:pk>/forhandsgranska/",
        builder_views.staff_preview,
        name="staff_preview",
    ),
    path(
        "personal/enkater/<int:pk>/avsnitt/nytt/",
        builder_views.staff_section_add,
        name="staff_section_add",
    ),
    path(
        "personal/enkater/<int:pk>/avsnitt/<int:section_pk>/",
        builder_views.staff_section_edit,
        name="staff_section_edit",
    ),
    path(
        "personal/enkater/<int:pk>/avsnitt/<int:section_pk>/ny-fraga/",
        builder_views.staff_question_add,
        name="staff_question_add",
    ),
    path(
        "personal/enkater/<int:pk>/avsnitt/<int:section_pk>/<slug:action>/",
        builder_views.staff_section_action,
        name="staff_section_action",
    ),
    path(
        "personal/enkater/<int:pk>/fragor/<int:question_pk>/",
        builder_views.staff_question,
        name="staff_question",
    ),
    path(
        "personal/enkater/<int:pk>/fragor/<int:question_pk>/<slug:action>/",
        builder_views.staff_question_action,
        name="staff_question_action",
    ),
    path(
        "personal/enkater/<int:pk>/alternativ/<int:option_pk>/",
        builder_views.staff_option,
        name="staff_option",
    ),
    path(
        "personal/enkater/<int:pk>/alternativ/<int:option_pk>/<slug:action>/",
        builder_views.staff_option_action,
        name="staff_option_action",
    ),
]

# results
_RESULTS = "personal/enkater/<int:pk>/resultat/"
urlpatterns += [
    path(_RESULTS, results_views.staff, name="results_staff"),
    path(f"{_RESULTS}fritext/", results_views.free_text, name="results_free_text"),
    path(
        f"{_RESULTS}fritext/<int:answer_pk>/taggar/",
        results_views.answer_tag,
        name="results_answer_tag",
    ),
    path(
        f"{_RESULTS}fritext/<int:answer_pk>/taggar/<int:tag_pk>/ta-bort/",
        results_views.answer_untag,
        name="results_answer_untag",
    ),
    path(
        f"{_RESULTS}taggar/<int:tag_pk>/resultatpunkt/",
        results_views.tag_item,
        name="results_tag_item",
    ),
    path(f"{_RESULTS}korstabell/", results_views.cross, name="results_cross"),
    path(f"{_RESULTS}platser/", results_views.places, name="results_places"),
    path(f"{_RESULTS}platser.geojson", results_views.places_geojson, name="results_geojson"),
    path(f"{_RESULTS}export.csv", results_views.export_csv, name="results_csv"),
    path(f"{_RESULTS}export.xlsx", results_views.export_xlsx, name="results_xlsx"),
    path(f"{_RESULTS}sammanfattning/", results_views.summary, name="results_summary"),
    path("enkater/<int:pk>/resultat/", results_views.public, name="results_public"),
]

# sms
urlpatterns += [
    path("personal/enkater/<int:pk>/sms/", sms_views.sms_send, name="sms_send"),
    path("personal/enkater/<int:pk>/sms/paminn/", sms_views.sms_remind, name="sms_remind"),
    path("sms/inkommande/<str:secret>/", sms_views.sms_inbound, name="sms_inbound"),
]

# Last: the builder's actions on a survey (publish, close) take any other word.
urlpatterns += [
    path(
        "personal/enkater/<int:pk>/<slug:action>/",
        builder_views.staff_action,
        name="staff_action",
    ),
]
