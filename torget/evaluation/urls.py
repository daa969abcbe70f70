from django.urls import path

from torget.evaluation import views

app_name = "evaluation"

urlpatterns = [
    # Public: the participant's one-time link (the thank-you page first, before the token).
    path("utvardering/tack/", views.thanks, name="thanks"),
    path("utvardering/<str:token>/", views.answer, name="answer"),
    # Staff.
    path("personal/dialoger/<int:pk>/utvardering/", views.staff, name="staff"),
    path("personal/dialoger/<int:pk>/utvardering/skicka/", views.survey_send, name="send"),
    path("personal/dialoger/<int:pk>/utvardering/intern/", views.internal_save, name="internal"),
    path("personal/utvardering/mall/", views.template_edit, name="template"),
    path("personal/utvardering/mall/fragor/ny/", views.question_add, name="question_add"),
    path("personal/utvardering/mall/fragor/<int:pk>/", views.question_edit, name="question_edit"),
    path(
        "personal/utvardering/mall/fragor/<int:pk>/ta-bort/",
        views.question_remove,
        name="question_remove",
    ),
    path(
        "personal/utvardering/mall/fragor/<int:pk>/flytta/",
        views.question_move,
        name="question_move",
    ),
]
