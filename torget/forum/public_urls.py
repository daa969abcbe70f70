from django.urls import path

from torget.forum import rules_views

urlpatterns = [
    path("forum/regler/", rules_views.rules, name="rules"),
]
