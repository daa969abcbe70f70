"""Demo forum: in the school yard dialogue, a web forum open for the method's period, with
an official's starting question, a citizen's own thread with replies and agrees, a
politician's answer with a role badge, a post hidden by a moderator with a public reason,
and an open flag in the moderators' queue."""

import datetime

from django.utils import timezone

from torget.accounts.demo import DEMO_DOMAIN, user_ensure
from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.dialogues.catalogue import WEB_FORUM
from torget.dialogues.models import Dialogue, Method, PlannedMethod
from torget.forum import badges
from torget.forum.models import (
    Agree,
    Flag,
    FlagReason,
    Forum,
    HideReason,
    Post,
    PostStatus,
    Thread,
)

DIALOGUE = "Ny skolgård vid Bergaskolan"
TITLE = "Samtal om den nya skolgården"

# Extra demo citizens who write in the forum and on the map; they cannot log in.
NEIGHBOURS = [
    ("ahmed.berga", "Ahmed Ali"),
    ("lina.berga", "Lina Svensson"),
    ("oskar.berga", "Oskar Nilsson"),
]


def neighbours(context: DemoContext) -> list:  # type: ignore[type-arg]
    return [
        user_ensure(
            context,
            email=f"{local}@{DEMO_DOMAIN}",
            full_name=name,
            role=Role.CITIZEN,
            can_log_in=False,
        )
        for local, name in NEIGHBOURS
    ]


def _planned_method(dialogue: Dialogue, code: str, note: str) -> PlannedMethod:
    method = dialogue.methods.filter(method__code=code).first()
    if method is not None:
        return method
    today = timezone.localdate()
    # The plan was approved before the forum existed in the demo: the method joins it.
    return PlannedMethod.objects.create(
        dialogue=dialogue,
        method=Method.objects.get(code=code),
        order=dialogue.methods.count() + 1,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=40),
        note=note,
    )


def _badge(user) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    found = badges.badges_for(user)
    return (found[0].kind, found[0].label) if found else ("", "")


@demo.register("forum", after=["accounts", "organisation", "dialogues"])
def load(context: DemoContext) -> None:
    dialogue = Dialogue.objects.filter(title=DIALOGUE).first()
    if dialogue is None or Forum.objects.filter(dialogue=dialogue, title=TITLE).exists():
        return
    official = context.users[Role.OFFICIAL]
    elected = context.users[Role.ELECTED]
    maja = context.users[Role.CITIZEN]
    ahmed, lina, oskar = neighbours(context)
    method = _planned_method(
        dialogue, WEB_FORUM, "Ett webbforum under dialogens period, för dem som inte kan komma."
    )
    forum = Forum.objects.create(
        dialogue=dialogue,
        planned_method=method,
        title=TITLE,
        intro=(
            "Här kan du samtala med andra, med politikerna och med förvaltningen om vad som "
            "ska finnas på den nya skolgården. Starta gärna en egen tråd."
        ),
        participants=(
            "Filip Förtroendevald (kommunstyrelsen) svarar på tisdagar och torsdagar till "
            "och med att forumet stänger. Tove Tjänsteperson (kommunledningsförvaltningen) "
            "svarar på frågor om hur arbetet går till."
        ),
        created_by=official,
    )
    now = timezone.now()
    context.changes += 1

    def write(thread: Thread, author, text: str, *, minutes: int, **values) -> Post:  # type: ignore[no-untyped-def]
        kind, label = _badge(author) if author.is_staff else ("", "")
        # Staff answer under their full name and badge; citizens as "first name, area".
        shown = author.full_name if author.is_staff else f"{author.display_name}, Berga"
        values.setdefault("shown_name", shown)
        post = Post.objects.create(
            thread=thread,
            author=author,
            text=text,
            badge_kind=kind,
            badge=label,
            created_at=now - datetime.timedelta(minutes=minutes),
            **values,
        )
        return post

    def start(title: str, author, text: str, *, minutes: int, question: bool = False) -> Thread:  # type: ignore[no-untyped-def]
        thread = Thread.objects.create(
            forum=forum,
            title=title,
            started_by=author,
            is_starting_question=question,
            created_at=now - datetime.timedelta(minutes=minutes),
        )
        write(thread, author, text, minutes=minutes, is_opening=True)
        return thread

    question = start(
        "Vad saknar du mest på skolgården i dag?",
        official,
        "Berätta vad du saknar, och varför. Vi samlar svaren till arkitekten.",
        minutes=60 * 24 * 6,
        question=True,
    )
    first = write(
        question,
        maja,
        "Skugga! Det finns inga träd vid sandlådan, och på sommaren är det för varmt.",
        minutes=60 * 24 * 5,
    )
    write(
        question,
        elected,
        "Tack, Maja. Träd och skugga finns med i uppdraget till arkitekten. Vi vill veta var "
        "skuggan behövs mest, så markera gärna på dialogens karta.",
        minutes=60 * 24 * 4,
        parent=first,
    )
    write(
        question,
        ahmed,
        "En plan för fotboll som inte är grus. Och fler bänkar för oss föräldrar.",
        minutes=60 * 24 * 3,
    )
    own = start(
        "Cykelställ med tak",
        lina,
        "Många cyklar till skolan men cyklarna blir blöta. Kan det bli cykelställ med tak?",
        minutes=60 * 24 * 2,
    )
    agreed = write(
        own,
        oskar,
        "Ja, och gärna nära ingången så att det känns tryggt.",
        minutes=60 * 24,
        quote_text="Kan det bli cykelställ med tak?",
    )
    hidden = write(
        own,
        ahmed,
        "[Dolt inlägg i demodata: ett personangrepp mot en annan skribent.]",
        minutes=60 * 20,
        status=PostStatus.HIDDEN,
        hidden_reason=HideReason.PERSONAL_ATTACK,
        hidden_at=now - datetime.timedelta(hours=19),
        hidden_by=official,
    )
    flagged = write(
        own,
        oskar,
        "Det här är ju bara slöseri med skattepengar, som vanligt.",
        minutes=60 * 3,
    )
    Flag.objects.create(
        post=flagged,
        reason=FlagReason.OFF_TOPIC,
        note="Handlar inte om skolgården.",
        flagged_by=lina,
        created_at=now - datetime.timedelta(hours=2),
    )
    for post, people in ((first, [ahmed, lina, oskar]), (agreed, [lina, maja])):
        for person in people:
            Agree.objects.create(post=post, user=person)
        Post.objects.filter(pk=post.pk).update(agree_count=len(people))
    for thread in (question, own):
        visible = thread.posts.filter(status=PostStatus.PUBLISHED)
        Thread.objects.filter(pk=thread.pk).update(
            post_count=visible.count(),
            agree_count=sum(p.agree_count for p in Post.objects.filter(thread=thread)),
            last_post_at=visible.order_by("-created_at").values_list("created_at", flat=True)[0],
        )
    del hidden
