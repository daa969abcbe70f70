from django.urls import path

from torget.inspections import views

app_name = "inspections"

urlpatterns = [
    path("personal/besiktningar/", views.staff_plan, name="staff_plan"),
    path("personal/besiktningar/ny/", views.staff_create, name="staff_create"),
    path("personal/besiktningar/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("personal/besiktningar/<int:pk>/andra/", views.staff_edit, name="staff_edit"),
    path("personal/besiktningar/<int:pk>/<slug:action>/", views.staff_action, name="staff_action"),
]
