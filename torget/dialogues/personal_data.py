from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.dialogues.models import (
    Consultation,
    Dialogue,
    Event,
    Method,
    PlannedMethod,
    TargetGroup,
)

pd.declare(
    Dialogue,
    kind=_("Initiativ till medborgardialog"),
    fields={
        "requester_name": _("namnet på den som tog initiativet"),
        "requester_email": _("e-postadressen till den som tog initiativet"),
        "requested_by": _("kontot som tog initiativet"),
    },
    not_personal={
        "process_leader": pd.STAFF,
        "supporting_official": pd.STAFF,
        "created_by": pd.STAFF,
    },
    purpose=_("Att pröva initiativet och återkoppla till den som tog det."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_(
        "Dialogen är en allmän handling; kontaktuppgifterna gallras enligt gallringsplanen."
    ),
    find=lambda subject: Dialogue.objects.filter(
        Q(requested_by_id__in=subject.user_ids) | subject.email_q("requester_email")
    ),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"requested_by": None, "requester_email": "", "requester_name": ""},
    public_record=True,
    keep_reason=_(
        "Dialogen är en allmän handling och finns kvar; initiativtagarens uppgifter tas bort."
    ),
    context=("title", "created_at"),
)
pd.not_personal(Method, name=pd.NOT_ABOUT_A_PERSON)
pd.not_personal(TargetGroup, name=pd.NOT_ABOUT_A_PERSON)
pd.not_personal(
    PlannedMethod,
    staff_chosen_by=_("Vilket organ eller vilken funktion som valde, inte en enskild."),
)
pd.not_personal(Consultation, recorded_by=pd.STAFF)
pd.not_personal(Event, actor=pd.STAFF)
