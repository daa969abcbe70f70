from django.utils.translation import gettext_lazy as _

from torget.audit.models import AuditEntry
from torget.core import personal_data as pd

pd.declare(
    AuditEntry,
    kind=_("Granskningslogg"),
    fields={"actor": _("vem som utförde en händelse (en hänvisning till kontot)")},
    not_personal={"actor_label": pd.SYSTEM},
    purpose=_("Att handläggningen ska kunna granskas i efterhand: vem gjorde vad och när."),
    basis=pd.Basis.LEGAL_OBLIGATION,
    retention=_("Enligt gallringsplanen för loggar."),
    find=lambda subject: AuditEntry.objects.filter(actor_id__in=subject.user_ids),
    erasure=pd.Erasure.KEEP,
    keep_reason=_(
        "Loggen får inte ändras i efterhand. När kontot avslutas finns bara en hänvisning till "
        "ett avslutat konto kvar, utan namn eller e-postadress."
    ),
    context=("at", "action", "object_repr"),
)
