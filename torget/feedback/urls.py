from django.urls import include, path

from torget.feedback import coordinator_views, photo_views, staff_views, stats_views, views

app_name = "feedback"

urlpatterns = [
    # Public (DOMAIN.md: /synpunkter/, /felanmalan/, /felanmalan/karta/, /arende/<token>/).
    path("synpunkter/", views.start, name="start"),
    path("synpunkter/ny/<slug:kind>/", views.opinion_create, name="opinion_create"),
    path("felanmalan/", views.fault_create, name="fault_create"),
    path("felanmalan/karta/", views.fault_map, name="fault_map"),
    path("felanmalan/karta.geojson", views.fault_geojson, name="fault_geojson"),
    path("felanmalan/<str:number>/", views.public_detail, name="public_detail"),
    path(
        "felanmalan/<str:number>/foton/<int:pk>/<str:key>.jpg",
        photo_views.public_photo,
        name="public_photo",
    ),
    path("arende/<str:token>/", views.follow, name="follow"),
    path(
        "arende/<str:token>/foton/<int:pk>/<str:key>.jpg",
        photo_views.follow_photo,
        name="follow_photo",
    ),
    path("arende/<str:token>/kvitto/", views.receipt, name="receipt"),
    # Moved from /statistik/ (now the dashboard of torget.insight, which links here).
    path("statistik/synpunkter/", stats_views.public_statistics, name="statistics"),
    # Staff (/personal/arenden/…).
    path("personal/arenden/", staff_views.inbox, name="staff_inbox"),
    path("personal/arenden/nytt/", staff_views.register, name="staff_register"),
    path(
        "personal/arenden/mina-omraden/",
        coordinator_views.cases_in_my_areas,
        name="staff_area_cases",
    ),
    path("personal/arenden/<int:pk>/", staff_views.detail, name="staff_detail"),
    path("personal/arenden/<int:pk>/<slug:action>/", staff_views.act, name="staff_act"),
    path(
        "personal/arenden/<int:case_pk>/foton/<int:pk>/<str:key>.jpg",
        photo_views.staff_photo,
        name="staff_photo",
    ),
    path("personal/arenden/statistik/", stats_views.staff_statistics, name="staff_statistics"),
    path("personal/arenden/statistik.csv", stats_views.statistics_csv, name="staff_statistics_csv"),
    # Open311 GeoReport v2.
    path("open311/v2/", include("torget.feedback.open311.urls")),
]
