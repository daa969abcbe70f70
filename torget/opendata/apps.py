from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """Öppna data: the bulk exports, their DCAT-AP-SE catalogue, and the RSS and Atom feeds."""

    name = "torget.opendata"
    label = "opendata"
    verbose_name = _("Öppna data")
