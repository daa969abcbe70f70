from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.feedback.models import (
    ApiClient,
    Case,
    CaseStatus,
    CaseUpdate,
    Category,
    ReplyChannel,
    ReplyTemplate,
)

pd.declare(
    Case,
    kind=_("Synpunkter och felanmälningar"),
    fields={
        "reporter": _("anmälarens konto"),
        "reporter_name": _("anmälarens namn"),
        "reporter_email": _("anmälarens e-postadress"),
        "reporter_phone": _("anmälarens telefonnummer"),
        "address": _("platsen, som kan vara någons bostad"),
    },
    not_personal={
        "assignee": pd.STAFF,
        "respond_by": pd.NOT_ABOUT_A_PERSON,
    },
    purpose=_("Att handlägga ärendet och svara den som skrev på det sätt hen valt."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_(
        "Ärendet är en allmän handling; kontaktuppgifterna gallras enligt gallringsplanen för "
        "anmälares kontaktuppgifter när ärendet har avslutats."
    ),
    find=lambda subject: Case.objects.filter(
        Q(reporter_id__in=subject.user_ids)
        | subject.email_q("reporter_email")
        | Q(reporter_phone__in=subject.phones)
    ),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={
        "reporter": None,
        "reporter_name": "",
        "reporter_email": "",
        "reporter_phone": "",
        "reply_channel": ReplyChannel.NONE,
    },
    public_record=True,
    keep_reason=_(
        "Ärendet är en allmän handling och finns kvar; anmälarens namn och kontaktuppgifter "
        "tas bort, så kommunen kan inte längre svara."
    ),
    context=("number", "kind", "created_at"),
)
pd.not_personal(CaseUpdate, author=pd.STAFF)
pd.not_personal(Category, name=pd.NOT_ABOUT_A_PERSON)
pd.not_personal(CaseStatus, name=pd.NOT_ABOUT_A_PERSON)
pd.not_personal(ReplyTemplate, name=pd.NOT_ABOUT_A_PERSON)
pd.not_personal(ApiClient, name=pd.ORGANISATION, contact_email=pd.ORGANISATION)
