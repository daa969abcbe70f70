from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.meetings.models import (
    AgendaQuestion,
    Documentation,
    ForwardedDocument,
    Meeting,
    Registration,
)

pd.declare(
    Registration,
    kind=_("Anmälningar till möten"),
    fields={
        "name": _("namn"),
        "email": _("e-postadress"),
        "needs": _("behov av stöd för att kunna delta (kan vara en uppgift om hälsa)"),
    },
    purpose=_(
        "Att planera mötet, ordna det stöd du behöver och kunna nå dig om mötet ändras. "
        "Behov av stöd lämnar du frivilligt."
    ),
    basis=pd.Basis.HEALTH_CONSENT,
    retention=_(
        "Gallras efter mötet enligt gallringsplanen: mötesanmälningar, behov av stöd först av allt."
    ),
    find=lambda subject: Registration.objects.filter(subject.email_q("email")),
    erasure=pd.Erasure.DELETE,
    context=("meeting", "created_at"),
)
pd.declare(
    AgendaQuestion,
    kind=_("Frågor inför möten"),
    fields={"name": _("namn"), "email": _("e-postadress")},
    not_personal={"moderated_by": pd.STAFF},
    purpose=_("Att ta upp frågan på mötet och kunna svara den som frågade."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Enligt gallringsplanen: frågor inför möten."),
    find=lambda subject: AgendaQuestion.objects.filter(subject.email_q("email")),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"name": "", "email": ""},
    public_record=True,
    keep_reason=_("Frågan är en allmän handling och finns kvar; namn och e-postadress tas bort."),
    context=("meeting", "text", "created_at"),
)
pd.not_personal(Meeting, politician=pd.STAFF, official=pd.STAFF)
pd.not_personal(Documentation, approved_by=pd.STAFF, feedback_sent_by=pd.STAFF)
pd.not_personal(ForwardedDocument, forwarded_by=pd.STAFF)
