"""Addresses of representativeness (see urls.py)."""

from django.urls import URLPattern, path

from torget.insight import representation_views

urlpatterns: list[URLPattern] = [
    path(
        "dialoger/<int:pk>/representativitet/",
        representation_views.dialogue_public,
        name="representation_dialogue",
    ),
    path(
        "personal/dialoger/<int:pk>/representativitet/",
        representation_views.dialogue_staff,
        name="representation_dialogue_staff",
    ),
    path(
        "statistik/representativitet/",
        representation_views.overall,
        name="representation_overall",
    ),
]
