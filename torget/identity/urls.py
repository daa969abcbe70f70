from django.urls import path

from torget.identity import oidc_views, views

app_name = "identity"

urlpatterns = [
    path("legitimera/", views.choose, name="choose"),
    path("legitimera/demo/", views.demo, name="demo"),
    path("legitimera/oidc/retur/", oidc_views.callback, name="oidc_callback"),
    path("legitimera/<slug:slug>/", views.start, name="start"),
    path("personal/folkbokforda/", views.resident_register, name="resident_register"),
]
