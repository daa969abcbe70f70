from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The site shell: the start page, the navigation with the municipality's name, an area's
    page (what every part does there), the pages about the site, the staff start page and the
    addresses kept for later parts. It sits on top of the layers, so it may show what every
    app below it offers."""

    name = "torget.site"
    label = "site"
    verbose_name = _("Webbplatsen")
