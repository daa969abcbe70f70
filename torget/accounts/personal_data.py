from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torget.accounts.models import User
from torget.accounts.services import AccountCloseError, account_close
from torget.core import personal_data as pd


def _find(subject: pd.Subject) -> "QuerySet[User]":
    return User.objects.filter(
        Q(pk__in=subject.user_ids) | subject.email_q("email") | Q(phone__in=subject.phones)
    )


def _close(users: "QuerySet[User]", actor: Any) -> int:
    closed = 0
    for user in users.filter(closed_at__isnull=True):
        try:
            account_close(user=user, actor=actor)
        except AccountCloseError:
            continue  # a superuser is closed by another superuser, in the admin
        closed += 1
    return closed


pd.declare(
    User,
    kind=_("Konton"),
    fields={
        "email": _("e-postadress"),
        "full_name": _("namn"),
        "display_name": _("visningsnamn"),
        "phone": _("mobilnummer"),
        "email_verified_at": _("när e-postadressen bekräftades"),
    },
    purpose=_("Att du ska kunna logga in, följa det du lämnat och få svar och aviseringar."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Så länge kontot finns; tas bort när kontot avslutas."),
    find=_find,
    erasure=pd.Erasure.ANONYMISE,
    erase=_close,
    keep_reason=_(
        "Kontot avslutas: e-post, namn och mobilnummer tas bort. Raden finns kvar som "
        "”Avslutat konto”, eftersom allmänna handlingar och loggen hänvisar till den."
    ),
    context=("date_joined", "closed_at"),
)
