"""The one kind the site cannot apply itself: the operator's backups. The plan states their
period so that it is decided and published with the rest; the backup job (see the README)
must keep copies no longer, because a restored copy would bring back what the plan removed."""

from django.utils.translation import gettext_lazy as _

from torget.core import retention

retention.register(
    retention.RecordKind(
        key="backups",
        name=_("Säkerhetskopior"),
        description=_(
            "Kopior av databasen och uppladdade filer, för att kunna återställa webbplatsen. "
            "De gallras av driften, inte av webbplatsen: äldre kopior tas bort så att det som "
            "gallrats inte finns kvar längre än perioden."
        ),
        default=retention.Period(35, "days"),
        action=retention.Action.OUTSIDE,
        counts_from=_("när kopian togs"),
        order=200,
    )
)
