from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.surveys.logic import person_hash
from torget.surveys.models import (
    AnswerTag,
    Participation,
    QuestionVersion,
    Response,
    SmsConversation,
    Survey,
)


def _participations(subject: pd.Subject) -> "QuerySet[Participation]":
    # The mark is per survey (surveys.logic.person_hash), so it is looked for survey by survey.
    keys = [*subject.person_keys, *[f"e-post:{email}" for email in subject.emails]]
    hashes = [person_hash(survey, key) for survey in Survey.objects.only("pk") for key in keys]
    return Participation.objects.filter(person_hash__in=hashes)


pd.declare(
    Participation,
    kind=_("Deltagande i enkäter"),
    fields={"person_hash": _("kontrollsumma som visar att personen har svarat")},
    purpose=_("Att varje person bara ska kunna svara en gång."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Enligt gallringsplanen: enkäters kontaktuppgifter, när enkäten har stängt."),
    find=_participations,
    keep_reason=_(
        "Markeringen säger bara att personen har svarat, inte vad; den behövs så länge enkäten "
        "är öppen och gallras enligt gallringsplanen. Svaren själva går inte att koppla till "
        "personen."
    ),
    context=("survey",),
)
pd.declare(
    Response,
    kind=_("Enkätsvar med bakgrundsfrågor"),
    fields={
        "age_band": _("åldersgrupp"),
        "gender": _("kön"),
        "area": _("område"),
        "target_groups": _("målgrupper personen säger sig tillhöra"),
    },
    not_personal={"entered_by": pd.STAFF},
    purpose=_("Att se vilka som har svarat, så att fler grupper kan nås."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Enligt gallringsplanen: enkätsvar."),
    keep_reason=_(
        "Svaren lämnas utan namn och sparas utan koppling till den som svarade, så de går inte "
        "att hitta för en viss person."
    ),
)
pd.declare(
    SmsConversation,
    kind=_("Enkäter via sms"),
    fields={"phone": _("mobilnummer")},
    purpose=_("Att skicka frågorna och ta emot svaren via sms."),
    basis=pd.Basis.CONSENT,
    retention=_("Enligt gallringsplanen: sms-nummer, när enkäten har stängt."),
    find=lambda subject: SmsConversation.objects.filter(Q(phone__in=subject.phones)),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"phone": ""},
    keep_reason=_("Svaren finns kvar utan koppling till numret."),
    context=("survey", "created_at"),
)
pd.not_personal(Survey, created_by=pd.STAFF)
pd.not_personal(QuestionVersion, replaced_by=pd.STAFF)
pd.not_personal(AnswerTag, name=pd.NOT_ABOUT_A_PERSON)
