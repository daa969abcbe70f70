from django.utils.translation import gettext_lazy as _

from torget.budget.models import (
    BudgetRound,
    Comment,
    Idea,
    Interest,
    Merge,
    ProgressUpdate,
    VoteMark,
)
from torget.core import personal_data as pd

CLOSED = _("Borttaget namn")

pd.declare(
    Idea,
    kind=_("Idéer i medborgarbudget"),
    fields={"author": _("idégivarens konto"), "shown_name": _("namnet som visas")},
    not_personal={"reviewed_by": pd.STAFF},
    purpose=_("Att ta emot, pröva och visa idéer i medborgarbudgeten."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Idén är en allmän handling och bevaras enligt arkivlagen."),
    find=lambda subject: Idea.objects.filter(author_id__in=subject.user_ids),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"shown_name": CLOSED, "author": None},
    public_record=True,
    keep_reason=_("Idén är en allmän handling och finns kvar; namnet och kontot tas bort."),
    context=("round", "title", "created_at"),
)
pd.declare(
    Comment,
    kind=_("Kommentarer i medborgarbudget"),
    fields={"author": _("kontot som kommenterade"), "shown_name": _("namnet som visas")},
    not_personal={"hidden_by": pd.STAFF},
    purpose=_("Att visa samtalet om idéerna."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Kommentaren är en allmän handling och bevaras enligt arkivlagen."),
    find=lambda subject: Comment.objects.filter(author_id__in=subject.user_ids),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"shown_name": CLOSED, "author": None},
    public_record=True,
    keep_reason=_("Kommentaren är en allmän handling och finns kvar; namnet och kontot tas bort."),
    context=("idea", "text", "created_at"),
)
pd.declare(
    Interest,
    kind=_("Intresse för idéer"),
    fields={"user": _("kontot som visade intresse")},
    purpose=_("Att räkna intresset för en idé, en gång per person."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Så länge budgetomgången pågår."),
    find=lambda subject: Interest.objects.filter(user_id__in=subject.user_ids),
    erasure=pd.Erasure.DELETE,
    context=("idea", "created_at"),
)
pd.declare(
    VoteMark,
    kind=_("Röstmarkeringar i medborgarbudget"),
    fields={
        "person_key": _("kontrollsumma av personnumret, att personen har röstat"),
        "age_band": _("åldersgrupp"),
    },
    purpose=_("Att varje person bara röstar en gång; själva rösten sparas skild från markeringen."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Enligt gallringsplanen: identitetskontroller, när omröstningen är avgjord."),
    find=lambda subject: VoteMark.objects.filter(person_key__in=subject.person_keys),
    keep_reason=_(
        "Markeringen är underlag för att omröstningen gått rätt till och gallras enligt "
        "gallringsplanen. Rösten själv går inte att koppla till personen."
    ),
    context=("round", "marked_on"),
)
pd.not_personal(
    BudgetRound, approved_by_body=pd.STAFF, approved_by_names=pd.STAFF, created_by=pd.STAFF
)
pd.declare(
    Merge,
    kind=_("Samtycken till sammanslagna idéer"),
    fields={
        "source_consent_by": _("namnet på idégivaren som samtyckte"),
        "target_consent_by": _("namnet på idégivaren som samtyckte"),
    },
    not_personal={"proposed_by": pd.STAFF},
    purpose=_("Att visa att idégivarna samtyckte innan deras idéer slogs ihop."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Sammanslagningen är en allmän handling och bevaras med idéerna."),
    keep_reason=_(
        "Samtycket är underlag för ett beslut om idéerna och finns kvar som allmän handling; "
        "det hittas genom idéerna."
    ),
    public_record=True,
)
pd.not_personal(ProgressUpdate, created_by=pd.STAFF)
