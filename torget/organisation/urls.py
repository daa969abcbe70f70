from django.urls import path

from torget.organisation import views

app_name = "organisation"

urlpatterns = [
    path("om/organisation/", views.organisation_overview, name="overview"),
    path("om/organisation/<slug:slug>/", views.body_detail, name="body_detail"),
]
