"""The staff side of the forums: setting a forum up for a planned method of the dialogue, its
summary (published on the forum's page, for feedback point 2), and taking posts into the
results: tags, picked quotes, and a post or a thread turned into a result item of one of the
three kinds (seed 000), with the link kept both ways we can (Post/Thread.result_item, and the
item's description links back to the post).

Every change is audited. Moderation itself is in moderation.py.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.dialogues.models import Dialogue, PlannedMethod
from torget.dialogues.permissions import can_work_with
from torget.forum.models import Forum, Identification, Moderation, Post, PostStatus, Tag, Thread
from torget.forum.permissions import can_manage
from torget.results import services as results
from torget.results.models import Kind, ResultItem

FIELDS = (
    "title",
    "intro",
    "planned_method",
    "citizens_may_start",
    "identification",
    "moderation",
    "participants",
)
# The three kinds of seed 000 a forum post can become (a citizen proposal has its own way in).
RESULT_KINDS = (Kind.PARTY_POLITICAL, Kind.COMMITTEE, Kind.SIMPLE)
DESCRIPTION_MAX = 4000  # ResultItem.description


def forum_methods(dialogue: Dialogue) -> QuerySet[PlannedMethod]:
    """The planned methods a forum can belong to: the dialogue's own."""
    return PlannedMethod.objects.filter(dialogue=dialogue).select_related("method")


def _require_manager(actor: Actor, forum: Forum) -> None:
    if not can_manage(actor, forum):
        raise PermissionDenied(_("Bara de som arbetar med dialogen kan ändra forumet."))


def _clean(values: dict[str, Any], dialogue: Dialogue) -> dict[str, Any]:
    values = dict(values)
    for name in ("title", "intro", "participants"):
        if name in values:
            values[name] = str(values[name] or "").strip()
    errors: dict[str, str] = {}
    if "title" in values and not values["title"]:
        errors["title"] = _("Skriv en rubrik för forumet.")
    method = values.get("planned_method")
    if "planned_method" in values:
        if method is None:
            errors["planned_method"] = _("Välj vilken metod i dialogens plan forumet hör till.")
        elif method.dialogue_id != dialogue.pk:
            errors["planned_method"] = _("Metoden hör till en annan dialog.")
    if values.get("identification", Identification.EMAIL) not in Identification.values:
        errors["identification"] = _("Välj vem som får skriva.")
    if values.get("moderation", Moderation.POST) not in Moderation.values:
        errors["moderation"] = _("Välj hur forumet modereras.")
    if errors:
        raise ValidationError(errors)
    return values


def _audit_value(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


@transaction.atomic
def forum_create(
    *,
    dialogue: Dialogue,
    actor: Actor,
    title: str,
    planned_method: PlannedMethod | None,
    intro: str = "",
    citizens_may_start: bool = True,
    identification: str = Identification.EMAIL,
    moderation: str = Moderation.POST,
    participants: str = "",
) -> Forum:
    """A forum for one planned method of the dialogue, open for that method's period."""
    if not can_work_with(actor, dialogue):
        raise PermissionDenied(_("Bara de som arbetar med dialogen kan skapa ett forum."))
    values = _clean(
        {
            "title": title,
            "intro": intro,
            "planned_method": planned_method,
            "citizens_may_start": citizens_may_start,
            "identification": identification,
            "moderation": moderation,
            "participants": participants,
        },
        dialogue,
    )
    forum = Forum(dialogue=dialogue, created_by=user_or_none(actor), **values)
    forum.full_clean()
    forum.save()
    audit.record(
        actor=actor,
        action="forum.created",
        obj=forum,
        changes={name: _audit_value(values[name]) for name in FIELDS} | {"dialogue": dialogue.pk},
    )
    return forum


@transaction.atomic
def forum_update(*, forum: Forum, actor: Actor, **values: Any) -> Forum:
    """Change a forum's settings; what changed is in the audit log."""
    _require_manager(actor, forum)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"forum_update: unknown fields {sorted(unknown)}")
    values = _clean(values, forum.dialogue)
    before = {name: _audit_value(getattr(forum, name)) for name in values}
    for name, value in values.items():
        setattr(forum, name, value)
    forum.full_clean()
    forum.save()
    after = {name: _audit_value(value) for name, value in values.items()}
    audit.record(actor=actor, action="forum.updated", obj=forum, changes=audit.diff(before, after))
    return forum


# --- The summary (feedback point 2) ------------------------------------------------------------


def _summary_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"summary": _("Skriv sammanfattningen.")})
    return text


@transaction.atomic
def summary_save(*, forum: Forum, actor: Actor, text: str) -> Forum:
    """Save the summary as a draft; once published, a saved change is public at once."""
    _require_manager(actor, forum)
    forum.summary = _summary_text(text)
    forum.full_clean()
    forum.save(update_fields=["summary", "updated_at"])
    audit.record(
        actor=actor,
        action="forum.summary_saved",
        obj=forum,
        changes={"published": forum.summary_published_at is not None},
    )
    return forum


@transaction.atomic
def summary_publish(*, forum: Forum, actor: Actor, text: str) -> Forum:
    """Publish the forum's summary on its page: what came out of the conversation, for the
    dialogue's feedback to the participants (feedback point 2). The first time, the summary
    is recorded as one of the dialogue's results too (`results.item_create`), as a
    consultation's result is, so it goes into the dialogue's summary."""
    _require_manager(actor, forum)
    forum.summary = _summary_text(text)
    first = forum.summary_published_at is None
    forum.summary_published_at = timezone.now()
    forum.full_clean()
    forum.save(update_fields=["summary", "summary_published_at", "updated_at"])
    if first:
        results.item_create(
            dialogue=forum.dialogue,
            actor=actor,
            title=_("Forumets sammanfattning: %(title)s") % {"title": forum.title},
            description=forum.summary,
        )
    audit.record(
        actor=actor,
        action="forum.summary_published",
        obj=forum,
        changes={"first": first, "length": len(forum.summary)},
    )
    return forum


# --- Into the results --------------------------------------------------------------------------


def _require_published(post: Post) -> None:
    if post.status != PostStatus.PUBLISHED:
        raise ValidationError(
            _("Bara publicerade inlägg kan tas med i resultaten."), code="not_published"
        )


@transaction.atomic
def tag_add(*, forum: Forum, actor: Actor, name: str) -> Tag:
    """A tag of the forum (free text); an existing one of the same name is reused."""
    _require_manager(actor, forum)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Skriv en etikett.")})
    if len(name) > 60:
        raise ValidationError({"name": _("En etikett får vara högst 60 tecken.")})
    tag = Tag.objects.filter(forum=forum, name__iexact=name).first()
    if tag is not None:
        return tag
    tag = Tag(forum=forum, name=name)
    tag.full_clean()
    tag.save()
    audit.record(actor=actor, action="forum.tag_created", obj=forum, changes={"tag": name})
    return tag


@transaction.atomic
def post_tag(*, post: Post, actor: Actor, name: str) -> Tag:
    forum = post.thread.forum
    _require_manager(actor, forum)
    _require_published(post)
    tag = tag_add(forum=forum, actor=actor, name=name)
    post.tags.add(tag)
    audit.record(actor=actor, action="forum.post_tagged", obj=post, changes={"tag": tag.name})
    return tag


@transaction.atomic
def post_untag(*, post: Post, actor: Actor, tag: Tag) -> None:
    _require_manager(actor, post.thread.forum)
    if tag.forum_id != post.thread.forum_id or not post.tags.filter(pk=tag.pk).exists():
        raise ValidationError({"tag": _("Inlägget har inte den etiketten.")})
    post.tags.remove(tag)
    audit.record(actor=actor, action="forum.post_untagged", obj=post, changes={"tag": tag.name})


@transaction.atomic
def quote_pick(*, post: Post, actor: Actor, picked: bool = True) -> Post:
    """Pick (or put back) a post as a quote for the results."""
    _require_manager(actor, post.thread.forum)
    if picked:
        _require_published(post)
    if post.is_picked_quote == picked:
        return post
    post.is_picked_quote = picked
    post.save(update_fields=["is_picked_quote"])
    audit.record(
        actor=actor,
        action="forum.quote_picked" if picked else "forum.quote_unpicked",
        obj=post,
    )
    return post


def _description(text: str, link: str) -> str:
    link_line = _("Från forumet: %(url)s") % {"url": settings.SITE_URL + link}
    room = DESCRIPTION_MAX - len(link_line) - 2
    body = text.strip()
    if len(body) > room:
        body = body[: room - 1].rstrip() + "…"
    return f"{body}\n\n{link_line}"


def _check_kind(kind: str, politician: Any) -> None:
    if kind not in RESULT_KINDS:
        raise ValidationError({"kind": _("Välj en av de tre typerna.")})
    if kind == Kind.PARTY_POLITICAL and politician is None:
        raise ValidationError(
            {"politician": _("Välj den förtroendevalda som ska lyfta frågan politiskt.")}
        )


@transaction.atomic
def post_to_result_item(
    *, post: Post, actor: Actor, kind: str, title: str = "", politician: Any = None
) -> ResultItem:
    """Gör till resultatpunkt: the post becomes a result item of the dialogue, its text and a
    link to it as the description; the post keeps the link to the item."""
    forum = post.thread.forum
    _require_manager(actor, forum)
    post = Post.objects.select_for_update().select_related("thread__forum").get(pk=post.pk)
    _require_published(post)
    if post.result_item_id is not None:
        raise ValidationError(_("Inlägget är redan en resultatpunkt."), code="already")
    _check_kind(kind, politician)
    item = results.item_create(
        dialogue=forum.dialogue,
        actor=actor,
        title=(title or "").strip() or post.thread.title,
        description=_description(post.text, post.get_absolute_url()),
        kind=kind,
        politician=politician if kind == Kind.PARTY_POLITICAL else None,
    )
    post.result_item = item
    post.save(update_fields=["result_item"])
    audit.record(
        actor=actor,
        action="forum.post_to_result",
        obj=post,
        changes={"result_item": item.pk, "kind": kind},
    )
    return item


@transaction.atomic
def thread_to_result_item(
    *, thread: Thread, actor: Actor, kind: str, title: str = "", politician: Any = None
) -> ResultItem:
    """A whole thread becomes a result item (its opening post's text, and a link to it)."""
    _require_manager(actor, thread.forum)
    thread = Thread.objects.select_for_update().select_related("forum").get(pk=thread.pk)
    if thread.result_item_id is not None:
        raise ValidationError(_("Tråden är redan en resultatpunkt."), code="already")
    opening = thread.posts.filter(is_opening=True).first()
    if opening is None or opening.status != PostStatus.PUBLISHED:
        raise ValidationError(
            _("Bara publicerade trådar kan tas med i resultaten."), code="not_published"
        )
    _check_kind(kind, politician)
    item = results.item_create(
        dialogue=thread.forum.dialogue,
        actor=actor,
        title=(title or "").strip() or thread.title,
        description=_description(opening.text, thread.get_absolute_url()),
        kind=kind,
        politician=politician if kind == Kind.PARTY_POLITICAL else None,
    )
    thread.result_item = item
    thread.save(update_fields=["result_item"])
    audit.record(
        actor=actor,
        action="forum.thread_to_result",
        obj=opening,
        changes={"result_item": item.pk, "kind": kind, "thread": thread.pk},
    )
    return item
