"""Pages of consultations: the public page with the choice and, once it is over, the result;
the files of an alternative; the staff pages to prepare, approve, open, close and publish; and
the sections on the dialogue's pages. Views parse a form, call one service, and redirect."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.accounts.types import Actor
from torget.consultations import forms, selectors, services
from torget.consultations.models import Alternative, Consultation, Eligibility, Status
from torget.consultations.permissions import can_manage
from torget.core.actions import Action, action_or_404, handle_action_post
from torget.core.forms import apply_service_errors
from torget.core.media import serve_file
from torget.dialogues import selectors as dialogue_selectors
from torget.dialogues.models import Dialogue
from torget.identity.selectors import fresh_verification

# --- Sections on the dialogue's pages ----------------------------------------------------------


def public_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """ "Samråd" on the public page: the approved consultations, linked."""
    if not dialogue.is_public:
        return ""
    consultations = list(selectors.public_consultations_of(dialogue))
    if not consultations:
        return ""
    return render_to_string(
        "consultations/public_section.html",
        {"consultations": consultations, "now": timezone.now()},
        request=request,
    )


def staff_section(request: HttpRequest, dialogue: Dialogue) -> str:
    return render_to_string(
        "consultations/staff_section.html",
        {
            "dialogue": dialogue,
            "consultations": list(selectors.consultations_of(dialogue)),
            "can_work": dialogue_selectors.can_work_with(request.user, dialogue),
        },
        request=request,
    )


# --- Public ------------------------------------------------------------------------------------


def _person_key(request: HttpRequest, consultation: Consultation) -> str | None:
    """Who is choosing, by the consultation's rule: a fresh e-ID step, or a signed-in account
    with a verified e-mail address."""
    if consultation.eligibility == Eligibility.EMAIL:
        user = request.user
        if user.is_authenticated and getattr(user, "is_email_verified", False):
            return selectors.email_key(user.email)
        return None
    verification = fresh_verification(request)
    return verification.person_key if verification is not None else None


def _sign_in_url(request: HttpRequest, consultation: Consultation) -> str:
    name = "accounts:login" if consultation.eligibility == Eligibility.EMAIL else "identity:choose"
    return reverse(name) + "?" + urlencode({"next": request.path})


def _initial(consultation: Consultation, choice: Any) -> dict[str, Any]:
    if choice is None:
        return {}
    initial: dict[str, Any] = {
        "alternative": choice.alternative_id,
        "comment": choice.comment,
        "age_band": choice.age_band,
        "area": choice.area_id,
    }
    for place, pk in enumerate(choice.ranking, start=1):
        initial[f"place_{pk}"] = place
    return initial


def _result(consultation: Consultation) -> dict[str, Any] | None:
    if consultation.status == Status.PUBLISHED:
        data = consultation.result
    elif consultation.is_over():
        data = selectors.tally(consultation)
    else:
        return None
    return _presented(consultation, data)


def _presented(consultation: Consultation, data: dict[str, Any]) -> dict[str, Any]:
    """The counted result, with the alternatives' titles in place of their ids."""
    rows = {row["id"]: row for row in data.get("alternatives", [])}
    return data | {
        "ranked_rows": [rows[pk] for pk in data.get("ranked", []) if pk in rows],
        "tables": [
            (_("Per område"), data.get("by_area", [])),
            (_("Per åldersgrupp"), data.get("by_age", [])),
        ],
    }


@never_cache
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, dialogue_pk: int, pk: int) -> HttpResponse:
    consultation = selectors.access_public(dialogue_pk, pk)
    key = _person_key(request, consultation)
    existing = selectors.choice_of(consultation, key) if key else None
    taking = consultation.is_taking_choices()
    form = None
    status = 200
    if taking:
        form = forms.ChoiceForm(
            request.POST or None,
            consultation=consultation,
            initial=_initial(consultation, existing),
        )
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Samrådet tar inte emot val just nu."))
            return redirect(consultation.get_absolute_url())
        if key is None:
            messages.info(request, _("Identifiera dig först, sedan kan du välja."))
            return redirect(_sign_in_url(request, consultation))
        if form.is_valid():
            try:
                services.choice_make(
                    consultation=consultation, person_key=key, **form.service_values()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                closes = formats.date_format(timezone.localtime(consultation.closes_at), "j F Y")
                messages.success(
                    request,
                    _("Ditt val är registrerat. Du kan ändra det till och med %(date)s.")
                    % {"date": closes},
                )
                return redirect(consultation.get_absolute_url() + "#ditt-val")
        status = 400
    alternatives = list(consultation.alternatives.select_related("area"))
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "dialogue": consultation.dialogue,
            "alternatives": alternatives,
            "places": json.dumps(
                {
                    str(a.pk): {"type": "Point", "coordinates": [a.lon, a.lat]}
                    for a in alternatives
                    if a.has_place
                }
            ),
            "form": form,
            "taking": taking,
            "is_over": consultation.is_over(),
            "identified": key is not None,
            "existing": existing,
            "existing_order": _existing_order(existing, alternatives),
            "sign_in_url": _sign_in_url(request, consultation),
            "count_rule": selectors.count_rule(consultation),
            "result": _result(consultation),
        },
        status=status,
    )


def _existing_order(existing: Any, alternatives: list[Alternative]) -> list[Alternative]:
    if existing is None:
        return []
    by_pk = {a.pk: a for a in alternatives}
    order = existing.ranking or [existing.alternative_id]
    return [by_pk[pk] for pk in order if pk in by_pk]


def _file_of(request: HttpRequest, dialogue_pk: int, pk: int, alternative_pk: int) -> Alternative:
    try:
        return selectors.access_alternative_public(dialogue_pk, pk, alternative_pk)
    except Http404:
        # Those who prepare the draft see its files at the same address; for everyone else
        # it does not exist yet.
        try:
            alternative = selectors.access_alternative_for_work(request.user, pk, alternative_pk)
        except PermissionDenied:
            raise Http404 from None
        if alternative.consultation.dialogue_id != dialogue_pk:
            raise
        return alternative


@require_GET
def alternative_image(
    request: HttpRequest, dialogue_pk: int, pk: int, alternative_pk: int
) -> HttpResponseBase:
    alternative = _file_of(request, dialogue_pk, pk, alternative_pk)
    return serve_file(
        alternative.image,
        public=alternative.consultation.is_public,
        content_type="image/jpeg",
    )


@require_GET
def alternative_document(
    request: HttpRequest, dialogue_pk: int, pk: int, alternative_pk: int
) -> HttpResponseBase:
    alternative = _file_of(request, dialogue_pk, pk, alternative_pk)
    return serve_file(
        alternative.document,
        public=alternative.consultation.is_public,
        content_type="application/pdf",
        filename="alternativ.pdf",
    )


# --- Staff -------------------------------------------------------------------------------------


def _form_values(form: Any) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["description"] = data.get("description") or ""
    return data


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = dialogue_selectors.access_dialogue_for_work(request.user, pk)
    form = forms.ConsultationForm(
        request.POST or None,
        dialogue=dialogue,
        initial={
            "mode": "valj",
            "eligibility": "e-legitimation",
            "ask_age_band": True,
            "ask_area": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(
                dialogue=dialogue, actor=request.user, **_form_values(form)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Samrådet är skapat. Lägg till alternativen."))
            return redirect(consultation.staff_url())
    return render(
        request,
        "consultations/staff/form.html",
        {"dialogue": dialogue, "form": form, "heading": _("Nytt samråd om alternativ")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.access_for_work(request.user, pk)
    initial = {name: getattr(consultation, name) for name in services.FIELDS}
    initial["opens_at"] = timezone.localtime(consultation.opens_at).strftime("%Y-%m-%dT%H:%M")
    initial["closes_at"] = timezone.localtime(consultation.closes_at).strftime("%Y-%m-%dT%H:%M")
    form = forms.ConsultationForm(
        request.POST or None, dialogue=consultation.dialogue, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(
                consultation=consultation, actor=request.user, **_form_values(form)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Samrådet är ändrat."))
            return redirect(consultation.staff_url())
    return render(
        request,
        "consultations/staff/form.html",
        {
            "dialogue": consultation.dialogue,
            "consultation": consultation,
            "form": form,
            "heading": _("Ändra samrådet"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alternative_new(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.access_for_work(request.user, pk)
    return _alternative_page(request, consultation, None)


@login_required
@require_http_methods(["GET", "POST"])
def alternative_edit(request: HttpRequest, pk: int, alternative_pk: int) -> HttpResponse:
    alternative = selectors.access_alternative_for_work(request.user, pk, alternative_pk)
    return _alternative_page(request, alternative.consultation, alternative)


def _alternative_page(
    request: HttpRequest, consultation: Any, alternative: Any | None
) -> HttpResponse:
    """The form for a new alternative (`alternative` None) or for changing one."""
    initial = (
        {
            name: getattr(alternative, name)
            for name in ("title", "description", "image_alt", "document_title", "lat", "lon")
        }
        | {"area": alternative.area_id}
        if alternative is not None
        else None
    )
    form = forms.AlternativeForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if alternative is None:
                services.alternative_add(
                    consultation=consultation, actor=request.user, **_form_values(form)
                )
            else:
                services.alternative_update(
                    alternative=alternative, actor=request.user, **_form_values(form)
                )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            done = (
                _("Alternativet är tillagt.")
                if alternative is None
                else _("Alternativet är ändrat.")
            )
            messages.success(request, done)
            return redirect(consultation.staff_url() + "#alternativ")
    context = {
        "dialogue": consultation.dialogue,
        "consultation": consultation,
        "form": form,
        "heading": _("Nytt alternativ") if alternative is None else _("Ändra alternativet"),
    }
    if alternative is not None:
        context["alternative"] = alternative
    return render(
        request, "consultations/staff/form.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def alternative_remove(request: HttpRequest, pk: int, alternative_pk: int) -> HttpResponse:
    alternative = selectors.access_alternative_for_work(request.user, pk, alternative_pk)
    consultation = alternative.consultation
    try:
        services.alternative_remove(alternative=alternative, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Alternativet är borttaget."))
    return redirect(consultation.staff_url() + "#alternativ")


def _action(
    form_class: type[Any], call: Any, done: Any, *, button: Any, step: str, danger: bool = False
) -> Action[Consultation]:
    def take(consultation: Consultation, actor: Actor, form: Any) -> str:
        call(consultation, actor, form.cleaned_data)
        return str(done)

    return Action(form_class, take, button=button, step=step, danger=danger)


ACTIONS: dict[str, Action[Consultation]] = {
    "godkann": _action(
        forms.ApprovalForm,
        lambda c, user, data: services.approval_record(consultation=c, actor=user, **data),
        gettext_lazy("Godkännandet är registrerat. Alternativen kan inte ändras längre."),
        button=gettext_lazy("Registrera godkännandet"),
        step="approve",
    ),
    "oppna": _action(
        forms.ConfirmForm,
        lambda c, user, data: services.consultation_open(consultation=c, actor=user),
        gettext_lazy("Samrådet är öppnat. Dialogens bevakare får besked."),
        button=gettext_lazy("Öppna samrådet"),
        step="open",
    ),
    "stang": _action(
        forms.ConfirmForm,
        lambda c, user, data: services.consultation_close(consultation=c, actor=user),
        gettext_lazy("Samrådet är stängt. Resultatet visas på samrådets sida."),
        button=gettext_lazy("Stäng samrådet"),
        step="close",
        danger=True,
    ),
    "publicera": _action(
        forms.PublishForm,
        lambda c, user, data: services.result_publish(consultation=c, actor=user, **data),
        gettext_lazy(
            "Resultatet är publicerat på dialogens sida och registrerat bland dialogens "
            "resultat. Dialogens bevakare får besked."
        ),
        button=gettext_lazy("Publicera resultatet"),
        step="publish",
    ),
}


def _staff_page(
    request: HttpRequest,
    consultation: Consultation,
    *,
    bound: tuple[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    may = can_manage(request.user, consultation)
    steps = set(services.allowed_steps(consultation)) if may else set()
    panels = []
    for name, action in ACTIONS.items():
        if action.step not in steps:
            continue
        if bound and bound[0] == name:
            form = bound[1]
        else:
            initial = {"text": _draft_text(consultation)} if name == "publicera" else None
            form = action.form_class(prefix=name, initial=initial)
        panels.append(
            {
                "name": name,
                "form": form,
                "button": action.button,
                "danger": action.danger,
                "url": reverse("consultations:staff_action", args=[consultation.pk, name]),
            }
        )
    result = selectors.tally(consultation)
    return render(
        request,
        "consultations/staff/detail.html",
        {
            "consultation": consultation,
            "dialogue": consultation.dialogue,
            "alternatives": list(consultation.alternatives.select_related("area")),
            "can_manage": may,
            "is_draft": consultation.status == Status.DRAFT,
            "panels": panels,
            "result": _presented(consultation, result),
            "count_rule": selectors.count_rule(consultation),
        },
        status=status,
    )


def _draft_text(consultation: Consultation) -> str:
    data = selectors.tally(consultation)
    lines = [
        _("%(total)s personer deltog i samrådet ”%(title)s”.")
        % {"total": data["total"], "title": consultation.title}
    ]
    rows = {row["id"]: row for row in data["alternatives"]}
    for pk in data["ranked"]:
        row = rows[pk]
        if row["points"] is not None:
            lines.append(
                _("– %(title)s: %(points)s poäng, %(count)s satte det först")
                % {"title": row["title"], "points": row["points"], "count": row["count"]}
            )
        else:
            lines.append(
                _("– %(title)s: %(count)s val") % {"title": row["title"], "count": row["count"]}
            )
    return "\n".join(lines)


@login_required
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.access_for_reading(request.user, pk)
    return _staff_page(request, consultation)


@login_required
@require_POST
def staff_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    consultation = selectors.access_for_work(request.user, pk)
    chosen = action_or_404(ACTIONS, action)
    if chosen.step not in services.allowed_steps(consultation):
        messages.error(request, _("Det steget går inte att ta nu."))
        return redirect(consultation.staff_url())
    form = chosen.form_class(request.POST, prefix=action)
    return handle_action_post(
        request,
        consultation,
        chosen,
        form,
        success_url=consultation.staff_url(),
        invalid=lambda bad: _staff_page(request, consultation, bound=(action, bad), status=400),
    )
