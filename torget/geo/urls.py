from django.urls import path

from torget.geo import views

app_name = "geo"

urlpatterns = [
    path("omraden/", views.area_list, name="area_list"),
    path("omraden.geojson", views.areas_geojson, name="areas_geojson"),
    path("omraden/<slug:slug>.geojson", views.area_geojson, name="area_geojson"),
    path("personal/omraden/befolkning/", views.population, name="population"),
]
