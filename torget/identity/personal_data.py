from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.identity.models import Resident, ResidentImport, Verification

pd.declare(
    Verification,
    kind=_("Identitetskontroller"),
    fields={
        "user": _("kontot som styrkte sin identitet"),
        "person_key": _("kontrollsumma av personnumret (aldrig personnumret i klartext)"),
        "birth_date": _("födelsedatum, för åldersgränser"),
    },
    not_personal={"registered_by": pd.STAFF},
    purpose=_(
        "Att en person bara ska kunna stödja ett förslag eller rösta en gång, och att "
        "åldersgränser och folkbokföring ska kunna kontrolleras."
    ),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Enligt gallringsplanen: identitetskontroller, när förslaget är avgjort."),
    find=lambda subject: Verification.objects.filter(
        Q(user_id__in=subject.user_ids) | Q(person_key__in=subject.person_keys)
    ),
    keep_reason=_(
        "Kontrollen är underlaget för ett stöd eller en röst som räknats; den gallras enligt "
        "gallringsplanen, inte på begäran."
    ),
    context=("method", "verified_at"),
)
pd.declare(
    Resident,
    kind=_("Folkbokförda i kommunen"),
    fields={"person_key": _("kontrollsumma av personnumret")},
    purpose=_("Att kontrollera att den som stödjer ett förslag bor i kommunen."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Ersätts vid nästa inläsning av folkbokföringen."),
    find=lambda subject: Resident.objects.filter(person_key__in=subject.person_keys),
    keep_reason=_("En uppgift ur folkbokföringen som ersätts vid nästa inläsning."),
)
pd.not_personal(ResidentImport, imported_by=pd.STAFF)
