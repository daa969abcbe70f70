from django.urls import path

from torget.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("om/", views.about, name="about"),
    path("integritet/", views.privacy, name="privacy"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personal/", views.backoffice, name="backoffice"),
    # Addresses kept stable from the start (DOMAIN.md "Public addresses"); later parts
    # replace these with their own views.
    path("synpunkter/", views.upcoming, {"section": "feedback"}, name="feedback"),
    path("felanmalan/", views.upcoming, {"section": "feedback"}, name="fault_report"),
    path("felanmalan/karta/", views.upcoming, {"section": "fault_map"}, name="fault_map"),
    path("arende/<str:token>/", views.upcoming, {"section": "case"}, name="case"),
    path("dialoger/", views.upcoming, {"section": "dialogues"}, name="dialogues"),
    path("kalendarium/", views.upcoming, {"section": "calendar"}, name="calendar"),
    path("trygghet/", views.upcoming, {"section": "safety"}, name="safety"),
    path("medborgarbudget/", views.upcoming, {"section": "budget"}, name="budget"),
    path("statistik/", views.upcoming, {"section": "statistics"}, name="statistics"),
]
