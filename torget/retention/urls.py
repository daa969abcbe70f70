from django.urls import path

from torget.retention import views

app_name = "retention"

urlpatterns = [
    path("gallringsplan/", views.plan, name="plan"),
    path("personal/gallring/", views.runs, name="runs"),
]
