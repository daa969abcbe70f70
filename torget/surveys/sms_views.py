"""SMS surveys: the staff page that sends one (recipients, the cost, then the confirmation),
the reminder button, and the webhook the SMS gateway posts replies to."""

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from torget.core.forms import apply_service_errors
from torget.core.ratelimit import client_ip
from torget.geo.models import Area
from torget.surveys import selectors, sms

logger = logging.getLogger(__name__)


class RecipientsForm(forms.Form):
    """Who gets the survey: a pasted list of numbers, or the SMS followers of an area."""

    numbers = forms.CharField(
        label=gettext_lazy("Mobilnummer, ett på varje rad"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off"}),
        help_text=gettext_lazy(
            "Till exempel 070-123 45 67. Samma nummer räknas en gång; nummer som har svarat "
            "STOPP hoppas över."
        ),
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Eller: de som bevakar ett område med sms"),
        queryset=Area.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Inget område"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        numbers = (data.get("numbers") or "").strip()
        area = data.get("area")
        if numbers and area:
            raise ValidationError(
                _("Välj antingen en lista med nummer eller ett område, inte båda.")
            )
        if not numbers and not area:
            if not self.errors:  # an area that does not exist has said so already
                self.add_error("numbers", _("Skriv minst ett mobilnummer, eller välj ett område."))
            return data
        if numbers:
            parsed = sms.parse_numbers(numbers)
            for line, written, problem in parsed.errors:
                self.add_error(
                    "numbers",
                    _("Rad %(line)s (%(written)s): %(problem)s")
                    % {"line": line, "written": written, "problem": problem},
                )
            data["phones"] = parsed.phones
            data["duplicates"] = parsed.duplicates
        else:
            data["phones"] = sms.area_numbers(area)
            data["duplicates"] = 0
            if not data["phones"]:
                self.add_error("area", _("Ingen bevakar området med sms."))
        return data


def _page(request: HttpRequest, survey: Any, form: RecipientsForm, **extra: Any) -> HttpResponse:
    questions = sms.survey_questions(survey)
    context = {
        "survey": survey,
        "form": form,
        "problems": sms.problems(survey, questions),
        "counts": sms.conversation_counts(survey),
        "example": sms.cost(survey, 1, questions),
        "price": settings.SMS_PRICE_SEK,
        **extra,
    }
    return render(request, "surveys/sms/send.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def sms_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Step one: the recipients; step two: what it will cost, and the button that sends."""
    survey = selectors.access_survey_for_staff(request.user, pk)
    if request.method != "POST":
        return _page(request, survey, RecipientsForm())
    form = RecipientsForm(request.POST)
    if not form.is_valid():
        return _page(request, survey, form)
    phones = form.cleaned_data["phones"]
    recipients = sms.recipients_sort(survey, phones)
    if "skicka" not in request.POST:
        return _page(
            request,
            survey,
            form,
            preview=True,
            recipients=recipients,
            duplicates=form.cleaned_data["duplicates"],
            cost=sms.cost(survey, len(recipients.new)),
        )
    try:
        sent = sms.survey_sms_send(survey=survey, phones=phones, actor=request.user)
    except ValidationError as error:
        apply_service_errors(form, error)
        return _page(request, survey, form)
    messages.success(
        request,
        _("Enkäten skickas till %(count)s nummer. Svaren kommer in efter hand.")
        % {"count": len(sent.new)},
    )
    return redirect("surveys:sms_send", pk=survey.pk)


@login_required
@require_POST
def sms_remind(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.access_survey_for_staff(request.user, pk)
    reminded = sms.sms_reminders_send(survey=survey, actor=request.user)
    if reminded:
        messages.success(
            request,
            _("En påminnelse skickas till %(count)s nummer som inte har svarat.")
            % {"count": reminded},
        )
    else:
        messages.info(request, _("Ingen väntar på en påminnelse: alla har fått en eller svarat."))
    return redirect("surveys:sms_send", pk=survey.pk)


@csrf_exempt
def sms_inbound(request: HttpRequest, secret: str) -> HttpResponse:
    """46elks posts every SMS to our number here (form-encoded `from`, `to`, `message`,
    `id`, `created`). The address carries a secret only the gateway knows, and when
    ELKS_INBOUND_IPS is set the sender must be one of them. The answer is 200 with an empty
    body: text in it would go back to the sender as an SMS, and replies go by the outbox."""
    expected = settings.ELKS_INBOUND_SECRET
    if not expected or not constant_time_compare(secret, expected):
        raise Http404
    allowed = settings.ELKS_INBOUND_IPS
    if allowed and client_ip(request) not in allowed:
        logger.warning("SMS webhook called from %s, not a gateway address", client_ip(request))
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    message_id = request.POST.get("id", "").strip()
    phone = request.POST.get("from", "").strip()
    if not message_id or not phone:
        return HttpResponse(status=400)
    result = sms.sms_receive(
        message_id=message_id, phone=phone, text=request.POST.get("message", "")
    )
    logger.info("SMS %s: %s", message_id, result.outcome)
    return HttpResponse(status=200, content_type="text/plain")
