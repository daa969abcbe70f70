from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from torget.consultations.models import Choice, Consultation
from torget.consultations.selectors import email_key, person_hash
from torget.core import personal_data as pd


def _choices(subject: pd.Subject) -> "QuerySet[Choice]":
    # Stored per consultation under a keyed hash (consultations.selectors.person_hash).
    keys = [*subject.person_keys, *[email_key(email) for email in subject.emails]]
    hashes = [
        person_hash(consultation, key)
        for consultation in Consultation.objects.only("pk")
        for key in keys
    ]
    return Choice.objects.filter(person_hash__in=hashes)


pd.declare(
    Choice,
    kind=_("Val i samråd"),
    fields={
        "person_hash": _("kontrollsumma så att varje person väljer en gång"),
        "comment": _("kommentar"),
        "age_band": _("åldersgrupp"),
        "area": _("område"),
    },
    purpose=_("Att räkna valen, en gång per person, och redovisa dem per åldersgrupp och område."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Enligt gallringsplanen: svar i samråd, när samrådet har avslutats."),
    find=_choices,
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"comment": ""},
    keep_reason=_(
        "Valet räknas i samrådets resultat och finns kvar; kommentaren tas bort. Kontrollsumman "
        "går inte att läsa tillbaka till en person."
    ),
    context=("consultation", "alternative", "chosen_on"),
)
pd.not_personal(
    Consultation,
    approved_by_body=pd.STAFF,
    approved_by_names=pd.STAFF,
    approval_recorded_by=pd.STAFF,
    published_by=pd.STAFF,
    created_by=pd.STAFF,
)
