"""Roles are Django groups with model permissions; object-level limits (own body,
administration, area) are `rules` predicates in each app's permissions.py.

Each app declares what its roles may do in its AppConfig::

    class FeedbackConfig(AppConfig):
        role_permissions = {Role.CONTACT_CENTRE: ["feedback.view_case", "feedback.change_case"]}

and `sync_roles()` (run after every migrate) makes the groups match the declarations.
"""

from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The value is the group's name, shown in the admin; keep it stable.
    CITIZEN = "medborgare", _("Medborgare")
    OFFICIAL = "tjansteperson", _("Tjänsteperson")
    ELECTED = "fortroendevald", _("Förtroendevald")
    CONTACT_CENTRE = "kontaktcenter", _("Kontaktcenter")
    SAFETY_COORDINATOR = "trygghetssamordnare", _("Trygghetssamordnare")
    # At the kommunkansli: prepares the utskott's agendas and forwards documents to them.
    UTSKOTT_COORDINATOR = "utskottskoordinator", _("Koordinator för utskottsarbetet")
    ADMINISTRATOR = "administrator", _("Administratör")


# Roles that work in the back office (Django admin / /personal/).
STAFF_ROLES = frozenset(
    {
        Role.OFFICIAL,
        Role.ELECTED,
        Role.CONTACT_CENTRE,
        Role.SAFETY_COORDINATOR,
        Role.UTSKOTT_COORDINATOR,
        Role.ADMINISTRATOR,
    }
)


def declared_permissions() -> dict[str, set[str]]:
    declared: dict[str, set[str]] = {role.value: set() for role in Role}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            declared[Role(role).value].update(perms)
    return declared


def _permission_objects(names: set[str]) -> list[Any]:
    from django.contrib.auth.models import Permission

    wanted = {tuple(name.split(".", 1)) for name in names}
    found = [
        perm
        for perm in Permission.objects.select_related("content_type")
        if (perm.content_type.app_label, perm.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise LookupError(f"Unknown permissions in role declarations: {sorted(missing)}")
    return found


def sync_roles() -> None:
    # Imported here: AppConfigs import Role before the models are ready.
    from django.contrib.auth.models import Group, Permission

    declared = declared_permissions()
    admin_labels = {
        c.label for c in apps.get_app_configs() if c.name.startswith("torget.") or c.label == "auth"
    }
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        perms = _permission_objects(declared[role.value])
        if role == Role.ADMINISTRATOR:
            perms += list(Permission.objects.filter(content_type__app_label__in=admin_labels))
        group.permissions.set(perms)


def sync_after_migrate(sender: Any, **kwargs: Any) -> None:
    # post_migrate is sent once per app, in INSTALLED_APPS order, and each app's permissions
    # are created by its own signal; only after the last app do all of them exist.
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender is last:
        sync_roles()
