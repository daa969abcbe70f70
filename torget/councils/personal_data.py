from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.councils.models import Council, CouncilMember, CouncilSupport, UtskottParticipation

pd.declare(
    CouncilMember,
    kind=_("Ledamöter i trygghetsråd"),
    fields={
        "name": _("namn"),
        "email": _("e-postadress"),
        "phone": _("telefonnummer"),
        "user": _("ledamotens konto"),
    },
    purpose=_("Att visa vilka som sitter i rådet och kalla dem till möten."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Så länge uppdraget varar; kontaktuppgifterna tas bort när mandattiden är slut."),
    find=lambda subject: CouncilMember.objects.filter(
        Q(user_id__in=subject.user_ids) | subject.email_q("email") | Q(phone__in=subject.phones)
    ),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"email": "", "phone": "", "user": None},
    public_record=True,
    keep_reason=_(
        "Vem som satt i rådet är en del av rådets handlingar; namnet finns kvar, "
        "kontaktuppgifterna tas bort."
    ),
    context=("council", "term_from", "term_to"),
)
pd.declare(
    CouncilSupport,
    kind=_("Stöd till trygghetsråd"),
    fields={"user": _("tjänstepersonen som stödjer rådet")},
    purpose=_("Att ge tjänstepersonen behörighet för rådets arbete."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Så länge uppdraget varar."),
    find=lambda subject: CouncilSupport.objects.filter(user_id__in=subject.user_ids),
    keep_reason=_("Ett uppdrag i tjänsten; det tas bort när uppdraget upphör."),
)
pd.not_personal(Council, name=pd.ORGANISATION, acting_chair=pd.STAFF)
pd.not_personal(UtskottParticipation, person=pd.STAFF, recorded_by=pd.STAFF)
