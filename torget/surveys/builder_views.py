"""The survey builder's staff pages under /personal/enkater/: the list of surveys, a new
survey or a copy for a dialogue, a survey's page with its sections and questions, the
question page with its options and versions, the preview, and publishing and closing.

Every page starts from `selectors.access_survey_for_staff` (or the dialogue's
`access_dialogue_for_work`), and every change is one service call in `builder`."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.audit.selectors import audit_log_rows
from torget.core.actions import Action, action_or_404, handle_action_post
from torget.core.forms import apply_service_errors
from torget.dialogues.models import Dialogue
from torget.dialogues.permissions import can_work_with
from torget.dialogues.selectors import access_dialogue_for_work
from torget.surveys import answer_forms, builder, builder_forms, permissions, selectors
from torget.surveys.models import OPTION_KINDS, Kind, Option, Question, Section, Status, Survey

AUDIT_ACTIONS = {
    "survey.created": gettext_lazy("Enkäten skapades"),
    "survey.copied": gettext_lazy("Enkäten skapades som kopia"),
    "survey.updated": gettext_lazy("Inställningarna ändrades"),
    "survey.published": gettext_lazy("Enkäten publicerades"),
    "survey.closed": gettext_lazy("Enkäten avslutades"),
    "survey.section_added": gettext_lazy("Avsnitt tillagt"),
    "survey.section_updated": gettext_lazy("Avsnitt ändrat"),
    "survey.section_moved": gettext_lazy("Avsnitt flyttat"),
    "survey.section_removed": gettext_lazy("Avsnitt borttaget"),
    "survey.question_added": gettext_lazy("Fråga tillagd"),
    "survey.question_updated": gettext_lazy("Fråga ändrad"),
    "survey.question_moved": gettext_lazy("Fråga flyttad"),
    "survey.question_removed": gettext_lazy("Fråga borttagen"),
    "survey.option_added": gettext_lazy("Svarsalternativ tillagt"),
    "survey.option_updated": gettext_lazy("Svarsalternativ ändrat"),
    "survey.option_moved": gettext_lazy("Svarsalternativ flyttat"),
    "survey.option_removed": gettext_lazy("Svarsalternativ borttaget"),
}


def _survey_url(survey: Survey) -> str:
    return reverse("surveys:staff_detail", args=[survey.pk])


def _question_url(question: Question) -> str:
    return reverse("surveys:staff_question", args=[question.survey_id, question.pk])


def _status(form: Any) -> int:
    return 400 if form.errors else 200


# --- The list, and the dialogue's sections -------------------------------------------------


@login_required
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    if not (permissions.sees_survey_staff_pages(request.user) or can_work_with(request.user)):
        raise PermissionDenied
    return render(
        request,
        "surveys/builder/list.html",
        {"surveys": selectors.staff_surveys(request.user)},
    )


def staff_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """The "Enkäter" section of a dialogue's staff page (dialogues.sections)."""
    if not can_work_with(request.user, dialogue):
        return ""
    return render_to_string(
        "surveys/builder/_staff_section.html",
        {
            "dialogue": dialogue,
            "surveys": selectors.dialogue_surveys(dialogue),
            "has_method": bool(builder.survey_methods(dialogue)),
        },
        request=request,
    )


def public_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """The published surveys on the dialogue's public page: the same for everyone."""
    surveys = selectors.public_dialogue_surveys(dialogue)
    if not surveys:
        return ""
    return render_to_string("surveys/builder/_public_section.html", {"surveys": surveys})


# --- A new survey, a copy -----------------------------------------------------------------


def _dialogue_with_method(request: HttpRequest, dialogue_pk: int) -> Dialogue:
    dialogue = access_dialogue_for_work(request.user, dialogue_pk)
    return dialogue


@login_required
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest, dialogue_pk: int) -> HttpResponse:
    dialogue = _dialogue_with_method(request, dialogue_pk)
    has_method = bool(builder.survey_methods(dialogue))
    form = builder_forms.SurveyForm(
        request.POST if request.method == "POST" else None, dialogue=dialogue
    )
    if request.method == "POST" and has_method and form.is_valid():
        values = {name: form.cleaned_data.get(name) for name in builder.SURVEY_FIELDS}
        try:
            survey = builder.survey_create(
                actor=request.user,
                dialogue=dialogue,
                method=form.cleaned_data["method"],
                **values,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Enkäten är skapad som utkast. Lägg till avsnitt och frågor.")
            )
            return redirect(_survey_url(survey))
    return render(
        request,
        "surveys/builder/settings.html",
        {"form": form, "dialogue": dialogue, "survey": None, "has_method": has_method},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_copy(request: HttpRequest, dialogue_pk: int) -> HttpResponse:
    dialogue = _dialogue_with_method(request, dialogue_pk)
    has_method = bool(builder.survey_methods(dialogue))
    sources = Survey.objects.filter(
        pk__in=[survey.pk for survey in selectors.staff_surveys(request.user)]
    ).select_related("dialogue")
    form = builder_forms.CopyForm(
        request.POST if request.method == "POST" else None, dialogue=dialogue, surveys=sources
    )
    if request.method == "POST" and has_method and form.is_valid():
        try:
            survey = builder.survey_copy(
                actor=request.user,
                source=form.cleaned_data["source"],
                dialogue=dialogue,
                method=form.cleaned_data["method"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Enkäten är kopierad som ett nytt utkast. Ange perioden och se över frågorna."),
            )
            return redirect(_survey_url(survey))
    return render(
        request,
        "surveys/builder/copy.html",
        {
            "form": form,
            "dialogue": dialogue,
            "has_method": has_method,
            "has_sources": sources.exists(),
        },
        status=_status(form),
    )


# --- A survey: its page, settings, process ------------------------------------------------


def _publish(survey: Survey, actor: Any, form: Any) -> str:
    builder.survey_publish(actor=actor, survey=survey)
    return _("Enkäten är publicerad. Den går att svara på under perioden.")


def _close(survey: Survey, actor: Any, form: Any) -> str:
    builder.survey_close(actor=actor, survey=survey)
    return _("Enkäten är avslutad. Inga fler svar tas emot.")


ACTIONS: dict[str, Action[Survey]] = {
    "publicera": Action(
        builder_forms.ConfirmForm,
        _publish,
        button=gettext_lazy("Publicera enkäten"),
        step="publish",
    ),
    "avsluta": Action(
        builder_forms.ConfirmForm,
        _close,
        button=gettext_lazy("Avsluta enkäten"),
        danger=True,
        step="close",
    ),
}


def _detail(
    request: HttpRequest, survey: Survey, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    available = {step.name for step in builder.PROCESS.available(survey)}
    actions = [
        (name, action, (bound or {}).get(name) or action.form_class(prefix=name))
        for name, action in ACTIONS.items()
        if action.step in available
    ]
    return render(
        request,
        "surveys/builder/detail.html",
        {
            "survey": survey,
            "sections": selectors.survey_structure(survey),
            "actions": actions,
            "problems": builder.publish_problems(survey) if survey.status == Status.DRAFT else [],
            "kind_form": builder_forms.KindForm(),
            "editable": survey.status != Status.CLOSED,
            "structure_editable": survey.status != Status.CLOSED and not survey.is_locked,
            "audit_entries": audit_log_rows(survey, AUDIT_ACTIONS),
        },
        status=status,
    )


@login_required
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.access_survey_for_staff(request.user, pk))


@login_required
@require_POST
def staff_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    survey = selectors.access_survey_for_staff(request.user, pk)
    chosen = action_or_404(ACTIONS, action)
    return handle_action_post(
        request,
        survey,
        chosen,
        chosen.form_class(request.POST, prefix=action),
        success_url=_survey_url(survey),
        invalid=lambda form: _detail(request, survey, bound={action: form}, status=400),
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.access_survey_for_staff(request.user, pk)
    if survey.status == Status.CLOSED:
        messages.error(request, _("Enkäten är avslutad och kan inte längre ändras."))
        return redirect(_survey_url(survey))
    form = builder_forms.SurveyForm(
        request.POST if request.method == "POST" else None, instance=survey
    )
    if request.method == "POST" and form.is_valid():
        values = {
            name: form.cleaned_data.get(name)
            for name in builder.SURVEY_FIELDS
            if not form.fields[name].disabled
        }
        try:
            builder.survey_update(actor=request.user, survey=survey, **values)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Inställningarna är sparade."))
            return redirect(_survey_url(survey))
    return render(
        request,
        "surveys/builder/settings.html",
        {"form": form, "dialogue": survey.dialogue, "survey": survey, "has_method": True},
        status=_status(form),
    )


@login_required
@require_GET
def staff_preview(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.access_survey_for_staff(request.user, pk)
    sections = selectors.survey_structure(survey)
    # The answering part's own form for each page: the preview is what a respondent sees.
    pages = [
        {"section": section, "form": answer_forms.section_form(survey, section, show_all=True)}
        for section in sections
    ]
    return render(
        request,
        "surveys/builder/preview.html",
        {"survey": survey, "pages": pages, "kinds": Kind},
    )


# --- Sections -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def staff_section_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _section_page(request, pk, None)


@login_required
@require_http_methods(["GET", "POST"])
def staff_section_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    return _section_page(request, pk, section_pk)


def _section_page(request: HttpRequest, pk: int, section_pk: int | None) -> HttpResponse:
    survey = selectors.access_survey_for_staff(request.user, pk)
    section = get_object_or_404(Section, pk=section_pk, survey=survey) if section_pk else None
    if survey.status == Status.CLOSED or (section is None and survey.is_locked):
        messages.error(
            request,
            _("Enkäten är avslutad och kan inte längre ändras.")
            if survey.status == Status.CLOSED
            else _("Enkäten har fått svar. Det går inte att lägga till avsnitt."),
        )
        return redirect(_survey_url(survey))
    form = builder_forms.SectionForm(
        request.POST if request.method == "POST" else None, instance=section
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data.get(name) for name in builder.SECTION_FIELDS}
        try:
            if section is None:
                builder.section_add(actor=request.user, survey=survey, **values)
            else:
                builder.section_update(actor=request.user, section=section, **values)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Avsnittet är tillagt.") if section is None else _("Avsnittet är sparat."),
            )
            return redirect(_survey_url(survey))
    return render(
        request,
        "surveys/builder/section.html",
        {"form": form, "survey": survey, "section": section},
        status=_status(form),
    )


Take = Callable[[Any, Any], Any]


def _ordering(
    move: Callable[..., Any],
    remove: Callable[..., Any],
    name: str,
    *,
    up: Any,
    down: Any,
    removed: Any,
) -> dict[str, tuple[Take, Any]]:
    """The actions on an item in its list (a section, a question, an option): move it up or
    down, or remove it; each with the message shown when it is done."""
    return {
        "upp": (lambda actor, item: move(actor=actor, up=True, **{name: item}), up),
        "ned": (lambda actor, item: move(actor=actor, up=False, **{name: item}), down),
        "ta-bort": (lambda actor, item: remove(actor=actor, **{name: item}), removed),
    }


def _take(
    request: HttpRequest, actions: dict[str, tuple[Take, Any]], action: str, item: Any
) -> None:
    """Take one of an item's actions, with its message, or the reasons it was refused."""
    if action not in actions:
        raise Http404
    take, done = actions[action]
    try:
        take(request.user, item)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(done))


SECTION_ACTIONS = _ordering(
    builder.section_move,
    builder.section_remove,
    "section",
    up=gettext_lazy("Avsnittet är flyttat uppåt."),
    down=gettext_lazy("Avsnittet är flyttat nedåt."),
    removed=gettext_lazy("Avsnittet och dess frågor är borttagna."),
)


@login_required
@require_POST
def staff_section_action(
    request: HttpRequest, pk: int, section_pk: int, action: str
) -> HttpResponse:
    survey = selectors.access_survey_for_staff(request.user, pk)
    section = get_object_or_404(Section, pk=section_pk, survey=survey)
    _take(request, SECTION_ACTIONS, action, section)
    return redirect(_survey_url(survey))


# --- Questions ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def staff_question_add(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    survey = selectors.access_survey_for_staff(request.user, pk)
    section = get_object_or_404(Section, pk=section_pk, survey=survey)
    if survey.status == Status.CLOSED or survey.is_locked:
        messages.error(
            request,
            _("Enkäten har fått svar eller är avslutad. Det går inte att lägga till frågor."),
        )
        return redirect(_survey_url(survey))
    kind_form = builder_forms.KindForm(request.GET or request.POST or None)
    if not kind_form.is_valid():
        return render(
            request,
            "surveys/builder/question_kind.html",
            {"survey": survey, "section": section, "kind_form": kind_form},
            status=400 if kind_form.is_bound else 200,
        )
    kind = kind_form.cleaned_data["typ"]
    form = builder_forms.QuestionForm(
        request.POST if request.method == "POST" else None,
        instance=Question(survey=survey, section=section, kind=kind),
        survey=survey,
        kind=kind,
        adding=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = builder.question_add(
                actor=request.user,
                section=section,
                kind=kind,
                options=form.option_lines(),
                **form.values(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Frågan är tillagd."))
            if kind in OPTION_KINDS:
                return redirect(_question_url(question))
            return redirect(_survey_url(survey))
    return render(
        request,
        "surveys/builder/question.html",
        {
            "survey": survey,
            "section": section,
            "question": None,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "form": form,
        },
        status=_status(form),
    )


def _question_page(
    request: HttpRequest,
    survey: Survey,
    question: Question,
    *,
    form: Any = None,
    option_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "surveys/builder/question.html",
        {
            "survey": survey,
            "section": question.section,
            "question": question,
            "kind": question.kind,
            "kind_label": question.get_kind_display(),
            "form": form
            or builder_forms.QuestionForm(
                instance=question, survey=survey, kind=question.kind, adding=False
            ),
            "options": list(question.options.order_by("order", "id")),
            "option_form": option_form or builder_forms.OptionForm(prefix="nytt"),
            "versions": list(question.versions.select_related("replaced_by").order_by("-number")),
            "editable": survey.status != Status.CLOSED,
            "structure_editable": survey.status != Status.CLOSED and not survey.is_locked,
            "has_options": question.kind in OPTION_KINDS,
        },
        status=status,
    )


def _access_question(request: HttpRequest, pk: int, question_pk: int) -> tuple[Survey, Question]:
    survey = selectors.access_survey_for_staff(request.user, pk)
    question = get_object_or_404(
        Question.objects.select_related("section", "condition_question"),
        pk=question_pk,
        survey=survey,
    )
    question.survey = survey
    return survey, question


@login_required
@require_http_methods(["GET", "POST"])
def staff_question(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey, question = _access_question(request, pk, question_pk)
    if request.method == "GET":
        return _question_page(request, survey, question)
    form = builder_forms.QuestionForm(
        request.POST, instance=question, survey=survey, kind=question.kind, adding=False
    )
    if form.is_valid():
        try:
            builder.question_update(actor=request.user, question=question, **form.values())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Frågan är sparad som en ny version. Tidigare svar behåller sin version.")
                if survey.is_locked
                else _("Frågan är sparad."),
            )
            return redirect(_question_url(question))
    return _question_page(request, survey, question, form=form, status=400)


QUESTION_ACTIONS = _ordering(
    builder.question_move,
    builder.question_remove,
    "question",
    up=gettext_lazy("Frågan är flyttad uppåt."),
    down=gettext_lazy("Frågan är flyttad nedåt."),
    removed=gettext_lazy("Frågan är borttagen."),
)


@login_required
@require_POST
def staff_question_action(
    request: HttpRequest, pk: int, question_pk: int, action: str
) -> HttpResponse:
    survey, question = _access_question(request, pk, question_pk)
    if action == "alternativ":
        form = builder_forms.OptionForm(request.POST, prefix="nytt")
        if form.is_valid():
            try:
                builder.option_add(actor=request.user, question=question, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Svarsalternativet är tillagt."))
                return redirect(_question_url(question))
        return _question_page(request, survey, question, option_form=form, status=400)
    _take(request, QUESTION_ACTIONS, action, question)
    return redirect(_survey_url(survey))


# --- Options ------------------------------------------------------------------------------


def _access_option(request: HttpRequest, pk: int, option_pk: int) -> tuple[Survey, Option]:
    survey = selectors.access_survey_for_staff(request.user, pk)
    option = get_object_or_404(
        Option.objects.select_related("question__section"), pk=option_pk, question__survey=survey
    )
    option.question.survey = survey
    return survey, option


@login_required
@require_http_methods(["GET", "POST"])
def staff_option(request: HttpRequest, pk: int, option_pk: int) -> HttpResponse:
    survey, option = _access_option(request, pk, option_pk)
    form = builder_forms.OptionForm(
        request.POST if request.method == "POST" else None, instance=option
    )
    if request.method == "POST" and form.is_valid():
        try:
            builder.option_update(actor=request.user, option=option, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Svarsalternativet är sparat."))
            return redirect(_question_url(option.question))
    return render(
        request,
        "surveys/builder/option.html",
        {"survey": survey, "option": option, "question": option.question, "form": form},
        status=_status(form),
    )


OPTION_ACTIONS = _ordering(
    builder.option_move,
    builder.option_remove,
    "option",
    up=gettext_lazy("Svarsalternativet är flyttat uppåt."),
    down=gettext_lazy("Svarsalternativet är flyttat nedåt."),
    removed=gettext_lazy("Svarsalternativet är borttaget."),
)


@login_required
@require_POST
def staff_option_action(request: HttpRequest, pk: int, option_pk: int, action: str) -> HttpResponse:
    survey, option = _access_option(request, pk, option_pk)
    _take(request, OPTION_ACTIONS, action, option)
    return redirect(_question_url(option.question))
