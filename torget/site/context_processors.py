import json

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from torget.geo.models import AreaKind
from torget.organisation.selectors import municipality_get

# The areas a map without tiles draws: the municipality's outline, its districts and localities.
BASE_MAP_KINDS = (AreaKind.MUNICIPALITY, AreaKind.DISTRICT, AreaKind.LOCALITY)

# (url name, label, path prefixes that mark the item as the current section)
MAIN_NAV = [
    (
        "feedback:start",
        _("Synpunkter och felanmälan"),
        ("/synpunkter/", "/felanmalan/", "/arende/"),
    ),
    ("proposals:list", _("Medborgarförslag"), ("/forslag/",)),
    ("dialogues:list", _("Medborgardialoger"), ("/dialoger/",)),
    ("dialogues:calendar", _("Kalendarium"), ("/kalendarium/",)),
    ("core:about", _("Om"), ("/om/",)),
]


def site(request: HttpRequest) -> dict[str, object]:
    path = request.path
    return {
        "municipality": municipality_get(),
        "main_nav": [
            {"url": reverse(name), "label": label, "current": path.startswith(prefixes)}
            for name, label, prefixes in MAIN_NAV
        ],
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_base": SimpleLazyObject(map_base),
    }


def map_base() -> str:
    """What every map draws as its base when there are no tiles (MAP_TILE_URL unset): the
    municipality's own areas, outlines and names, and its centre (core's basemap.js)."""
    municipality = municipality_get()
    return json.dumps(
        {
            "geojson": reverse("geo:areas_geojson") + "?typ=" + ",".join(BASE_MAP_KINDS),
            "centre": [municipality.map_center_lat, municipality.map_center_lon],
            "name": municipality.name,
            "attribution": str(
                _("Områden: %(municipality)s") % {"municipality": municipality.name}
            ),
        }
    )
