from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.proposals.models import Event, Proposal, Support

pd.declare(
    Proposal,
    kind=_("Medborgarförslag"),
    fields={
        "author": _("förslagsställarens konto"),
        "author_name": _("förslagsställarens namn, som det publiceras"),
        "contact_email": _("e-postadress för kontakt"),
    },
    not_personal={
        "organisation_name": _(
            "Namnet på en förening eller organisation som står bakom förslaget."
        ),
        "responsible_politician": pd.STAFF,
        "registered_by": pd.STAFF,
        "moderated_by": pd.STAFF,
        "support_count": pd.NOT_ABOUT_A_PERSON,
    },
    purpose=_(
        "Att ta emot, publicera och besvara förslaget, och återkoppla till förslagsställaren."
    ),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Förslaget är en allmän handling och bevaras enligt arkivlagen."),
    find=lambda subject: Proposal.objects.filter(
        Q(author_id__in=subject.user_ids) | subject.email_q("contact_email")
    ),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"author": None, "contact_email": ""},
    public_record=True,
    keep_reason=_(
        "Förslaget är en allmän handling och finns kvar med det namn det publicerades under; "
        "kopplingen till kontot och e-postadressen tas bort."
    ),
    context=("title", "created_at"),
)
pd.declare(
    Support,
    kind=_("Stöd till förslag"),
    fields={
        "person_key": _("kontrollsumma av personnumret"),
        "user": _("kontot som stödde"),
    },
    purpose=_("Att räkna stöden och se till att varje person bara stödjer ett förslag en gång."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Enligt gallringsplanen: stöd, när förslaget är avgjort."),
    find=lambda subject: Support.objects.filter(
        Q(user_id__in=subject.user_ids) | Q(person_key__in=subject.person_keys)
    ),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"user": None},
    keep_reason=_(
        "Stödet är en del av underlaget för ett beslut och räknas till dess att förslaget är "
        "avgjort; kopplingen till kontot tas bort, kontrollsumman gallras enligt gallringsplanen."
    ),
    context=("proposal", "created_at"),
)
pd.not_personal(Event, created_by=pd.STAFF)
