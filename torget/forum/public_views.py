"""The forum's public pages: the forum with its threads, a new thread, a thread with its
posts and the reply form, editing one's post, agreeing, the Atom feed, and the forum's
section on the dialogue's page. Views parse a form, call one service and redirect; who may
post is forum.services.posting_refusal, shown as a plain explanation where it refuses."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from torget.core import ratelimit
from torget.core.forms import apply_service_errors
from torget.core.richtext import plain_to_html
from torget.dialogues.models import Dialogue
from torget.forum import badges, selectors, services
from torget.forum.models import Forum, Identification, Post, Thread
from torget.forum.permissions import can_manage
from torget.forum.public_forms import EditForm, NewThreadForm, ReplyForm
from torget.identity.selectors import fresh_verification

# --- The section on the dialogue's page --------------------------------------------------------


def public_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """ "Webbforum" on the dialogue's public page: each forum, its period and who from the
    municipality takes part."""
    if not dialogue.is_public:
        return ""
    forums = list(selectors.public_forums_of(dialogue))
    if not forums:
        return ""
    return render_to_string(
        "forum/public_section.html",
        {"forums": forums, "today": timezone.localdate()},
        request=request,
    )


# --- Helpers -----------------------------------------------------------------------------------


def _verified(request: HttpRequest, forum: Forum) -> bool:
    if forum.identification != Identification.EID:
        return False
    return fresh_verification(request) is not None


def _badges(request: HttpRequest) -> list[badges.Badge]:
    return badges.badges_for(request.user) if request.user.is_authenticated else []


def _refusal(
    request: HttpRequest, forum: Forum, *, new_thread: bool = False, next_url: str = ""
) -> services.Refusal | None:
    return services.posting_refusal(
        forum=forum,
        actor=request.user,
        verified=_verified(request, forum),
        new_thread=new_thread,
        next_url=next_url or request.get_full_path(),
    )


def _initial_name(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {}
    return {"shown_name": services.default_shown_name(request.user)}


def _refused_post(request: HttpRequest, error: services.PostingRefused, back: str) -> HttpResponse:
    refusal = error.refusal
    if refusal.rule == "login":
        return redirect(refusal.action_url)
    messages.error(request, refusal.message)
    return redirect(back)


# --- The forum ---------------------------------------------------------------------------------


@require_safe
def forum(request: HttpRequest, dialogue_pk: int, pk: int) -> HttpResponse:
    forum = selectors.access_public_forum(pk, dialogue_pk)
    order = request.GET.get("ordning", selectors.DEFAULT_ORDER)
    if order not in selectors.ORDERS:
        order = selectors.DEFAULT_ORDER
    page = selectors.threads_page(forum, order, request.GET.get("sida"))
    return render(
        request,
        "forum/forum.html",
        {
            "forum": forum,
            "dialogue": forum.dialogue,
            "page_obj": page,
            "threads": page.object_list,
            "order": order,
            "orders": [
                ("aktivast", _("Mest aktiva")),
                ("nyast", _("Nyast")),
                ("mest-medhall", _("Flest håller med")),
            ],
            "waiting": selectors.own_waiting_threads(forum, request.user),
            "refusal": _refusal(
                request,
                forum,
                new_thread=True,
                next_url=reverse("forum:new_thread", args=[forum.dialogue_id, forum.pk]),
            ),
            "is_open": forum.is_open(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def new_thread(request: HttpRequest, dialogue_pk: int, pk: int) -> HttpResponse:
    forum = selectors.access_public_forum(pk, dialogue_pk)
    refusal = _refusal(request, forum, new_thread=True)
    may_ask = request.user.is_authenticated and can_manage(request.user, forum)
    form = NewThreadForm(
        request.POST or None,
        badges=_badges(request),
        may_ask=may_ask,
        initial=_initial_name(request),
    )
    status = 200
    if request.method == "POST":
        if refusal is not None:
            if refusal.rule == "login":
                return redirect(refusal.action_url)
            status = 403
        elif form.is_valid():
            try:
                thread = services.thread_start(
                    forum=forum,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    shown_name=form.cleaned_data["shown_name"],
                    verified=_verified(request, forum),
                    ip=ratelimit.client_ip(request),
                    starting_question=bool(form.cleaned_data.get("starting_question")),
                    **form.badge_values(),
                )
            except services.PostingRefused as error:
                refusal, status = error.refusal, 403
            except ValidationError as error:
                apply_service_errors(form, error)
                status = 400
            else:
                if thread.is_visible:
                    messages.success(request, _("Din tråd är publicerad."))
                else:
                    messages.success(
                        request,
                        _(
                            "Tack! Din tråd granskas av en moderator innan den visas för "
                            "andra. Du ser den redan nu."
                        ),
                    )
                return redirect(thread.get_absolute_url())
        else:
            status = 400
    return render(
        request,
        "forum/new_thread.html",
        {"forum": forum, "dialogue": forum.dialogue, "form": form, "refusal": refusal},
        status=status,
    )


# --- A thread ----------------------------------------------------------------------------------


def _thread_page(
    request: HttpRequest, thread: Thread, *, form: ReplyForm | None = None, status: int = 200
) -> HttpResponse:
    forum = thread.forum
    replying_to = selectors.post_for_form(thread, request.GET.get("svar-pa"))
    quoting = selectors.post_for_form(thread, request.GET.get("citera"))
    if form is None:
        initial = _initial_name(request)
        if replying_to is not None:
            initial["parent"] = replying_to.parent_id or replying_to.pk
        if quoting is not None:
            initial["quote_of"] = quoting.pk
        form = ReplyForm(badges=_badges(request), initial=initial)
    else:
        replying_to = selectors.post_for_form(thread, form.data.get("parent"))
        quoting = selectors.post_for_form(thread, form.data.get("quote_of"))
    page, posts = selectors.thread_posts(thread, request.user, request.GET.get("sida"))
    return render(
        request,
        "forum/thread.html",
        {
            "forum": forum,
            "dialogue": forum.dialogue,
            "thread": thread,
            "page_obj": page,
            "posts": posts,
            "form": form,
            "replying_to": replying_to,
            "quoting": quoting,
            "quote_excerpt": services.quote_excerpt(quoting, thread) if quoting else "",
            "refusal": _refusal(request, forum, next_url=thread.get_absolute_url()),
            "signed_in": request.user.is_authenticated,
        },
        status=status,
    )


@never_cache
@require_safe
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.access_public_thread(pk, request.user)
    return _thread_page(request, thread)


@never_cache
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.access_public_thread(pk, request.user)
    forum = thread.forum
    form = ReplyForm(request.POST, badges=_badges(request))
    if not form.is_valid():
        return _thread_page(request, thread, form=form, status=400)
    data = form.cleaned_data
    parent = selectors.post_for_form(thread, data.get("parent"))
    quoted = selectors.post_for_form(thread, data.get("quote_of"))
    try:
        post = services.post_reply(
            thread=thread,
            actor=request.user,
            text=data["text"],
            parent=parent,
            quote_of=quoted,
            shown_name=data["shown_name"],
            verified=_verified(request, forum),
            ip=ratelimit.client_ip(request),
            **form.badge_values(),
        )
    except services.PostingRefused as error:
        return _refused_post(request, error, thread.get_absolute_url())
    except ValidationError as error:
        apply_service_errors(form, error)
        return _thread_page(request, thread, form=form, status=400)
    if post.is_visible:
        messages.success(request, _("Ditt inlägg är publicerat."))
    else:
        messages.success(
            request,
            _("Tack! Ditt inlägg granskas av en moderator innan det visas för andra."),
        )
    return redirect(_post_url(post))


def _post_url(post: Post) -> str:
    """The post's place in its thread, on the page of the thread where it is."""
    top = post.parent_id or post.pk
    before = (
        Post.objects.filter(
            thread_id=post.thread_id, parent__isnull=True, is_opening=False, pk__lt=top
        ).count()
        + 1
    )
    page = before // selectors.POSTS_PER_PAGE + 1
    url = reverse("forum:thread", args=[post.thread_id])
    if page > 1:
        url += f"?sida={page}"
    return f"{url}#inlagg-{post.pk}"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.access_own_post(request.user, pk)
    form = EditForm(request.POST or None, initial={"text": post.text})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                post = services.post_edit(
                    post=post, actor=request.user, text=form.cleaned_data["text"]
                )
            except services.PostingRefused as error:
                return _refused_post(request, error, post.thread.get_absolute_url())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Ditt inlägg är ändrat."))
                return redirect(_post_url(post))
        status = 400
    return render(
        request,
        "forum/edit.html",
        {
            "post": post,
            "thread": post.thread,
            "forum": post.thread.forum,
            "dialogue": post.thread.forum.dialogue,
            "form": form,
            "text_html": plain_to_html(post.text),
        },
        status=status,
    )


@login_required
@require_POST
def agree(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.access_public_post(pk, request.user)
    back = _post_url(post)
    undo = request.POST.get("atgard") == "angra"
    try:
        if undo:
            services.post_unagree(post=post, actor=request.user)
            messages.success(request, _("Du håller inte längre med om inlägget."))
        else:
            added = services.post_agree(post=post, actor=request.user)
            messages.success(
                request,
                _("Du håller med om inlägget.")
                if added
                else _("Du höll redan med om inlägget. Det räknas en gång."),
            )
    except (PermissionDenied, ValidationError) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else str(error)
        messages.error(request, message or _("Det gick inte att hålla med om inlägget."))
    return redirect(back)


# --- The feed ----------------------------------------------------------------------------------


class ForumFeed(Feed):  # type: ignore[type-arg]
    """The forum's latest published posts, as Atom."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, dialogue_pk: int, pk: int) -> Forum:  # type: ignore[override]
        return selectors.access_public_forum(pk, dialogue_pk)

    def title(self, obj: Forum) -> str:
        return f"{obj.title} – {obj.dialogue.title}"

    def link(self, obj: Forum) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Forum) -> str:
        return _("De senaste inläggen i forumet.")

    def items(self, obj: Forum) -> list[Post]:
        return selectors.feed_posts(obj)

    def item_title(self, item: Post) -> str:
        return f"{item.shown_name}: {item.thread.title}"

    def item_description(self, item: Post) -> str:
        return str(plain_to_html(item.text))

    def item_link(self, item: Post) -> str:
        return f"{item.thread.get_absolute_url()}#inlagg-{item.pk}"

    def item_pubdate(self, item: Post) -> Any:
        return item.created_at

    def item_updateddate(self, item: Post) -> Any:
        return item.edited_at or item.created_at

    def item_author_name(self, item: Post) -> str:
        return item.shown_name


feed = require_safe(ForumFeed())
