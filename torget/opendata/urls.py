"""The addresses of opendata: /oppna-data/ (the exports and the catalogue) and /floden/ (the
RSS and Atom feeds)."""

from django.urls import path, re_path
from django.views.decorators.http import require_safe

from torget.opendata import feeds, views

app_name = "opendata"

urlpatterns = [
    path("oppna-data/", views.index, name="index"),
    # Before the files: "katalog" is no dataset.
    path("oppna-data/katalog.ttl", views.catalogue_ttl, name="catalogue_ttl"),
    path("oppna-data/katalog.jsonld", views.catalogue_jsonld, name="catalogue_jsonld"),
    re_path(
        r"^oppna-data/(?P<slug>[-a-z0-9_]+)\.(?P<fmt>csv|json|md)$",
        views.download,
        name="download",
    ),
]

for _stem, _word, _class in feeds.FEEDS:
    for _flavour in ("rss", "atom"):
        urlpatterns.append(
            path(
                f"floden/{_word}.{_flavour}",
                require_safe(getattr(feeds, f"{_stem}_{_flavour}")),
                name=f"{_stem}_{_flavour}",
            )
        )
