from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from torget.organisation.selectors import municipality_get

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
    }
