from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.organisation.models import (
    Administration,
    Body,
    BodyMembership,
    Employment,
    Municipality,
    Party,
    Topic,
    Unit,
)

pd.not_personal(
    Municipality,
    name=pd.ORGANISATION,
    email=pd.ORGANISATION,
    phone=pd.ORGANISATION,
    address=pd.ORGANISATION,
    registrar_email=pd.ORGANISATION,
    proposal_support_threshold=pd.NOT_ABOUT_A_PERSON,
)
pd.not_personal(Party, name=pd.ORGANISATION)
pd.not_personal(Body, name=pd.ORGANISATION)
pd.not_personal(Administration, name=pd.ORGANISATION, email=pd.ORGANISATION, phone=pd.ORGANISATION)
pd.not_personal(Unit, name=pd.ORGANISATION, email=pd.ORGANISATION, phone=pd.ORGANISATION)
pd.not_personal(Topic, name=pd.NOT_ABOUT_A_PERSON)

_ROLE = _(
    "Uppdrag och anställningar är offentliga uppgifter om hur kommunen är organiserad; de "
    "ändras när uppdraget eller anställningen upphör."
)
pd.declare(
    BodyMembership,
    kind=_("Förtroendeuppdrag"),
    fields={"person": _("vem som har uppdraget i ett organ")},
    purpose=_("Att visa vem som sitter i nämnder och utskott och ge dem behörighet."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Så länge uppdraget varar."),
    find=lambda subject: BodyMembership.objects.filter(person_id__in=subject.user_ids),
    keep_reason=_ROLE,
)
pd.declare(
    Employment,
    kind=_("Anställningar"),
    fields={"person": _("vem som arbetar i en förvaltning eller enhet")},
    not_personal={"is_contact_person": pd.NOT_ABOUT_A_PERSON},
    purpose=_("Att fördela ärenden och ge anställda behörighet."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Så länge anställningen varar."),
    find=lambda subject: Employment.objects.filter(person_id__in=subject.user_ids),
    keep_reason=_ROLE,
)
