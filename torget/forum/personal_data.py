from django.utils.translation import gettext_lazy as _

from torget.core import personal_data as pd
from torget.forum.models import Agree, Ban, Flag, Forum, Post, Tag, Thread

CLOSED = _("Borttaget namn")

pd.declare(
    Post,
    kind=_("Inlägg i forum"),
    fields={
        "author": _("skribentens konto"),
        "shown_name": _("namnet som visas vid inlägget"),
        "ip_hash": _("kontrollsumma av IP-adressen, mot missbruk"),
    },
    not_personal={"hidden_by": pd.STAFF},
    purpose=_("Att visa vem som skrev vad i dialogen och kunna stoppa missbruk."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Inläggen är allmänna handlingar; forumkonton gallras enligt gallringsplanen."),
    find=lambda subject: Post.objects.filter(author_id__in=subject.user_ids),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"shown_name": CLOSED, "ip_hash": ""},
    public_record=True,
    keep_reason=_("Inlägget är en allmän handling och finns kvar; namnet som visas tas bort."),
    context=("thread", "text", "created_at"),
)
pd.declare(
    Agree,
    kind=_("Håller med i forum"),
    fields={"user": _("kontot som höll med")},
    purpose=_("Att räkna hur många som håller med, en gång per person."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Så länge inlägget finns."),
    find=lambda subject: Agree.objects.filter(user_id__in=subject.user_ids),
    erasure=pd.Erasure.DELETE,
    context=("post", "created_at"),
)
pd.declare(
    Flag,
    kind=_("Anmälda inlägg"),
    fields={"flagged_by": _("kontot som anmälde inlägget")},
    not_personal={"handled_by": pd.STAFF},
    purpose=_("Att moderatorerna ska kunna pröva anmälan."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Enligt gallringsplanen: forumkonton."),
    find=lambda subject: Flag.objects.filter(flagged_by_id__in=subject.user_ids),
    erasure=pd.Erasure.ANONYMISE,
    anonymise={"flagged_by": None},
    context=("post", "reason", "created_at"),
)
pd.declare(
    Ban,
    kind=_("Avstängningar från forum"),
    fields={"user": _("kontot som stängts av")},
    not_personal={"created_by": pd.STAFF},
    purpose=_("Att hindra den som brutit mot reglerna från att skriva under en tid."),
    basis=pd.Basis.PUBLIC_TASK,
    retention=_("Enligt gallringsplanen: forumkonton."),
    find=lambda subject: Ban.objects.filter(user_id__in=subject.user_ids),
    keep_reason=_(
        "Ett beslut om avstängning är en allmän handling och underlag om beslutet ifrågasätts."
    ),
    public_record=True,
    context=("until", "reason", "created_at"),
)
pd.not_personal(Forum, created_by=pd.STAFF)
pd.not_personal(Thread, started_by=_("Trådens första inlägg visar vem som startade den."))
pd.not_personal(Tag, name=pd.NOT_ABOUT_A_PERSON)
