"""The forum's staff pages: setting a forum up, its overview, its summary, a thread as staff
see it (every post, hidden and waiting ones too, with the moderation and results steps per
post and each post's audit trail), the moderators' queue and the posting bans; and the
forum's section on the dialogue's staff page. Views parse a form, call one service, and
redirect with a message."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.accounts.selectors import elected_officials
from torget.accounts.types import Actor
from torget.audit.models import AuditEntry
from torget.audit.selectors import audit_log_rows
from torget.core.actions import Action, action_or_404, handle_action_post
from torget.core.forms import apply_service_errors
from torget.core.richtext import plain_to_html
from torget.dialogues import selectors as dialogue_selectors
from torget.dialogues.models import Dialogue
from torget.forum import moderation, staff_forms, staff_services
from torget.forum.models import Ban, Flag, FlagOutcome, Forum, Post, PostStatus, Thread
from torget.forum.permissions import can_manage, can_moderate

QUEUE_PAGE_SIZE = 25
THREADS_PAGE_SIZE = 50

# What each entry of a forum's, a post's or a ban's audit log means on these pages.
AUDIT_ACTIONS = {
    "forum.created": gettext_lazy("Forumet skapades"),
    "forum.updated": gettext_lazy("Forumets inställningar ändrades"),
    "forum.summary_saved": gettext_lazy("Sammanfattningen sparades"),
    "forum.summary_published": gettext_lazy("Sammanfattningen publicerades"),
    "forum.tag_created": gettext_lazy("Etikett skapad"),
    "forum.flagged": gettext_lazy("Inlägget flaggades"),
    "forum.post_hidden": gettext_lazy("Inlägget doldes av moderator"),
    "forum.post_approved": gettext_lazy("Inlägget godkändes och publicerades"),
    "forum.flags_kept": gettext_lazy("Flaggningarna hanterades: inlägget får stå kvar"),
    "forum.author_banned": gettext_lazy("Skribenten stängdes av"),
    "forum.ban_added": gettext_lazy("Avstängning"),
    "forum.ban_lifted": gettext_lazy("Avstängningen hävdes"),
    "forum.post_tagged": gettext_lazy("Etikett satt"),
    "forum.post_untagged": gettext_lazy("Etikett borttagen"),
    "forum.quote_picked": gettext_lazy("Valt som citat"),
    "forum.quote_unpicked": gettext_lazy("Inte längre valt som citat"),
    "forum.post_to_result": gettext_lazy("Inlägget blev resultatpunkt"),
    "forum.thread_to_result": gettext_lazy("Tråden blev resultatpunkt"),
}


# --- The dialogue's staff page -----------------------------------------------------------------


def staff_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """ "Webbforum" on the dialogue's staff page: its forums with what waits for a
    moderator, the queue, and a new forum for those who work with the dialogue."""
    forums = list(
        Forum.objects.filter(dialogue=dialogue)
        .select_related("planned_method__method")
        .annotate(
            thread_count=Count("threads", distinct=True),
            waiting=Count(
                "threads__posts",
                filter=Q(threads__posts__status=PostStatus.PENDING)
                | Q(threads__posts__flags__outcome=FlagOutcome.OPEN),
                distinct=True,
            ),
        )
        .order_by("created_at", "pk")
    )
    can_work = dialogue_selectors.can_work_with(request.user, dialogue)
    return render_to_string(
        "forum/staff/_section.html",
        {"dialogue": dialogue, "forums": forums, "can_work": can_work},
        request=request,
    )


# --- Setting up --------------------------------------------------------------------------------


def _form_values(form: Any) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in staff_services.FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = dialogue_selectors.access_dialogue_for_work(request.user, pk)
    form = staff_forms.ForumForm(
        request.POST or None,
        dialogue=dialogue,
        initial={"citizens_may_start": True, "identification": "e-post", "moderation": "efter"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            forum = staff_services.forum_create(
                dialogue=dialogue, actor=request.user, **_form_values(form)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Forumet är skapat."))
            return redirect("forum:staff_detail", forum.pk)
    return render(
        request,
        "forum/staff/form.html",
        {"dialogue": dialogue, "form": form, "heading": _("Nytt forum")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    forum = moderation.access_forum_for_work(request.user, pk)
    initial = {name: getattr(forum, name) for name in staff_services.FIELDS}
    initial["planned_method"] = forum.planned_method_id
    form = staff_forms.ForumForm(request.POST or None, dialogue=forum.dialogue, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            staff_services.forum_update(forum=forum, actor=request.user, **_form_values(form))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Forumet är ändrat."))
            return redirect("forum:staff_detail", forum.pk)
    return render(
        request,
        "forum/staff/form.html",
        {
            "dialogue": forum.dialogue,
            "forum": forum,
            "form": form,
            "heading": _("Ändra forumet"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forum = moderation.access_forum_for_reading(request.user, pk)
    may_manage = can_manage(request.user, forum)
    posts = Post.objects.filter(thread__forum=forum)
    figures = posts.aggregate(
        published=Count("pk", filter=Q(status=PostStatus.PUBLISHED)),
        pending=Count("pk", filter=Q(status=PostStatus.PENDING)),
        hidden=Count("pk", filter=Q(status=PostStatus.HIDDEN)),
    )
    threads = Paginator(
        Thread.objects.filter(forum=forum)
        .select_related("result_item")
        .order_by("-last_post_at", "-pk"),
        THREADS_PAGE_SIZE,
    ).get_page(request.GET.get("sida"))
    return render(
        request,
        "forum/staff/detail.html",
        {
            "forum": forum,
            "dialogue": forum.dialogue,
            "can_manage": may_manage,
            "figures": figures,
            "thread_total": threads.paginator.count,
            "page_obj": threads,
            "queue_counts": moderation.queue_counts(request.user, forum) if may_manage else None,
            "tags": forum.tags.annotate(post_count=Count("posts")).order_by("name"),
            "quotes": posts.filter(is_picked_quote=True, status=PostStatus.PUBLISHED)
            .select_related("thread")
            .order_by("created_at", "pk"),
            "result_posts": posts.filter(result_item__isnull=False)
            .select_related("thread", "result_item")
            .order_by("created_at", "pk"),
            "result_threads": forum.threads.filter(result_item__isnull=False)
            .select_related("result_item")
            .order_by("created_at", "pk"),
            "audit_entries": audit_log_rows(forum, AUDIT_ACTIONS) if may_manage else [],
            "audit_caption": _("Forumets logg"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    forum = moderation.access_forum_for_work(request.user, pk)
    form = staff_forms.SummaryForm(request.POST or None, initial={"summary": forum.summary})
    if request.method == "POST" and form.is_valid():
        publish = "publicera" in request.POST
        try:
            if publish:
                staff_services.summary_publish(
                    forum=forum, actor=request.user, text=form.cleaned_data["summary"]
                )
            else:
                staff_services.summary_save(
                    forum=forum, actor=request.user, text=form.cleaned_data["summary"]
                )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if publish:
                messages.success(request, _("Sammanfattningen är publicerad på forumets sida."))
            elif forum.summary_published_at:
                messages.success(request, _("Sammanfattningen är sparad och visas ändrad."))
            else:
                messages.success(request, _("Sammanfattningen är sparad som utkast."))
            return redirect("forum:staff_detail", forum.pk)
    return render(
        request,
        "forum/staff/summary.html",
        {"forum": forum, "dialogue": forum.dialogue, "form": form},
        status=400 if form.errors else 200,
    )


# --- A thread as staff see it, and the steps on a post ----------------------------------------


def _politicians() -> list[tuple[str, str]]:
    return [("", "---------")] + [
        (str(user.pk), user.get_full_name() or str(user)) for user in elected_officials()
    ]


def _politician(form: Any) -> Any:
    pk = form.cleaned_data.get("politician")
    return elected_officials().filter(pk=pk).first() if pk else None


def _hide(post: Post, actor: Actor, form: Any) -> str:
    moderation.post_hide(post=post, actor=actor, **form.cleaned_data)
    return _("Inlägget är dolt. Skribenten får veta skälet.")


def _approve(post: Post, actor: Actor, form: Any) -> str:
    moderation.post_approve(post=post, actor=actor)
    return _("Inlägget är godkänt och publicerat.")


def _keep(post: Post, actor: Actor, form: Any) -> str:
    closed = moderation.flag_keep(post=post, actor=actor)
    return _("Inlägget får stå kvar. %(count)s flaggningar är hanterade.") % {"count": closed}


def _tag(post: Post, actor: Actor, form: Any) -> str:
    tag = staff_services.post_tag(post=post, actor=actor, name=form.cleaned_data["name"])
    return _("Etiketten ”%(tag)s” är satt.") % {"tag": tag.name}


def _untag(post: Post, actor: Actor, form: Any) -> str:
    staff_services.post_untag(post=post, actor=actor, tag=form.cleaned_data["tag"])
    return _("Etiketten är borttagen.")


def _quote(post: Post, actor: Actor, form: Any) -> str:
    staff_services.quote_pick(post=post, actor=actor, picked=True)
    return _("Inlägget är valt som citat.")


def _unquote(post: Post, actor: Actor, form: Any) -> str:
    staff_services.quote_pick(post=post, actor=actor, picked=False)
    return _("Inlägget är inte längre valt som citat.")


def _result(post: Post, actor: Actor, form: Any) -> str:
    staff_services.post_to_result_item(
        post=post,
        actor=actor,
        kind=form.cleaned_data["kind"],
        title=form.cleaned_data["title"],
        politician=_politician(form),
    )
    return _("Inlägget är en resultatpunkt i dialogen.")


def _thread_result(post: Post, actor: Actor, form: Any) -> str:
    staff_services.thread_to_result_item(
        thread=post.thread,
        actor=actor,
        kind=form.cleaned_data["kind"],
        title=form.cleaned_data["title"],
        politician=_politician(form),
    )
    return _("Tråden är en resultatpunkt i dialogen.")


def _ban(post: Post, actor: Actor, form: Any) -> str:
    ban = moderation.ban_add(
        post=post,
        actor=actor,
        until=moderation.ban_end(form.cleaned_data["until"]),
        reason=form.cleaned_data["reason"],
    )
    return _("Skribenten är avstängd till och med %(date)s och får besked om skälet.") % {
        "date": f"{ban.until:%Y-%m-%d}"
    }


POST_ACTIONS: dict[str, Action[Post]] = {
    "godkann": Action(
        staff_forms.ConfirmForm, _approve, button=gettext_lazy("Godkänn och publicera")
    ),
    "dolj": Action(staff_forms.HideForm, _hide, button=gettext_lazy("Dölj inlägget"), danger=True),
    "behall": Action(staff_forms.ConfirmForm, _keep, button=gettext_lazy("Låt inlägget stå kvar")),
    "etikett": Action(staff_forms.TagForm, _tag, button=gettext_lazy("Sätt etikett")),
    "etikett-bort": Action(staff_forms.UntagForm, _untag, button=gettext_lazy("Ta bort etiketten")),
    "citat": Action(staff_forms.ConfirmForm, _quote, button=gettext_lazy("Välj som citat")),
    "citat-bort": Action(
        staff_forms.ConfirmForm, _unquote, button=gettext_lazy("Ta bort som citat")
    ),
    "resultat": Action(
        staff_forms.ResultForm, _result, button=gettext_lazy("Gör inlägget till resultatpunkt")
    ),
    "trad-resultat": Action(
        staff_forms.ResultForm,
        _thread_result,
        button=gettext_lazy("Gör tråden till resultatpunkt"),
    ),
    "avstang": Action(
        staff_forms.BanForm,
        _ban,
        button=gettext_lazy("Stäng av skribenten"),
        danger=True,
    ),
}


def _offered(post: Post, actor: Actor, open_flags: int) -> list[str]:
    """The steps a post offers now, in the order the page shows them."""
    published = post.status == PostStatus.PUBLISHED
    steps = {
        "godkann": post.status == PostStatus.PENDING,
        "dolj": post.status != PostStatus.HIDDEN,
        "behall": open_flags > 0,
        "etikett": published,
        "etikett-bort": published and bool(post.tags.all()),
        "citat": published and not post.is_picked_quote,
        "citat-bort": post.is_picked_quote,
        "resultat": published and post.result_item_id is None,
        "trad-resultat": published and post.is_opening and post.thread.result_item_id is None,
        "avstang": post.author_id != actor.pk,
    }
    return [name for name, offered in steps.items() if offered]


def _build_form(name: str, post: Post, data: Any = None, politicians: Any = None) -> Any:
    action = POST_ACTIONS[name]
    kwargs: dict[str, Any] = {"prefix": f"{name}-{post.pk}"}
    if action.form_class is staff_forms.UntagForm:
        kwargs["post"] = post
    if action.form_class is staff_forms.ResultForm:
        kwargs["politicians"] = politicians if politicians is not None else _politicians()
    return action.form_class(data, **kwargs)


def _post_audit(posts: list[Post]) -> dict[str, list[dict[str, Any]]]:
    """Each post's audit trail, in one query for the whole thread."""
    if not posts:
        return {}
    entries = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Post),
            object_id__in=[str(post.pk) for post in posts],
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
    trail: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        trail.setdefault(entry.object_id, []).append(
            {"entry": entry, "label": AUDIT_ACTIONS.get(entry.action, entry.action)}
        )
    return trail


def _thread_page(
    request: HttpRequest,
    thread: Thread,
    *,
    bound: tuple[int, str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    may = can_moderate(request.user, thread.forum)
    posts = list(
        Post.objects.filter(thread=thread)
        .select_related("hidden_by", "result_item", "author")
        .prefetch_related("tags", "flags__handled_by")
        .order_by("created_at", "pk")
    )
    trail = _post_audit(posts)
    politicians = _politicians() if may else []
    rows = []
    for post in posts:
        post.thread = thread
        flags: list[Flag] = list(post.flags.all())
        open_flags = sum(1 for flag in flags if flag.outcome == FlagOutcome.OPEN)
        panels = []
        if may:
            for name in _offered(post, request.user, open_flags):
                action = POST_ACTIONS[name]
                form = (
                    bound[2]
                    if bound and bound[0] == post.pk and bound[1] == name
                    else _build_form(name, post, politicians=politicians)
                )
                panels.append(
                    {
                        "name": name,
                        "form": form,
                        "button": action.button,
                        "danger": action.danger,
                        "url": reverse("forum:post_action", args=[post.pk, name]),
                        "open": bool(bound and bound[0] == post.pk and bound[1] == name),
                    }
                )
        rows.append(
            {
                "post": post,
                "html": plain_to_html(post.text),
                "flags": flags,
                "open_flags": open_flags,
                "panels": panels,
                "audit": trail.get(str(post.pk), []),
            }
        )
    return render(
        request,
        "forum/staff/thread.html",
        {
            "thread": thread,
            "forum": thread.forum,
            "dialogue": thread.forum.dialogue,
            "rows": rows,
            "can_moderate": may,
        },
        status=status,
    )


@login_required
@require_GET
def staff_thread(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_page(request, moderation.access_thread_for_reading(request.user, pk))


@login_required
@require_POST
def post_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    post = moderation.access_post_for_moderation(request.user, pk)
    chosen = action_or_404(POST_ACTIONS, action)
    thread = post.thread
    back = reverse("forum:staff_thread", args=[thread.pk]) + f"#inlagg-{post.pk}"
    open_flags = Flag.objects.filter(post=post, outcome=FlagOutcome.OPEN).count()
    if action not in _offered(post, request.user, open_flags):
        messages.error(request, _("Det steget går inte att ta med inlägget nu."))
        return redirect(back)
    form = _build_form(action, post, request.POST)
    return handle_action_post(
        request,
        post,
        chosen,
        form,
        success_url=back,
        invalid=lambda bad: _thread_page(
            request,
            moderation.access_thread_for_reading(request.user, thread.pk),
            bound=(post.pk, action, bad),
            status=400,
        ),
    )


# --- The queue and the bans --------------------------------------------------------------------


def _require_moderator(user: Actor) -> None:
    if not moderation.moderates_any(user):
        raise PermissionDenied


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _require_moderator(request.user)
    forum = None
    chosen = request.GET.get("forum", "")
    if chosen.isdigit():
        forum = moderation.forums_moderated_by(request.user).filter(pk=int(chosen)).first()
    page = Paginator(moderation.queue(request.user, forum), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    return render(
        request,
        "forum/staff/queue.html",
        {
            "page_obj": page,
            "forum": forum,
            "counts": moderation.queue_counts(request.user, forum),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bans(request: HttpRequest) -> HttpResponse:
    _require_moderator(request.user)
    if request.method == "POST":
        form = staff_forms.LiftForm(request.POST)
        if form.is_valid():
            ban = get_object_or_404(Ban, pk=form.cleaned_data["ban"])
            try:
                moderation.ban_lift(ban=ban, actor=request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("Avstängningen är hävd."))
        else:
            messages.error(request, _("Välj en avstängning att häva."))
        return redirect("forum:bans")
    return render(
        request,
        "forum/staff/bans.html",
        {"bans": list(moderation.active_bans())},
    )
