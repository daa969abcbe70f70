"""The surveys' addresses. Each part keeps its own list: the builder (staff), answering
(public and paper entry), the SMS gateway's webhook, and the results."""

from django.urls import path

from torget.surveys import public_views

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
