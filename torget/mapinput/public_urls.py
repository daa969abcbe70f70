from django.urls import path

from torget.mapinput import public_views

urlpatterns = [
    path("dialoger/<int:dialogue_pk>/karta/<int:pk>/", public_views.map_page, name="map"),
    path("dialoger/<int:dialogue_pk>/karta/<int:pk>/ny/", public_views.place, name="place"),
    path(
        "dialoger/<int:dialogue_pk>/karta/<int:pk>/lista/",
        public_views.point_list,
        name="list",
    ),
    path(
        "dialoger/<int:dialogue_pk>/karta/<int:pk>/punkter.geojson",
        public_views.geojson,
        name="geojson",
    ),
    path("karta/punkt/<int:pk>/", public_views.point, name="point"),
    path("karta/punkt/<int:pk>/hall-med/", public_views.agree, name="agree"),
    path("karta/punkt/<int:pk>/kommentera/", public_views.comment, name="comment"),
    path("karta/punkt/<int:pk>/foto.jpg", public_views.photo, name="photo"),
]
