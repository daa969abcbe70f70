"""The surveys' addresses. Each part keeps its own list: the builder (staff), answering
(public and paper entry), the SMS gateway's webhook, and the results."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.html import escape

from torget.surveys import builder_views

app_name = "surveys"

urlpatterns: list = []

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
    path(
        "personal/enkater/<int:pk>/<slug:action>/",
        builder_views.staff_action,
        name="staff_action",
    ),
]


# answer (stub): the public survey page is the answering part's; a placeholder until merged.
def _public_detail_stub(request: HttpRequest, pk: int) -> HttpResponse:  # answer (stub)
    from torget.surveys.selectors import access_public_survey  # answer (stub)

    return HttpResponse(escape(access_public_survey(pk).title))  # answer (stub)


urlpatterns += [
    path("enkater/<int:pk>/", _public_detail_stub, name="public_detail")
]  # answer (stub)
