"""Writes of consultations: preparing the alternatives, recording the politicians' approval,
opening and closing, the citizens' choices, and publishing the result.

A choice is deliberately not written to the audit log: an entry names its actor, and the
rule is that nobody who reads the data can see who chose what (DOMAIN §7). Everything staff do
is audited.
"""

import datetime
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.consultations import selectors, workflow
from torget.consultations.models import (
    AGE_BANDS,
    Alternative,
    Choice,
    Consultation,
    Eligibility,
    Mode,
    Status,
)
from torget.consultations.permissions import can_manage
from torget.consultations.workflow import PROCESS, ConsultationError
from torget.core import images
from torget.core.storage import removed_on_failure
from torget.core.workflow import Move, Step
from torget.dialogues.models import Dialogue, PlannedMethod
from torget.dialogues.permissions import can_work_with
from torget.geo.models import Area
from torget.notifications.services import notify
from torget.organisation.models import Body
from torget.results import services as results

COMMENT_MAX = 2000

FIELDS = (
    "title",
    "question",
    "description",
    "mode",
    "eligibility",
    "eligibility_reason",
    "opens_at",
    "closes_at",
    "ask_age_band",
    "ask_area",
    "planned_method",
)


def _require(actor: Actor, consultation: Consultation) -> None:
    if not can_manage(actor, consultation):
        raise PermissionDenied(_("Bara de som arbetar med dialogen kan hantera samrådet."))


def _require_draft(consultation: Consultation) -> None:
    if consultation.status != Status.DRAFT:
        raise ConsultationError(
            _("Alternativen är godkända och kan inte ändras längre. Gör ett nytt samråd.")
        )


def _check(values: dict[str, Any], dialogue: Dialogue) -> None:
    errors: dict[str, str] = {}
    if not str(values.get("title") or "").strip():
        errors["title"] = _("Skriv en rubrik.")
    if not str(values.get("question") or "").strip():
        errors["question"] = _("Skriv frågan som medborgarna ska svara på.")
    if not str(values.get("eligibility_reason") or "").strip():
        errors["eligibility_reason"] = _("Förklara varför just det här sättet gäller.")
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if opens is None:
        errors["opens_at"] = _("Ange när samrådet öppnar.")
    if closes is None:
        errors["closes_at"] = _("Ange när samrådet stänger.")
    elif opens is not None and closes <= opens:
        errors["closes_at"] = _("Samrådet måste stänga efter att det öppnar.")
    method = values.get("planned_method")
    if method is not None and method.dialogue_id != dialogue.pk:
        errors["planned_method"] = _("Metoden hör till en annan dialog.")
    if errors:
        raise ConsultationError(errors)


@transaction.atomic
def consultation_create(
    *,
    dialogue: Dialogue,
    actor: Actor,
    title: str,
    question: str,
    eligibility_reason: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    description: str = "",
    mode: str = Mode.CHOOSE_ONE,
    eligibility: str = Eligibility.EID,
    ask_age_band: bool = True,
    ask_area: bool = True,
    planned_method: PlannedMethod | None = None,
) -> Consultation:
    """A draft consultation in a dialogue, to prepare its alternatives in."""
    if not can_work_with(actor, dialogue):
        raise PermissionDenied(_("Bara de som arbetar med dialogen kan göra ett samråd."))
    values: dict[str, Any] = {
        "title": title.strip(),
        "question": question.strip(),
        "description": description.strip(),
        "mode": mode,
        "eligibility": eligibility,
        "eligibility_reason": eligibility_reason.strip(),
        "opens_at": opens_at,
        "closes_at": closes_at,
        "ask_age_band": ask_age_band,
        "ask_area": ask_area,
        "planned_method": planned_method,
    }
    _check(values, dialogue)
    consultation = Consultation(dialogue=dialogue, created_by=user_or_none(actor), **values)
    consultation.full_clean()
    consultation.save()
    audit.record(
        actor=actor,
        action="consultation.created",
        obj=consultation,
        changes={"title": consultation.title, "dialogue": dialogue.pk},
    )
    return consultation


@transaction.atomic
def consultation_update(*, consultation: Consultation, actor: Actor, **values: Any) -> Consultation:
    """Change the draft (its question, its rule, its period)."""
    _require(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require_draft(consultation)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    merged = {name: getattr(consultation, name) for name in FIELDS} | values
    for name in ("title", "question", "description", "eligibility_reason"):
        merged[name] = str(merged[name] or "").strip()
    _check(merged, consultation.dialogue)
    changes = {
        name: str(merged[name]) for name in FIELDS if merged[name] != getattr(consultation, name)
    }
    for name in FIELDS:
        setattr(consultation, name, merged[name])
    consultation.full_clean()
    consultation.save()
    audit.record(actor=actor, action="consultation.updated", obj=consultation, changes=changes)
    return consultation


# --- Alternatives ------------------------------------------------------------------------------


def _alternative_values(
    *,
    title: str,
    description: str,
    image_alt: str,
    document_title: str,
    lat: float | None,
    lon: float | None,
    image: Any,
    document: Any,
    has_image: bool,
) -> tuple[dict[str, Any], Any]:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Skriv en rubrik för alternativet.")
    if (lat is None) != (lon is None):
        errors["lat"] = _("Ange både latitud och longitud, eller ingen av dem.")
    elif lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors["lat"] = _("Platsen ligger utanför kartan.")
    processed = None
    if image:
        try:
            processed = images.process(image)
        except images.ImageError as error:
            errors["image"] = str(error)
    if (image or has_image) and not image_alt.strip():
        errors["image_alt"] = _("Beskriv vad bilden visar.")
    if document:
        try:
            results.validate_document(document)
        except ValidationError as error:
            found = error.message_dict.get("document") if hasattr(error, "error_dict") else None
            errors["document"] = (found or error.messages)[0]
        if not document_title.strip() and "document" not in errors:
            errors["document_title"] = _("Skriv en rubrik för dokumentet.")
    if errors:
        raise ConsultationError(errors)
    return (
        {
            "title": title.strip(),
            "description": description.strip(),
            "image_alt": image_alt.strip(),
            "document_title": document_title.strip(),
            "lat": lat,
            "lon": lon,
        },
        processed,
    )


@transaction.atomic
def alternative_add(
    *,
    consultation: Consultation,
    actor: Actor,
    title: str,
    description: str = "",
    image: Any = None,
    image_alt: str = "",
    document: Any = None,
    document_title: str = "",
    lat: float | None = None,
    lon: float | None = None,
    area: Area | None = None,
) -> Alternative:
    """A prepared alternative: text, and optionally an image (checked and stripped of its
    metadata), a PDF, a place (lat/lon) or an area."""
    _require(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require_draft(consultation)
    values, processed = _alternative_values(
        title=title,
        description=description,
        image_alt=image_alt,
        document_title=document_title,
        lat=lat,
        lon=lon,
        image=image,
        document=document,
        has_image=False,
    )
    order = consultation.alternatives.count() + 1
    alternative = Alternative(consultation=consultation, order=order, area=area, **values)
    with removed_on_failure():
        if processed is not None:
            alternative.image.save("bild.jpg", processed.file, save=False)
        if document:
            alternative.document.save("dokument.pdf", document, save=False)
        alternative.full_clean()
        alternative.save()
    audit.record(
        actor=actor,
        action="consultation.alternative_added",
        obj=consultation,
        changes={"title": alternative.title},
    )
    return alternative


@transaction.atomic
def alternative_update(
    *,
    alternative: Alternative,
    actor: Actor,
    title: str,
    description: str = "",
    image: Any = None,
    image_alt: str = "",
    document: Any = None,
    document_title: str = "",
    lat: float | None = None,
    lon: float | None = None,
    area: Area | None = None,
) -> Alternative:
    """Change an alternative of a draft; a new image or document replaces the earlier one."""
    consultation = alternative.consultation
    _require(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require_draft(consultation)
    values, processed = _alternative_values(
        title=title,
        description=description,
        image_alt=image_alt,
        document_title=document_title or alternative.document_title,
        lat=lat,
        lon=lon,
        image=image,
        document=document,
        has_image=bool(alternative.image),
    )
    if not document and not alternative.document:
        values["document_title"] = ""
    changes = {k: str(v) for k, v in values.items() if getattr(alternative, k) != v}
    for name, value in values.items():
        setattr(alternative, name, value)
    alternative.area = area
    # The new files are stored first and the replaced ones deleted only once the change is
    # committed, so a failure (a full disk) leaves the alternative as it was, files and all.
    replaced = []
    with removed_on_failure():
        if processed is not None:
            replaced.append(alternative.image.name)
            alternative.image.save("bild.jpg", processed.file, save=False)
            changes["image"] = "new"
        if document:
            replaced.append(alternative.document.name)
            alternative.document.save("dokument.pdf", document, save=False)
            changes["document"] = "new"
        alternative.full_clean()
        alternative.save()
    for name in filter(None, replaced):
        transaction.on_commit(partial(alternative.image.storage.delete, name))
    audit.record(
        actor=actor,
        action="consultation.alternative_updated",
        obj=consultation,
        changes={"alternative": alternative.pk, **changes},
    )
    return alternative


@transaction.atomic
def alternative_remove(*, alternative: Alternative, actor: Actor) -> None:
    consultation = alternative.consultation
    _require(actor, consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require_draft(consultation)
    title = alternative.title
    alternative.image.delete(save=False)
    alternative.document.delete(save=False)
    alternative.delete()
    for number, other in enumerate(consultation.alternatives.all(), start=1):
        if other.order != number:
            Alternative.objects.filter(pk=other.pk).update(order=number)
    audit.record(
        actor=actor,
        action="consultation.alternative_removed",
        obj=consultation,
        changes={"title": title},
    )


# --- The steps ---------------------------------------------------------------------------------


def _audited(action: str, actor: Actor, **changes: Any) -> Any:
    def record(move: Move[Consultation, Step]) -> Consultation:
        audit.record(
            actor=actor,
            action=f"consultation.{action}",
            obj=move.obj,
            changes={"from": move.source, "to": move.obj.status, **changes},
        )
        return move.obj

    return record


@transaction.atomic
def approval_record(
    *,
    consultation: Consultation,
    actor: Actor,
    body: Body | None,
    names: str,
    approved_on: datetime.date | None,
    reference: str = "",
) -> Consultation:
    """Record that the responsible politicians approved the alternatives in the dialogue's
    plan (DOMAIN §7): which body and who, the date and the reference. Nothing is shown to
    citizens before this, and the alternatives cannot change after it."""
    _require(actor, consultation)
    errors: dict[str, str] = {}
    if body is None:
        errors["body"] = _("Välj organet som godkände alternativen.")
    if not names.strip():
        errors["names"] = _("Skriv vilka politiker som godkände alternativen.")
    if approved_on is None:
        errors["approved_on"] = _("Ange datum för godkännandet.")
    elif approved_on > timezone.localdate():
        errors["approved_on"] = _("Godkännandet kan inte vara framåt i tiden.")
    if errors:
        raise ConsultationError(errors)

    def apply(locked: Consultation) -> None:
        locked.approved_by_body = body
        locked.approved_by_names = names.strip()
        locked.approved_on = approved_on
        locked.approval_reference = reference.strip()
        locked.approval_recorded_by = user_or_none(actor)

    return PROCESS.take(
        consultation,
        "approve",
        apply=apply,
        record=_audited(
            "approved",
            actor,
            body=body.pk if body else None,
            names=names.strip(),
            approved_on=str(approved_on),
            reference=reference.strip(),
        ),
    )


def _context(consultation: Consultation) -> dict[str, Any]:
    return {
        "title": consultation.title,
        "dialogue": consultation.dialogue.title,
        "url": consultation.get_absolute_url(),
        "closes_on": timezone.localtime(consultation.closes_at).date().isoformat(),
    }


@transaction.atomic
def consultation_open(*, consultation: Consultation, actor: Actor) -> Consultation:
    """Open for choices (within its period); the dialogue's followers hear of it."""
    _require(actor, consultation)

    def record(move: Move[Consultation, Step]) -> Consultation:
        _audited("opened", actor)(move)
        notify(
            template="consultations.opened",
            context=_context(move.obj),
            followers_of=[move.obj.dialogue],
        )
        return move.obj

    return PROCESS.take(consultation, "open", record=record)


@transaction.atomic
def consultation_close(*, consultation: Consultation, actor: Actor) -> Consultation:
    _require(actor, consultation)
    return PROCESS.take(consultation, "close", record=_audited("closed", actor))


@transaction.atomic
def result_publish(*, consultation: Consultation, actor: Actor, text: str) -> Consultation:
    """Publish the result on the dialogue's page: the official's summary and the counts as
    they stand, frozen. The summary is recorded as one of the dialogue's results too
    (`results.item_create`), so it goes into the dialogue's summary at feedback point 2."""
    _require(actor, consultation)
    if not text.strip():
        raise ConsultationError({"text": _("Skriv en sammanfattning av resultatet.")})

    def apply(locked: Consultation) -> None:
        locked.result = selectors.tally(locked)
        locked.result_text = text.strip()
        locked.published_at = timezone.now()
        locked.published_by = user_or_none(actor)

    def record(move: Move[Consultation, Step]) -> Consultation:
        consultation = move.obj
        _audited("published", actor, total=consultation.result.get("total", 0))(move)
        results.item_create(
            dialogue=consultation.dialogue,
            actor=actor,
            title=_("Samrådets resultat: %(title)s") % {"title": consultation.title},
            description=consultation.result_text,
        )
        notify(
            template="consultations.result",
            context=_context(consultation) | {"text": consultation.result_text},
            followers_of=[consultation.dialogue],
        )
        return consultation

    return PROCESS.take(consultation, "publish", apply=apply, record=record)


# --- Choices -----------------------------------------------------------------------------------


def _refuse_outside_period(consultation: Consultation) -> None:
    if consultation.is_taking_choices():
        return
    opens = timezone.localtime(consultation.opens_at)
    closes = timezone.localtime(consultation.closes_at)
    raise ConsultationError(
        _("Samrådet tar emot val från %(opens)s till %(closes)s. Det går inte att välja nu.")
        % {
            "opens": opens.strftime("%Y-%m-%d %H:%M"),
            "closes": closes.strftime("%Y-%m-%d %H:%M"),
        }
    )


def _check_choice(
    consultation: Consultation,
    alternative_id: int | None,
    ranking: list[int] | None,
    comment: str,
    age_band: str,
    area: Area | None,
) -> tuple[int, list[int]]:
    ids = list(consultation.alternatives.values_list("pk", flat=True))
    errors: dict[str, str] = {}
    order: list[int] = []
    if consultation.mode == Mode.RANK:
        order = [int(pk) for pk in (ranking or [])]
        if sorted(order) != sorted(ids):
            errors["ranking"] = _("Ge varje alternativ en egen plats, från 1 till %(n)s.") % {
                "n": len(ids)
            }
        chosen = order[0] if order else 0
    else:
        chosen = int(alternative_id or 0)
        if chosen not in ids:
            errors["alternative"] = _("Välj ett av alternativen.")
    if len(comment) > COMMENT_MAX:
        errors["comment"] = _("Kommentaren får vara högst %(max)s tecken.") % {"max": COMMENT_MAX}
    if age_band and (
        not consultation.ask_age_band or age_band not in {code for code, _l in AGE_BANDS}
    ):
        errors["age_band"] = _("Välj en av åldersgrupperna.")
    if area is not None and (
        not consultation.ask_area
        or not selectors.area_choices(consultation).filter(pk=area.pk).exists()
    ):
        errors["area"] = _("Välj ett av områdena.")
    if errors:
        raise ConsultationError(errors)
    return chosen, order


def choice_make(
    *,
    consultation: Consultation,
    person_key: str,
    alternative_id: int | None = None,
    ranking: list[int] | None = None,
    comment: str = "",
    age_band: str = "",
    area: Area | None = None,
) -> tuple[Choice, bool]:
    """Record a person's choice, or change it: one per person (the constraint on the hash), the
    last one counts. `person_key`: the e-ID person key, or `selectors.email_key(address)` where
    the consultation takes verified e-mail. Returns the choice and whether it was the first."""
    consultation = Consultation.objects.get(pk=consultation.pk)
    _refuse_outside_period(consultation)
    comment = (comment or "").strip()
    chosen, order = _check_choice(consultation, alternative_id, ranking, comment, age_band, area)
    values = {
        "alternative_id": chosen,
        "ranking": order,
        "comment": comment,
        "age_band": age_band if consultation.ask_age_band else "",
        "area": area if consultation.ask_area else None,
        "chosen_on": timezone.localdate(),
    }
    hashed = selectors.person_hash(consultation, person_key)
    try:
        with transaction.atomic():
            return Choice.objects.create(
                consultation=consultation, person_hash=hashed, **values
            ), True
    except IntegrityError:
        # DOMAIN §7: one choice per person; a later one changes it in place.
        with transaction.atomic():
            choice = Choice.objects.select_for_update().get(
                consultation=consultation, person_hash=hashed
            )
            for name, value in values.items():
                setattr(choice, name, value)
            choice.save()
        return choice, False


def allowed_steps(consultation: Consultation) -> list[str]:
    return [step.name for step in workflow.PROCESS.available(consultation)]
