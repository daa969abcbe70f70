from django.urls import path

from torget.site import views

# The namespace keeps the name these pages had when they lived in the toolbox: templates,
# e-mails and tests across the apps link to `core:home`, `core:backoffice` and so on.
app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("om/", views.about, name="about"),
    path("integritet/", views.privacy, name="privacy"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personal/", views.backoffice, name="backoffice"),
    # An area's page shows what every part does there; the area list and maps are geo's.
    path("omraden/<slug:slug>/", views.area_detail, name="area_detail"),
    # Addresses kept stable from the start (DOMAIN.md "Public addresses"); /medborgarbudget/
    # is the citizen budget's own (torget.budget).
    path("trygghet/", views.safety, name="safety"),
]
