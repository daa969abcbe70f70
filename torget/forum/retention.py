"""The forum's record kinds in the retention plan (gallringsplan, torget.core.retention).

Posts are public records (allmänna handlingar) and stay. When an account is closed its posts
show "Avslutat konto" at once (ForumConfig.on_account_closed); after the plan's period the
rest that ties the posts to the person goes: the address hash and the person's agree marks
(the counts on the posts stay). The address hash of any post is needed only for the
per-address limits, so it goes after a shorter period."""

import datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from torget.core import retention
from torget.forum.models import Agree, Post


def apply_closed_accounts(*, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    closed = {"author__closed_at__lt": cutoff}
    shown = gettext("Avslutat konto")
    posts = Post.objects.filter(**closed).exclude(ip_hash="", shown_name=shown)
    agrees = Agree.objects.filter(user__closed_at__lt=cutoff)
    if dry_run:
        return {"posts": posts.count(), "agrees": agrees.count()}
    return {
        "posts": posts.update(ip_hash="", shown_name=shown),
        "agrees": agrees.delete()[0],
    }


def apply_ip_hashes(*, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    rows = Post.objects.filter(created_at__lt=cutoff).exclude(ip_hash="")
    return {"posts": rows.count() if dry_run else rows.update(ip_hash="")}


retention.register(
    retention.RecordKind(
        key="forum.closed_accounts",
        name=_("Forumkonton som har avslutats"),
        description=_(
            "Inläggen är allmänna handlingar och finns kvar under namnet ”Avslutat konto”. "
            "Det som knyter dem till personen tas bort, liksom personens instämmanden."
        ),
        default=retention.Period(1, "months"),
        action=retention.Action.CLEAR,
        counts_from=_("när kontot avslutades"),
        apply=apply_closed_accounts,
        public_records=True,
        order=80,
    )
)
retention.register(
    retention.RecordKind(
        key="forum.ip_hashes",
        name=_("Spår av IP-adresser i foruminlägg"),
        description=_(
            "En krypterad spärr mot för många inlägg från samma adress. Inlägget finns kvar."
        ),
        default=retention.Period(3, "months"),
        action=retention.Action.CLEAR,
        counts_from=_("när inlägget skrevs"),
        apply=apply_ip_hashes,
        public_records=True,
        order=85,
    )
)
