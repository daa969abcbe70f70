from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.inspections.models import Cause, Finding, FollowUp, GroupContact

pd.declare(
    GroupContact,
    kind=_("Kontaktpersoner för trygghetsvandringar"),
    fields={"name": _("namn"), "email": _("e-postadress"), "phone": _("telefonnummer")},
    purpose=_("Att kunna nå gruppen som deltog i vandringen med återkoppling."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Enligt gallringsplanen: anmälares kontaktuppgifter."),
    find=lambda subject: GroupContact.objects.filter(
        subject.email_q("email") | Q(phone__in=subject.phones)
    ),
    erasure=pd.Erasure.DELETE,
    context=("group", "created_at"),
)
pd.not_personal(
    Finding,
    address=_("En plats i det offentliga rummet som vandringen besökte."),
    created_by=pd.STAFF,
)
pd.not_personal(
    Cause, influenced_by=_("Vilken aktör som kan påverka orsaken, inte en enskild person.")
)
pd.not_personal(FollowUp, recorded_by=pd.STAFF)
