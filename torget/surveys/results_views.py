"""The results pages of a survey: for those who work with its dialogue under
/personal/enkater/<pk>/resultat/ (counts, charts, free text with tags, cross-tables, places,
exports, the summary), and for everyone /enkater/<pk>/resultat/ (the published summary and
the charts, once the survey is closed and its summary published)."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.core.forms import apply_service_errors
from torget.core.inputs import next_path
from torget.dialogues.models import Dialogue
from torget.results.services import SUMMARY_STATUSES
from torget.surveys import charts, exports, results, results_forms, results_services
from torget.surveys.models import Answer, AnswerTag, Status, Survey
from torget.surveys.selectors import access_public_survey, access_survey_for_staff

PAGE_SIZE = 50
PLACES_LISTED = 500


def _charted(question_results: list[results.QuestionResult]) -> list[tuple[Any, Any]]:
    return [(result, charts.question_chart(result)) for result in question_results]


def _filename(survey: Survey, ext: str) -> str:
    return f"enkat-{survey.pk}-svar.{ext}"


# --- Staff -------------------------------------------------------------------------------------


@login_required
@require_GET
def staff(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey_for_staff(request.user, pk)
    return render(
        request,
        "surveys/results/staff.html",
        {
            "survey": survey,
            "respondents": results.respondents(survey),
            "questions": _charted(results.question_results(survey)),
            "reach": results.representativeness(survey),
            "tags": results.tags(survey),
        },
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = next_path(
        request.POST.get("next"), host=request.get_host(), secure=request.is_secure()
    )
    return target or fallback


@login_required
@require_GET
def free_text(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey_for_staff(request.user, pk)
    query = request.GET.get("q", "").strip()[:200]
    tag = None
    tag_id = request.GET.get("tagg", "")
    if tag_id.isdigit():
        tag = AnswerTag.objects.filter(survey=survey, pk=int(tag_id)).first()
    question_id = request.GET.get("fraga", "")
    question = int(question_id) if question_id.isdigit() else None
    answers = results.free_text_answers(survey, query=query, tag=tag, question=question)
    page = Paginator(answers, PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(
        request,
        "surveys/results/free_text.html",
        {
            "survey": survey,
            "page": page,
            "query": query,
            "tag": tag,
            "question": question,
            "questions": results.text_questions(survey),
            "tags": results.tags(survey),
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def answer_tag(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    survey = access_survey_for_staff(request.user, pk)
    answer = get_object_or_404(
        Answer.objects.select_related("question__survey", "response"),
        pk=answer_pk,
        question__survey=survey,
    )
    back = _safe_next(request, reverse("surveys:results_free_text", args=[survey.pk]))
    form = results_forms.TagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv taggens namn, högst 60 tecken."))
        return redirect(back)
    try:
        tag = results_services.answer_tag_add(
            answer=answer, actor=request.user, name=form.cleaned_data["name"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Svaret har taggen ”%(tag)s”.") % {"tag": tag.name})
    return redirect(f"{back}#svar-{answer.pk}" if "#" not in back else back)


@login_required
@require_POST
def answer_untag(request: HttpRequest, pk: int, answer_pk: int, tag_pk: int) -> HttpResponse:
    survey = access_survey_for_staff(request.user, pk)
    answer = get_object_or_404(
        Answer.objects.select_related("question__survey", "response"),
        pk=answer_pk,
        question__survey=survey,
    )
    tag = get_object_or_404(AnswerTag, pk=tag_pk, survey=survey)
    results_services.answer_tag_remove(answer=answer, actor=request.user, tag=tag)
    messages.success(request, _("Taggen ”%(tag)s” är borttagen från svaret.") % {"tag": tag.name})
    back = _safe_next(request, reverse("surveys:results_free_text", args=[survey.pk]))
    return redirect(f"{back}#svar-{answer.pk}" if "#" not in back else back)


@login_required
@require_http_methods(["GET", "POST"])
def tag_item(request: HttpRequest, pk: int, tag_pk: int) -> HttpResponse:
    survey = access_survey_for_staff(request.user, pk)
    tag = get_object_or_404(AnswerTag, pk=tag_pk, survey=survey)
    form = results_forms.TagItemForm(request.POST or None, initial={"title": tag.name})
    if request.method == "POST" and form.is_valid():
        try:
            item = results_services.tag_item_create(
                survey=survey,
                tag=tag,
                actor=request.user,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                politician=form.cleaned_data.get("politician"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Resultatpunkten ”%(title)s” är registrerad i dialogen.") % {"title": item.title},
            )
            return redirect(item.get_absolute_url())
    return render(
        request,
        "surveys/results/tag_item.html",
        {
            "survey": survey,
            "tag": tag,
            "form": form,
            "description": results_services.tag_description(survey=survey, tag=tag),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def cross(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey_for_staff(request.user, pk)
    questions = results.cross_questions(survey)
    form = results_forms.CrossForm(request.GET or None, questions=questions)
    table = None
    if form.is_valid():
        question = next(q for q in questions if q.pk == form.cleaned_data["fraga"])
        table = results.cross_table(question, form.cleaned_data["efter"])
    return render(
        request,
        "surveys/results/cross.html",
        {"survey": survey, "form": form, "table": table, "questions": questions},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def places(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey_for_staff(request.user, pk)
    questions = results.place_questions(survey)
    answers = results.place_answers(survey).select_related("question")
    total = answers.count()
    return render(
        request,
        "surveys/results/places.html",
        {
            "survey": survey,
            "questions": questions,
            "answers": answers[:PLACES_LISTED],
            "total": total,
            "listed": min(total, PLACES_LISTED),
            "municipality": getattr(request, "municipality", None),
        },
    )


@login_required
@require_GET
def places_geojson(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey_for_staff(request.user, pk)
    question_id = request.GET.get("fraga", "")
    data = exports.geojson(survey, question=int(question_id) if question_id.isdigit() else None)
    response = HttpResponse(json.dumps(data), content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="enkat-{survey.pk}-platser.geojson"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    survey = access_survey_for_staff(request.user, pk)
    response = StreamingHttpResponse(
        exports.csv_lines(survey), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "csv")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey_for_staff(request.user, pk)
    response = HttpResponse(
        exports.xlsx_bytes(survey),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "xlsx")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_survey_for_staff(request.user, pk)
    form = results_forms.SummaryForm(request.POST or None, initial={"text": survey.summary})
    if request.method == "POST" and "avpublicera" in request.POST:
        results_services.summary_unpublish(survey=survey, actor=request.user)
        messages.success(request, _("Sammanfattningen är inte längre publicerad."))
        return redirect("surveys:results_summary", survey.pk)
    if request.method == "POST" and form.is_valid():
        publish = "publicera" in request.POST
        try:
            survey = results_services.summary_save(
                survey=survey, actor=request.user, text=form.cleaned_data["text"], publish=publish
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if survey.summary_published_at and publish:
                messages.success(
                    request,
                    _("Sammanfattningen är publicerad på enkätens och dialogens sidor."),
                )
            else:
                messages.success(request, _("Sammanfattningen är sparad."))
            return redirect("surveys:results_summary", survey.pk)
    return render(
        request,
        "surveys/results/summary_form.html",
        {
            "survey": survey,
            "form": form,
            "public": results.results_are_public(survey),
            "to_dialogue": bool(survey.summary_published_at and survey.summary)
            and survey.dialogue.status in SUMMARY_STATUSES,
        },
        status=400 if form.errors else 200,
    )


# --- Public ------------------------------------------------------------------------------------


@require_GET
def public(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access_public_survey(pk)
    shown = results.results_are_public(survey)
    return render(
        request,
        "surveys/results/public.html",
        {
            "survey": survey,
            "shown": shown,
            "respondents": results.respondents(survey) if shown else None,
            "questions": _charted(results.public_question_results(survey)) if shown else [],
        },
    )


def public_summary(survey: Survey) -> str:
    """The published summary as the public survey page shows it (`""` when none)."""
    if not survey.summary_published_at:
        return ""
    return render_to_string("surveys/results/_public_summary.html", {"survey": survey})


def dialogue_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """The dialogue's public page: the published summaries of its surveys."""
    surveys = list(
        dialogue.surveys.filter(
            status__in=(Status.PUBLISHED, Status.CLOSED), summary_published_at__isnull=False
        ).order_by("summary_published_at", "pk")
    )
    if not surveys or not dialogue.is_public:
        return ""
    return render_to_string(
        "surveys/results/_dialogue_section.html", {"surveys": surveys}, request=request
    )
