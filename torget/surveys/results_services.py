"""Writes of the results part of a survey: tags on free-text answers, a result item made of
the answers with one tag, and the survey's summary. Each checks who acts and is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.results import services as results
from torget.results.models import ResultItem
from torget.surveys.models import Answer, AnswerTag, ResponseStatus, Status, Survey
from torget.surveys.permissions import works_with_survey
from torget.surveys.results import TEXT_KINDS

TAG_MAX = AnswerTag._meta.get_field("name").max_length or 60
# How many of the tagged answers a result item quotes, and how much of each.
QUOTES = 20
QUOTE_CHARS = 300


def _require(actor: Actor, survey: Survey) -> None:
    if not works_with_survey(actor, survey):
        raise PermissionDenied(_("Bara de som arbetar med dialogen kan hantera enkätens resultat."))


def _check_free_text(answer: Answer) -> None:
    if answer.question.kind not in TEXT_KINDS or answer.response.status != ResponseStatus.SUBMITTED:
        raise ValidationError(_("Bara inskickade fritextsvar kan taggas."))


@transaction.atomic
def answer_tag_add(*, answer: Answer, actor: Actor, name: str) -> AnswerTag:
    """Put a tag on a free-text answer; a tag of that name is made for the survey if it has
    none (names compared without regard to case)."""
    survey = answer.question.survey
    _require(actor, survey)
    _check_free_text(answer)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Skriv taggens namn.")})
    if len(name) > TAG_MAX:
        raise ValidationError({"name": _("Högst %(max)s tecken.") % {"max": TAG_MAX}})
    tag = AnswerTag.objects.filter(survey=survey, name__iexact=name).first()
    if tag is None:
        tag = AnswerTag.objects.create(survey=survey, name=name)
    answer.tags.add(tag)
    audit.record(
        actor=actor,
        action="survey.answer_tagged",
        obj=survey,
        changes={"answer": answer.pk, "tag": tag.name},
    )
    return tag


@transaction.atomic
def answer_tag_remove(*, answer: Answer, actor: Actor, tag: AnswerTag) -> None:
    survey = answer.question.survey
    _require(actor, survey)
    if tag.survey_id != survey.pk:
        raise ValidationError(_("Taggen hör till en annan enkät."))
    answer.tags.remove(tag)
    audit.record(
        actor=actor,
        action="survey.answer_untagged",
        obj=survey,
        changes={"answer": answer.pk, "tag": tag.name},
    )


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1].rstrip() + "…"
    return f"”{text}”"


def tag_description(*, survey: Survey, tag: AnswerTag) -> str:
    """What a result item made from a tag says: where it comes from (the survey, the tag and
    the address of its answers) and quotes of the tagged answers, never who wrote them."""
    answers = list(
        Answer.objects.filter(tags=tag, response__status=ResponseStatus.SUBMITTED)
        .order_by("pk")
        .values_list("text", flat=True)
    )
    url = reverse("surveys:results_free_text", args=[survey.pk]) + f"?tagg={tag.pk}"
    lines = [
        _("Från enkäten ”%(survey)s”, %(count)s svar taggade ”%(tag)s” (%(url)s):")
        % {"survey": survey.title, "count": len(answers), "tag": tag.name, "url": url},
        "",
    ]
    lines += [f"– {_quote(text)}" for text in answers[:QUOTES]]
    if len(answers) > QUOTES:
        lines.append(_("… och %(count)s svar till.") % {"count": len(answers) - QUOTES})
    return "\n".join(lines)


@transaction.atomic
def tag_item_create(
    *,
    survey: Survey,
    tag: AnswerTag,
    actor: Actor,
    title: str,
    kind: str,
    politician: object = None,
) -> ResultItem:
    """A question or result of the dialogue made from the free-text answers with one tag,
    through the results part's own service (which checks the kind and audits the item)."""
    _require(actor, survey)
    if tag.survey_id != survey.pk:
        raise ValidationError(_("Taggen hör till en annan enkät."))
    item = results.item_create(
        dialogue=survey.dialogue,
        actor=actor,
        title=title,
        description=tag_description(survey=survey, tag=tag),
        kind=kind,
        politician=politician,
    )
    audit.record(
        actor=actor,
        action="survey.tag_to_result",
        obj=survey,
        changes={"tag": tag.name, "result_item": item.pk},
    )
    return item


@transaction.atomic
def summary_save(*, survey: Survey, actor: Actor, text: str, publish: bool) -> Survey:
    """Save the summary of the results; `publish` also publishes it (on the survey's public
    page and the dialogue's). A published summary can be corrected; it stays published."""
    _require(actor, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    text = (text or "").strip()
    if publish and not text:
        raise ValidationError({"text": _("Skriv sammanfattningen innan du publicerar den.")})
    if publish and survey.status == Status.DRAFT:
        raise ValidationError(
            _("En enkät som inte är publicerad kan inte få en publicerad sammanfattning.")
        )
    changes: dict[str, object] = {}
    if text != survey.summary:
        changes["summary"] = [survey.summary, text]
        survey.summary = text
    if publish and survey.summary_published_at is None:
        survey.summary_published_at = timezone.now()
        changes["published"] = True
    survey.save(update_fields=["summary", "summary_published_at", "updated_at"])
    audit.record(
        actor=actor,
        action="survey.summary_published" if changes.get("published") else "survey.summary_saved",
        obj=survey,
        changes=changes,
    )
    return survey


@transaction.atomic
def summary_unpublish(*, survey: Survey, actor: Actor) -> Survey:
    _require(actor, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.summary_published_at is not None:
        survey.summary_published_at = None
        survey.save(update_fields=["summary_published_at", "updated_at"])
        audit.record(actor=actor, action="survey.summary_unpublished", obj=survey, changes={})
    return survey
