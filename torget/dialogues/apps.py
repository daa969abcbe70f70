from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from torget.accounts.roles import Role

if TYPE_CHECKING:
    from torget.accounts.models import User


class DialoguesConfig(AppConfig):
    name = "torget.dialogues"
    label = "dialogues"
    verbose_name = _("Medborgardialoger")
    role_permissions = {
        Role.OFFICIAL: ["dialogues.view_dialogue", "dialogues.manage_dialogue"],
        Role.ELECTED: ["dialogues.view_dialogue"],
        Role.CONTACT_CENTRE: ["dialogues.view_dialogue"],
        # They read the dialogues that bring results and questions to the utskott and the
        # safety councils: the safety coordinator reads all of them, not only those in the
        # areas it covers (dialogues/tests/test_safety_coordinator.py), and changes none.
        Role.SAFETY_COORDINATOR: ["dialogues.view_dialogue"],
        Role.UTSKOTT_COORDINATOR: ["dialogues.view_dialogue"],
    }

    def ready(self) -> None:
        from torget.dialogues import notices  # noqa: F401 (registers its notice kinds)
        from torget.dialogues.models import Dialogue
        from torget.notifications import registry

        registry.register(
            "dialog",
            Dialogue,
            label=_("Medborgardialog"),
            widen=_dialogue_and_places,
            visible=lambda dialogue: dialogue.is_public,
        )

    def export_personal_data(self, user: "User") -> list[dict[str, Any]]:
        from torget.dialogues.models import Dialogue

        return [
            {"requested": d.title, "status": d.get_status_display(), "at": d.created_at.isoformat()}
            for d in Dialogue.objects.filter(requested_by=user)
        ]

    def on_account_closed(self, user: "User") -> None:
        from torget.dialogues.models import Dialogue

        Dialogue.objects.filter(requested_by=user).update(requested_by=None)


def _dialogue_and_places(dialogue: Any) -> list[Any]:
    """Followers of the dialogue, of each of its areas (and the areas those lie in) and of
    its topics hear about it: "when a dialogue opens in an area, its subscribers are told"."""
    targets: list[Any] = [dialogue]
    for area in dialogue.areas.all():
        while area is not None:
            if area not in targets:
                targets.append(area)
            area = area.parent
    targets.extend(dialogue.topics.all())
    return targets
