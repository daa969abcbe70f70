from django.urls import path

from torget.identity import views

app_name = "identity"

urlpatterns = [
    path("legitimera/", views.choose, name="choose"),
    path("legitimera/demo/", views.demo, name="demo"),
    path("legitimera/<slug:slug>/", views.start, name="start"),
    path("personal/folkbokforda/", views.resident_register, name="resident_register"),
]
