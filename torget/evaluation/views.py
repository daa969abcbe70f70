"""Pages of the evaluation part.

Public: the survey behind a participant's one-time link, and its thank-you page. Staff: the
evaluation of one dialogue (also shown as a section of the dialogue's staff page), and the
survey template, which only an administrator may edit.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from torget.core.forms import apply_service_errors
from torget.core.http import protect_secret_page
from torget.dialogues import selectors as dialogue_selectors
from torget.dialogues.models import Dialogue
from torget.dialogues.workflow import is_administrator
from torget.evaluation import selectors, services
from torget.evaluation.forms import (
    AnswerForm,
    InternalEvaluationForm,
    IntroForm,
    QuestionForm,
    SendForm,
)
from torget.evaluation.models import TemplateQuestion

# --- The survey (public) ---------------------------------------------------------------------


def _link_problem(request: HttpRequest, problem: str) -> HttpResponse:
    status = 404 if problem == "unknown" else 410
    return protect_secret_page(
        render(request, "evaluation/link_problem.html", {"problem": problem}, status=status)
    )


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for(token)
    except services.InvitationUnknown:
        return _link_problem(request, "unknown")
    except services.InvitationUsed:
        return _link_problem(request, "used")
    except services.SurveyClosed:
        return _link_problem(request, "closed")
    survey = invitation.survey
    questions = list(survey.questions.order_by("order", "id"))
    # An empty POST is still a POST (a form sent with nothing chosen).
    data = request.POST if request.method == "POST" else None
    form = AnswerForm(data, questions=questions)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.response_submit(token=token, answers=form.answers())
            except services.InvitationUsed:
                return _link_problem(request, "used")
            except services.SurveyClosed:
                return _link_problem(request, "closed")
            except services.EvaluationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("evaluation:thanks")
        status = 400
    return protect_secret_page(
        render(
            request,
            "evaluation/answer.html",
            {"survey": survey, "dialogue": survey.dialogue, "form": form},
            status=status,
        )
    )


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    return protect_secret_page(render(request, "evaluation/thanks.html", {}))


# --- One dialogue's evaluation (staff) ------------------------------------------------------


def _access(request: HttpRequest, pk: int) -> Dialogue:
    return dialogue_selectors.access_dialogue_for_work(request.user, pk)


def _section_context(
    request: HttpRequest,
    dialogue: Dialogue,
    *,
    send_form: SendForm | None = None,
    internal_form: InternalEvaluationForm | None = None,
) -> dict[str, Any]:
    survey = selectors.survey_for(dialogue)
    evaluation = selectors.internal_evaluation_for(dialogue)
    refusal = services.send_refusal(dialogue) if survey is None else None
    return {
        "dialogue": dialogue,
        "can_edit_template": is_administrator(request.user, None),
        "survey": survey,
        "results": selectors.survey_results(survey) if survey else None,
        "min_public": selectors.MIN_PUBLIC_RESPONSES,
        "send_refusal": refusal,
        "send_form": send_form or (SendForm(prefix="survey") if not refusal else None),
        "participants": len(selectors.participant_emails(dialogue)) if not survey else 0,
        "evaluation": evaluation,
        "internal_form": internal_form
        or InternalEvaluationForm(instance=evaluation, prefix="internal"),
    }


def staff_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """The "Utvärdering" section of the dialogue's staff page (dialogues.sections)."""
    if not dialogue_selectors.can_work_with(request.user, dialogue):
        return ""
    return render_to_string(
        "evaluation/_staff_section.html", _section_context(request, dialogue), request=request
    )


def public_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """The "Utvärdering" section of the public page: the same for everyone (it is cached)."""
    summary = selectors.public_summary(dialogue)
    if summary is None:
        return ""
    return render_to_string("evaluation/_public_section.html", summary)


def _staff_page(
    request: HttpRequest, dialogue: Dialogue, status: int = 200, **forms: Any
) -> HttpResponse:
    return render(
        request,
        "evaluation/staff.html",
        _section_context(request, dialogue, **forms),
        status=status,
    )


@login_required
@require_safe
def staff(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_page(request, _access(request, pk))


@login_required
@require_POST
def survey_send(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _access(request, pk)
    form = SendForm(request.POST, prefix="survey")
    if form.is_valid():
        try:
            survey = services.survey_send(
                dialogue=dialogue,
                actor=request.user,
                extra_emails=form.cleaned_data["extra_emails"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except services.EvaluationError as error:
            apply_service_errors(form, error)
        else:
            invited = survey.invitations.count()
            messages.success(
                request,
                _("Enkäten är skickad till %(count)s deltagare. Sista svarsdag är %(date)s.")
                % {"count": invited, "date": survey.closes_on.isoformat()},
            )
            return redirect(dialogue.staff_url() + "#utvardering")
    return _staff_page(request, dialogue, status=400, send_form=form)


@login_required
@require_POST
def internal_save(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _access(request, pk)
    evaluation = selectors.internal_evaluation_for(dialogue)
    form = InternalEvaluationForm(request.POST, instance=evaluation, prefix="internal")
    if form.is_valid():
        try:
            services.internal_evaluation_save(
                dialogue=dialogue,
                actor=request.user,
                **{name: form.cleaned_data[name] for name in services.INTERNAL_FIELDS},
            )
        except services.EvaluationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Den interna utvärderingen är sparad."))
            return redirect(dialogue.staff_url() + "#utvardering")
    return _staff_page(request, dialogue, status=400, internal_form=form)


# --- The survey template (administrator) ----------------------------------------------------


def _require_administrator(request: HttpRequest) -> None:
    if not is_administrator(request.user, None):
        raise PermissionDenied


def _template_page(
    request: HttpRequest,
    *,
    intro_form: IntroForm | None = None,
    add_form: QuestionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    template = services.template_ensure()
    return render(
        request,
        "evaluation/template.html",
        {
            "template": template,
            "questions": selectors.template_questions(template),
            "intro_form": intro_form or IntroForm(initial={"intro": template.intro}),
            "add_form": add_form or QuestionForm(prefix="new", initial={"kind": "likert"}),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest) -> HttpResponse:
    """GET: the template; POST: its introduction."""
    _require_administrator(request)
    if request.method == "GET":
        return _template_page(request)
    form = IntroForm(request.POST)
    if form.is_valid():
        services.template_update(actor=request.user, intro=form.cleaned_data["intro"])
        messages.success(request, _("Inledningen är sparad."))
        return redirect("evaluation:template")
    return _template_page(request, intro_form=form, status=400)


@login_required
@require_POST
def question_add(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    form = QuestionForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            services.question_add(actor=request.user, **form.cleaned_data)
        except services.EvaluationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Frågan är tillagd i mallen."))
            return redirect("evaluation:template")
    return _template_page(request, add_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    question = get_object_or_404(TemplateQuestion, pk=pk)
    initial = {"text": question.text, "kind": question.kind, "required": question.required}
    form = QuestionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(actor=request.user, question=question, **form.cleaned_data)
        except services.EvaluationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Frågan är ändrad."))
            return redirect("evaluation:template")
    return render(
        request,
        "evaluation/question_edit.html",
        {"question": question, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def question_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    question = get_object_or_404(TemplateQuestion, pk=pk)
    services.question_remove(actor=request.user, question=question)
    messages.success(request, _("Frågan är borttagen ur mallen."))
    return redirect("evaluation:template")


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    question = get_object_or_404(TemplateQuestion, pk=pk)
    up = request.POST.get("riktning") != "ned"
    services.question_move(actor=request.user, question=question, up=up)
    messages.success(
        request, _("Frågan är flyttad uppåt.") if up else _("Frågan är flyttad nedåt.")
    )
    return redirect("evaluation:template")
