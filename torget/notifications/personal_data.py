from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.notifications.models import Delivery, PhoneCode, SmsStop, Subscription
from torget.notifications.selectors import phone_hash


def _subscriptions(subject: pd.Subject) -> "QuerySet[Subscription]":
    return Subscription.objects.filter(
        Q(user_id__in=subject.user_ids) | subject.email_q("email") | Q(phone__in=subject.phones)
    )


pd.declare(
    Subscription,
    kind=_("Prenumerationer"),
    fields={
        "user": _("kontot som prenumererar"),
        "email": _("e-postadress"),
        "phone": _("mobilnummer för sms"),
        "by_email": _("om aviseringar ska komma med e-post"),
        "by_sms": _("om aviseringar ska komma med sms"),
        "phone_confirmed_at": _("när mobilnumret bekräftades"),
    },
    purpose=_("Att skicka de aviseringar du själv har bett om."),
    basis=pd.Basis.CONSENT,
    retention=_("Tills du avslutar prenumerationen (gallringsplanen: sms-nummer)."),
    find=_subscriptions,
    erasure=pd.Erasure.DELETE,
    context=("created_at",),
)
pd.declare(
    PhoneCode,
    kind=_("Koder för att bekräfta mobilnummer"),
    fields={"phone": _("mobilnumret koden skickades till")},
    purpose=_("Att bekräfta att mobilnumret är ditt innan vi skickar sms."),
    basis=pd.Basis.CONSENT,
    retention=_("Tas bort med prenumerationen; koden gäller en kort stund."),
    find=lambda subject: PhoneCode.objects.filter(
        Q(phone__in=subject.phones) | Q(subscription__in=_subscriptions(subject))
    ),
    erasure=pd.Erasure.DELETE,
    context=("created_at",),
)
pd.declare(
    SmsStop,
    kind=_("Spärrlista för sms"),
    fields={"phone_hash": _("kontrollsumma av ett mobilnummer som har svarat STOPP")},
    purpose=_("Att aldrig mer skicka sms till ett nummer som har bett oss sluta."),
    basis=pd.Basis.LEGAL_OBLIGATION,
    retention=_("Så länge tjänsten skickar sms; numret sparas bara som kontrollsumma."),
    find=lambda subject: SmsStop.objects.filter(
        phone_hash__in=[phone_hash(phone) for phone in subject.phones]
    ),
    keep_reason=_(
        "Spärren är till för personen: tas den bort kan numret få sms igen. Numret finns bara "
        "som kontrollsumma."
    ),
    context=("created_at",),
)
pd.declare(
    Delivery,
    kind=_("Skickade aviseringar"),
    fields={
        "user": _("mottagarens konto"),
        "to": _("adress eller nummer som meddelandet gick till"),
    },
    not_personal={"claimed_by": pd.SYSTEM},
    purpose=_(
        "Att skicka meddelanden, försöka igen när de inte gått fram och kunna visa att de skickats."
    ),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Enligt gallringsplanen för leveransposter."),
    find=lambda subject: Delivery.objects.filter(
        Q(user_id__in=subject.user_ids) | Q(to__in=subject.emails | subject.phones)
    ),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"user": None, "to": ""},
    context=("channel", "status", "created_at", "sent_at"),
)
