from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from torget.accounts.roles import Role

_VIEW_ORGANISATION = [
    "organisation.view_body",
    "organisation.view_bodymembership",
    "organisation.view_administration",
    "organisation.view_unit",
    "organisation.view_employment",
    "organisation.view_party",
]


class OrganisationConfig(AppConfig):
    name = "torget.organisation"
    label = "organisation"
    verbose_name = _("Organisation")
    role_permissions = {
        Role.OFFICIAL: _VIEW_ORGANISATION + ["organisation.view_diarynumber"],
        Role.ELECTED: _VIEW_ORGANISATION,
        Role.CONTACT_CENTRE: _VIEW_ORGANISATION,
        Role.SAFETY_COORDINATOR: _VIEW_ORGANISATION,
        Role.UTSKOTT_COORDINATOR: _VIEW_ORGANISATION,
    }

    def ready(self) -> None:
        from torget.organisation import permissions  # noqa: F401 (registers rules)
