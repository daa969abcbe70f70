"""The surveys' addresses. Each part keeps its own list: the builder (staff), answering
(public and paper entry), the SMS gateway's webhook, and the results."""

from django.urls import path

from torget.surveys import results_views

app_name = "surveys"

urlpatterns: list = []

# results
_RESULTS = "personal/enkater/<int:pk>/resultat/"
urlpatterns += [
    path(_RESULTS, results_views.staff, name="results_staff"),
    path(f"{_RESULTS}fritext/", results_views.free_text, name="results_free_text"),
    path(
        f"{_RESULTS}fritext/<int:answer_pk>/taggar/",
        results_views.answer_tag,
        name="results_answer_tag",
    ),
    path(
        f"{_RESULTS}fritext/<int:answer_pk>/taggar/<int:tag_pk>/ta-bort/",
        results_views.answer_untag,
        name="results_answer_untag",
    ),
    path(
        f"{_RESULTS}taggar/<int:tag_pk>/resultatpunkt/",
        results_views.tag_item,
        name="results_tag_item",
    ),
    path(f"{_RESULTS}korstabell/", results_views.cross, name="results_cross"),
    path(f"{_RESULTS}platser/", results_views.places, name="results_places"),
    path(f"{_RESULTS}platser.geojson", results_views.places_geojson, name="results_geojson"),
    path(f"{_RESULTS}export.csv", results_views.export_csv, name="results_csv"),
    path(f"{_RESULTS}export.xlsx", results_views.export_xlsx, name="results_xlsx"),
    path(f"{_RESULTS}sammanfattning/", results_views.summary, name="results_summary"),
    path("enkater/<int:pk>/resultat/", results_views.public, name="results_public"),
]
