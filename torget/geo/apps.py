from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from torget.accounts.roles import Role


class GeoConfig(AppConfig):
    name = "torget.geo"
    label = "geo"
    verbose_name = _("Geografi")
    role_permissions = {
        Role.OFFICIAL: ["geo.view_area"],
        Role.ELECTED: ["geo.view_area"],
        Role.CONTACT_CENTRE: ["geo.view_area"],
        Role.SAFETY_COORDINATOR: ["geo.view_area"],
        Role.UTSKOTT_COORDINATOR: ["geo.view_area"],
    }
