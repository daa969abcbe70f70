"""Answering a survey on the web, page by page, and staff entering paper answers.

The resume link (`/enkater/<pk>/svar/<token>/`) is the only key to a response's answers: it
is shown on each page and may be sent to an address the respondent gives (not stored with
the answers). Who may answer is checked when answering starts and again when the answers
are sent in (DOMAIN §3: open, verified e-mail, or e-ID with one answer per person).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from torget.core import ratelimit
from torget.identity.selectors import fresh_verification
from torget.notifications.services import notify
from torget.surveys import answer_forms, answering, background, logic
from torget.surveys.models import Access, Response, ResponseStatus, Section, Source, Survey
from torget.surveys.selectors import access_public_survey, access_survey_for_staff

DEVICE_COOKIE_SALT = "torget.surveys.answered"


def _device_cookie(survey: Survey) -> str:
    return f"torget_enkat_{survey.pk}"


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Din e-postadress"),
        max_length=254,
        help_text=gettext_lazy("Adressen används bara för det här meddelandet och sparas inte."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PaperNoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Var samlades svaret in?"),
        help_text=gettext_lazy("Till exempel ”Biblioteket i Berga, 12 maj”."),
        max_length=200,
        required=False,
    )


@dataclass
class Refusal:
    """Why this person may not answer now, and what they can do."""

    reason: str  # closed, not_yet, login, verify_email, identify, answered, device
    message: str
    action_url: str = ""
    action_label: str = ""


def _period_refusal(survey: Survey) -> Refusal | None:
    if survey.is_open():
        return None
    now = timezone.now()
    if survey.opens_at and now < survey.opens_at:
        return Refusal(
            "not_yet",
            _("Enkäten öppnar %(date)s.")
            % {"date": timezone.localtime(survey.opens_at).strftime("%Y-%m-%d %H:%M")},
        )
    return Refusal("closed", _("Enkäten är stängd. Det går inte längre att svara."))


def _key(request: HttpRequest, survey: Survey) -> str:
    verification = fresh_verification(request) if survey.access == Access.EID else None
    return answering.participation_key(
        survey=survey,
        user=request.user,
        person_key=verification.person_key if verification else "",
    )


def _identify_url(next_url: str) -> str:
    return reverse("identity:choose") + "?" + urlencode({"next": next_url})


def _access_refusal(request: HttpRequest, survey: Survey, *, next_url: str) -> Refusal | None:
    """Whether this browser's person may answer the survey now (DOMAIN §3)."""
    refusal = _period_refusal(survey)
    if refusal:
        return refusal
    if survey.access == Access.EMAIL:
        user = request.user
        if not user.is_authenticated:
            return Refusal(
                "login",
                _(
                    "Logga in med ett konto som har en bekräftad e-postadress för att svara. "
                    "Har du inget konto kan du skapa ett; det tar en minut."
                ),
                reverse("accounts:login") + "?" + urlencode({"next": next_url}),
                _("Logga in"),
            )
        if not user.is_email_verified:  # type: ignore[union-attr]
            return Refusal(
                "verify_email",
                _(
                    "Din e-postadress är inte bekräftad än. Klicka på länken i mejlet vi "
                    "skickade, eller be om ett nytt."
                ),
                reverse("accounts:resend_verification"),
                _("Skicka bekräftelsen igen"),
            )
    if survey.access == Access.EID and fresh_verification(request) is None:
        return Refusal(
            "identify",
            _(
                "Legitimera dig med e-legitimation för att svara. Det gör att ett svar per person räknas."
            ),
            _identify_url(next_url),
            _("Legitimera dig"),
        )
    if survey.access != Access.OPEN and answering.has_answered(
        survey=survey, key=_key(request, survey)
    ):
        return Refusal(
            "answered",
            _("Du har redan svarat på den här enkäten. Bara ett svar per person räknas. Tack!"),
        )
    if survey.access == Access.OPEN and request.get_signed_cookie(
        _device_cookie(survey), default=None, salt=DEVICE_COOKIE_SALT
    ):
        return Refusal(
            "device",
            _(
                "Ett svar har redan skickats från den här webbläsaren. Ett svar per enhet "
                "räknas. Vill någon annan svara kan de använda sin egen telefon eller dator, "
                "eller lämna svaret på papper."
            ),
        )
    return None


def _rule(survey: Survey) -> str:
    if survey.access == Access.EID:
        return _(
            "Du legitimerar dig med e-legitimation innan du svarar, och ett svar per person "
            "räknas. Svaren är ändå anonyma: vi sparar bara att du har svarat, skilt från "
            "dina svar, så att de inte kan kopplas till dig."
        )
    if survey.access == Access.EMAIL:
        return _(
            "Du loggar in med ett konto som har en bekräftad e-postadress, och ett svar per "
            "person räknas. Svaren är ändå anonyma: vi sparar bara att adressen har svarat, "
            "skilt från dina svar, så att de inte kan kopplas till dig."
        )
    return _(
        "Alla kan svara, och svaren är anonyma. Vi sparar inte vem du är eller varifrån du svarar."
    )


def _pages(survey: Survey) -> tuple[list[Section], int]:
    sections = list(survey.sections.order_by("order", "id"))
    return sections, len(sections) + (1 if background.asks_background(survey) else 0)


@never_cache
@require_http_methods(["GET"])
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_public_survey(pk)
    sections, pages = _pages(survey)
    start_url = reverse("surveys:answer_start", args=[survey.pk])
    refusal = _access_refusal(request, survey, next_url=request.path)
    return render(
        request,
        "surveys/answer/detail.html",
        {
            "survey": survey,
            "rule": _rule(survey),
            "refusal": refusal,
            "start_url": start_url,
            "pages": pages,
            "question_count": survey.questions.count(),
            "summary_published": bool(survey.summary_published_at and survey.summary),
        },
    )


def _refused(request: HttpRequest, survey: Survey, refusal: Refusal) -> HttpResponse:
    return render(
        request,
        "surveys/answer/refused.html",
        {"survey": survey, "refusal": refusal},
        status=403 if refusal.reason in ("answered", "device") else 200,
    )


def _limited(request: HttpRequest, survey: Survey, scope: str, factor: int = 1) -> bool:
    """Over the per-IP limit of an open survey (the address is hashed, never stored)."""
    limit = settings.SURVEY_ANSWERS_PER_IP_PER_HOUR * factor
    return not ratelimit.hit(
        f"survey-{scope}", f"{survey.pk}:{ratelimit.client_ip(request)}", limit=limit
    )


def _too_many(request: HttpRequest, survey: Survey) -> HttpResponse:
    return render(request, "surveys/answer/limited.html", {"survey": survey}, status=429)


@never_cache
@require_POST
def answer_start(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_public_survey(pk)
    refusal = _access_refusal(request, survey, next_url=reverse("surveys:public_detail", args=[pk]))
    if refusal:
        return _refused(request, survey, refusal)
    if survey.access == Access.OPEN and _limited(request, survey, "start", factor=3):
        return _too_many(request, survey)
    try:
        response = answering.response_start(survey=survey, language=get_language() or "sv")
    except ValidationError as error:
        return _refused(request, survey, Refusal("closed", error.messages[0]))
    return redirect(_page_url(response, 1))


def _page_url(response: Response, page: int) -> str:
    return reverse("surveys:answer_page", args=[response.survey_id, response.token, page])


def _resume_url(request: HttpRequest, response: Response) -> str:
    return request.build_absolute_uri(
        reverse("surveys:answer_resume", args=[response.survey_id, response.token])
    )


def _started(pk: int, token: str) -> tuple[Survey, Response]:
    """The survey and the response its resume link names; 404 for a link that names none
    (or whose answers are already sent in: the link ends then)."""
    survey = access_public_survey(pk)
    if not token:
        raise Http404
    response = Response.objects.filter(
        survey=survey, token=token, status=ResponseStatus.STARTED
    ).first()
    if response is None:
        raise Http404
    response.survey = survey
    return survey, response


def _link_problem(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "surveys/answer/link_problem.html", {"pk": pk}, status=404)


@never_cache
@require_http_methods(["GET"])
def answer_resume(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    try:
        _survey, response = _started(pk, token)
    except Http404:
        return _link_problem(request, pk)
    return redirect(_page_url(response, max(1, response.page)))


def _page_context(
    request: HttpRequest, survey: Survey, response: Response, page: int, pages: int
) -> dict[str, Any]:
    return {
        "survey": survey,
        "response": response,
        "page": page,
        "pages": pages,
        "resume_url": _resume_url(request, response),
        "email_form": EmailForm(),
        "send_link_url": reverse("surveys:answer_send_link", args=[survey.pk, response.token]),
        "back_url": _page_url(response, page - 1) if page > 1 else "",
    }


@never_cache
@require_http_methods(["GET", "POST"])
def answer_page(request: HttpRequest, pk: int, token: str, page: int) -> HttpResponse:
    try:
        survey, response = _started(pk, token)
    except Http404:
        return _link_problem(request, pk)
    refusal = _period_refusal(survey)
    if refusal:
        return _refused(request, survey, refusal)
    sections, pages = _pages(survey)
    if not 1 <= page <= max(pages, 1):
        raise Http404
    going_back = request.method == "POST" and "tillbaka" in request.POST
    target = page - 1 if going_back else page + 1
    next_url = (
        _page_url(response, target)
        if 1 <= target <= pages
        else reverse("surveys:answer_confirm", args=[survey.pk, response.token])
    )
    context = _page_context(request, survey, response, page, pages)
    if page > len(sections):
        form: Any = background.background_form(
            survey, data=request.POST if request.method == "POST" else None, response=response
        )
        if request.method == "POST" and form.is_valid():
            answering.response_save_background(
                response=response, background=form.background(), page=page
            )
            return redirect(next_url)
        context.update(form=form, is_background=True, why=background.WHY)
        return render(request, "surveys/answer/page.html", context)
    section = sections[page - 1]
    answers = answering.answers_of(response)
    form = answer_forms.section_form(
        survey,
        section,
        data=request.POST if request.method == "POST" else None,
        answers=answers,
        check_required=not going_back,
    )
    if request.method == "POST" and form.is_valid():
        try:
            answering.response_save_page(
                response=response,
                section=section,
                answers=form.answers(),
                page=max(1, min(target, pages)),
            )
        except ValidationError as error:
            return _refused(request, survey, Refusal("closed", error.messages[0]))
        return redirect(next_url)
    context.update(form=form, section=section)
    return render(request, "surveys/answer/page.html", context)


@never_cache
@require_POST
def answer_send_link(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """Send the resume link to an address the respondent gives; the address is not kept
    with the answers (the notice's context is emptied once sent)."""
    try:
        survey, response = _started(pk, token)
    except Http404:
        return _link_problem(request, pk)
    form = EmailForm(request.POST)
    back = _page_url(response, max(1, response.page))
    if not ratelimit.hit("survey-link", ratelimit.client_ip(request), limit=20):
        return _too_many(request, survey)
    if form.is_valid():
        notify(
            template="surveys.answer_link",
            context={
                "title": survey.localized_title,
                "path": reverse("surveys:answer_resume", args=[survey.pk, response.token]),
                "closes_on": timezone.localdate(survey.closes_at).isoformat()
                if survey.closes_at
                else "",
            },
            emails=[form.cleaned_data["email"]],
            language=response.language,
            secret=True,
        )
        messages.success(request, _("Länken är skickad. Dina svar är sparade."))
    else:
        messages.error(
            request, _("Skriv en e-postadress som fungerar, till exempel namn@exempel.se.")
        )
    return redirect(back)


@never_cache
@require_http_methods(["GET", "POST"])
def answer_confirm(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    try:
        survey, response = _started(pk, token)
    except Http404:
        return _link_problem(request, pk)
    sections, pages = _pages(survey)
    answers = answering.answers_of(response)
    error = ""
    if request.method == "POST":
        refusal = _access_refusal(request, survey, next_url=request.path)
        if refusal:
            return _refused(request, survey, refusal)
        if survey.access == Access.OPEN and _limited(request, survey, "submit"):
            return _too_many(request, survey)
        try:
            response = answering.response_submit(response=response, key=_key(request, survey))
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            redirect_to = redirect("surveys:answer_receipt", survey.pk, response.receipt)
            if survey.access == Access.OPEN:
                until = survey.closes_at or timezone.now() + datetime.timedelta(days=365)
                redirect_to.set_signed_cookie(
                    _device_cookie(survey),
                    "1",
                    salt=DEVICE_COOKIE_SALT,
                    max_age=max(60, int((until - timezone.now()).total_seconds())),
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return redirect_to
    questions = list(
        survey.questions.select_related("section", "condition_question").prefetch_related("options")
    )
    shown = {q.pk for q in logic.shown_questions(questions, answers)}
    summary = []
    for number, section in enumerate(sections, start=1):
        rows = [
            (question, answer_forms.display(question, answers.get(question.pk)))
            for question in questions
            if question.section_id == section.pk and question.pk in shown
        ]
        summary.append((number, section, rows))
    context = _page_context(request, survey, response, pages + 1, pages)
    context.update(
        summary=summary,
        error=error,
        background_page=pages if background.asks_background(survey) else None,
        background_rows=_background_rows(survey, response),
        back_url=_page_url(response, pages) if pages else "",
    )
    return render(request, "surveys/answer/confirm.html", context)


def _background_rows(survey: Survey, response: Response) -> list[tuple[str, str]]:
    if not background.asks_background(survey):
        return []
    rows = []
    none = _("Inget svar")
    if survey.ask_age_band:
        bands = dict(background.AGE_BAND_CHOICES)
        rows.append((_("Ålder"), str(bands.get(response.age_band, none))))
    if survey.ask_area:
        rows.append((_("Område"), response.area.name if response.area_id else none))  # type: ignore[union-attr]
    if survey.ask_target_groups:
        groups = dict(background.target_group_choices(survey))
        names = [str(groups.get(g, g)) for g in response.target_groups]
        rows.append((_("Grupper"), ", ".join(names) or none))
    if survey.ask_gender:
        rows.append((_("Kön"), response.get_gender_display() or none))
    return rows


@never_cache
@require_http_methods(["GET", "POST"])
def answer_receipt(request: HttpRequest, pk: int, receipt: str) -> HttpResponse:
    survey = access_public_survey(pk)
    response = Response.objects.filter(
        survey=survey, receipt=receipt[:12], status=ResponseStatus.SUBMITTED
    ).first()
    if response is None or not receipt:
        raise Http404
    form = EmailForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.hit("survey-receipt", ratelimit.client_ip(request), limit=20):
            return _too_many(request, survey)
        if form.is_valid():
            notify(
                template="surveys.answer_receipt",
                context={
                    "title": survey.localized_title,
                    "receipt": response.receipt,
                    "submitted_on": response.submitted_on.isoformat()
                    if response.submitted_on
                    else "",
                    "path": reverse("surveys:public_detail", args=[survey.pk]),
                },
                emails=[form.cleaned_data["email"]],
                language=get_language() or "sv",
                secret=True,
            )
            messages.success(request, _("Kvittot är skickat till din e-post."))
            return redirect("surveys:answer_receipt", survey.pk, response.receipt)
    return render(
        request,
        "surveys/answer/receipt.html",
        {"survey": survey, "response": response, "form": form},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer_paper(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff enter an answer given on paper: the whole survey on one page."""
    survey = access_survey_for_staff(request.user, pk)
    data = request.POST if request.method == "POST" else None
    # A paper answer is entered as written, gaps and all: nothing is required.
    form = answer_forms.survey_form(survey, data=data, check_required=False)
    about = background.background_form(survey, data=data, prefix="bakgrund")
    note = PaperNoteForm(data)
    if request.method == "POST" and form.is_valid() and about.is_valid() and note.is_valid():
        if not any(v is not None for v in form.answers().values()) and not any(
            about.background().values()
        ):
            form.add_error(None, _("Skriv in minst ett svar från papperet."))
    if request.method == "POST" and form.is_valid() and about.is_valid() and note.is_valid():
        try:
            answering.response_enter_paper(
                survey=survey,
                actor=request.user,  # type: ignore[arg-type]
                answers=form.answers(),
                background=about.background(),
                note=note.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            count = Response.objects.filter(
                survey=survey, source=Source.PAPER, status=ResponseStatus.SUBMITTED
            ).count()
            messages.success(
                request,
                _("Pappersvaret är sparat. Enkäten har nu %(count)s svar på papper.")
                % {"count": count},
            )
            return redirect("surveys:answer_paper", survey.pk)
    paper_count = Response.objects.filter(
        survey=survey, source=Source.PAPER, status=ResponseStatus.SUBMITTED
    ).count()
    return render(
        request,
        "surveys/answer/paper.html",
        {
            "survey": survey,
            "form": form,
            "about": about,
            "note_form": note,
            "paper_count": paper_count,
            "sections": list(survey.sections.order_by("order", "id")),
        },
    )
