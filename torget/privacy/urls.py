from django.urls import path

from torget.privacy import views

app_name = "privacy"

urlpatterns = [
    path("personal/personuppgifter/", views.register_staff, name="register_staff"),
    path("personal/personuppgifter/rattigheter/", views.rights, name="rights"),
    path("personal/personuppgifter/rattigheter/utdrag/", views.rights_export, name="rights_export"),
    path("personal/personuppgifter/rattigheter/radera/", views.rights_erase, name="rights_erase"),
]
