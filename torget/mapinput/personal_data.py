from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.mapinput.models import Agree, Category, Comment, Map, Point

CLOSED = _("Borttaget namn")

pd.declare(
    Point,
    kind=_("Markeringar på kartor"),
    fields={
        "author": _("kontot som markerade"),
        "shown_name": _("namnet som visas"),
        "address": _("adress nära markeringen, som kan vara någons bostad"),
        "ip_hash": _("kontrollsumma av IP-adressen, mot missbruk"),
        "age_band": _("åldersgrupp"),
    },
    not_personal={"hidden_by": pd.STAFF},
    purpose=_("Att samla in synpunkter på platser i dialogen."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Markeringen är en allmän handling och bevaras enligt arkivlagen."),
    find=lambda subject: Point.objects.filter(author_id__in=subject.user_ids),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"shown_name": CLOSED, "ip_hash": "", "age_band": ""},
    public_record=True,
    keep_reason=_("Markeringen är en allmän handling och finns kvar; namnet som visas tas bort."),
    context=("map", "comment", "created_at"),
)
pd.declare(
    Comment,
    kind=_("Kommentarer på kartor"),
    fields={
        "author": _("kontot som kommenterade"),
        "shown_name": _("namnet som visas"),
        "ip_hash": _("kontrollsumma av IP-adressen, mot missbruk"),
    },
    not_personal={"hidden_by": pd.STAFF},
    purpose=_("Att samla in synpunkter på platser i dialogen."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Kommentaren är en allmän handling och bevaras enligt arkivlagen."),
    find=lambda subject: Comment.objects.filter(author_id__in=subject.user_ids),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"shown_name": CLOSED, "ip_hash": ""},
    public_record=True,
    keep_reason=_("Kommentaren är en allmän handling och finns kvar; namnet som visas tas bort."),
    context=("point", "text", "created_at"),
)
pd.declare(
    Agree,
    kind=_("Håller med på kartor"),
    fields={"user": _("kontot som höll med")},
    purpose=_("Att räkna hur många som håller med, en gång per person."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Så länge markeringen finns."),
    find=lambda subject: Agree.objects.filter(user_id__in=subject.user_ids),
    erasure=pd.Erasure.DELETE,
    context=("point", "created_at"),
)
pd.not_personal(Map, created_by=pd.STAFF)
pd.not_personal(Category, name=pd.NOT_ABOUT_A_PERSON)
