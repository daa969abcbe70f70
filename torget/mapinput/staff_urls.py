from django.urls import path

from torget.mapinput import staff_views

urlpatterns = [
    path("personal/dialoger/<int:pk>/karta/ny/", staff_views.staff_new, name="staff_new"),
    path("personal/karta/moderering/", staff_views.queue, name="queue"),
    path("personal/karta/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("personal/karta/<int:pk>/andra/", staff_views.staff_edit, name="staff_edit"),
    path("personal/karta/<int:pk>/kategorier/", staff_views.categories, name="categories"),
    path(
        "personal/karta/<int:pk>/export.geojson",
        staff_views.export_geojson,
        name="export_geojson",
    ),
    path("personal/karta/<int:pk>/export.csv", staff_views.export_csv, name="export_csv"),
    path("personal/karta/punkt/<int:pk>/", staff_views.staff_point, name="staff_point"),
    path("personal/karta/punkt/<int:pk>/foto/", staff_views.staff_photo, name="staff_photo"),
    path(
        "personal/karta/punkt/<int:pk>/<slug:action>/",
        staff_views.point_action,
        name="point_action",
    ),
]
