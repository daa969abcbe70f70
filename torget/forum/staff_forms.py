"""Forms of the forum's staff pages and of the public flag page."""

import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.dialogues.catalogue import WEB_FORUM
from torget.dialogues.models import Dialogue, PlannedMethod
from torget.dialogues.staff_forms import DateInput
from torget.forum.models import FlagReason, HideReason, Identification, Moderation, Tag
from torget.forum.staff_services import RESULT_KINDS, forum_methods
from torget.results.models import Kind


class ForumForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    intro = forms.CharField(
        label=_("Inledning"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad samtalet handlar om och vad kommunen vill veta."),
    )
    planned_method = forms.ModelChoiceField(
        label=_("Metod i dialogens plan"),
        queryset=PlannedMethod.objects.none(),
        help_text=_("Forumet är öppet för att skriva under metodens period."),
    )
    citizens_may_start = forms.BooleanField(
        label=_("Invånare får starta egna trådar"),
        required=False,
        help_text=_("Minst en tredjedel av tiden är till för invånarnas egna frågor."),
    )
    identification = forms.ChoiceField(
        label=_("Vem får skriva"), choices=Identification.choices, widget=forms.RadioSelect
    )
    moderation = forms.ChoiceField(
        label=_("Moderering"), choices=Moderation.choices, widget=forms.RadioSelect
    )
    participants = forms.CharField(
        label=_("Vilka från kommunen som deltar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Till exempel politiker och tjänstepersoner som svarar, och när."),
    )

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["planned_method"])
        methods = forum_methods(dialogue)
        field.queryset = methods
        field.label_from_instance = _method_label  # type: ignore[method-assign,assignment]
        if not self.is_bound and "planned_method" not in self.initial:
            suggested = methods.filter(method__code=WEB_FORUM).first()
            if suggested is not None:
                self.initial["planned_method"] = suggested.pk


def _method_label(method: PlannedMethod) -> str:
    if method.starts_on and method.ends_on:
        return f"{method.method.name} ({method.starts_on:%Y-%m-%d} – {method.ends_on:%Y-%m-%d})"
    return f"{method.method.name} ({_('inga datum ännu')})"


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Sammanfattning"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Vad som kom fram i forumet: de viktigaste frågorna, förslagen och svaren. "
            "Visas på forumets sida när den är publicerad."
        ),
    )


class HideForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Regel som inlägget bryter mot"),
        choices=HideReason.choices,
        widget=forms.RadioSelect,
        help_text=_("Visas i inläggets ställe och skickas till skribenten."),
    )
    note = forms.CharField(
        label=_("Förklaring till skribenten"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmForm(forms.Form):
    """A step with nothing to fill in."""


class TagForm(forms.Form):
    name = forms.CharField(
        label=_("Etikett"),
        max_length=60,
        help_text=_("Skriv en ny eller en som finns i forumet."),
    )


class UntagForm(forms.Form):
    # The post's own tags (prefetched on the thread's page: no query per post).
    tag = forms.TypedChoiceField(label=_("Etikett"), coerce=int)

    def __init__(self, *args: Any, post: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.post = post
        if post is not None:
            cast(forms.ChoiceField, self.fields["tag"]).choices = [
                (tag.pk, tag.name) for tag in post.tags.all()
            ]

    def clean_tag(self) -> Tag:
        pk = self.cleaned_data["tag"]
        tag = next((tag for tag in self.post.tags.all() if tag.pk == pk), None)
        if tag is None:
            raise forms.ValidationError(_("Inlägget har inte den etiketten."))
        return tag


class ResultForm(forms.Form):
    title = forms.CharField(
        label=_("Rubrik"),
        max_length=200,
        required=False,
        help_text=_("Tomt: trådens rubrik."),
    )
    kind = forms.ChoiceField(
        label=_("Typ"),
        choices=[(kind.value, kind.label) for kind in RESULT_KINDS],
        widget=forms.RadioSelect,
        help_text=_(
            "Partipolitiska frågor hanteras inte av förvaltningen förrän den förtroendevalda "
            "har lyft dem. Enkla frågor går till kontaktcenter."
        ),
    )
    # The elected officials are listed once per page (a thread's page has a form per post).
    politician = forms.ChoiceField(
        label=_("Förtroendevald som lyfter frågan"),
        required=False,
        help_text=_("Bara för partipolitiska frågor."),
    )

    def __init__(self, *args: Any, politicians: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["politician"]).choices = politicians

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Kind.PARTY_POLITICAL and not data.get("politician"):
            self.add_error(
                "politician", _("Välj den förtroendevalda som ska lyfta frågan politiskt.")
            )
        return data


class BanForm(forms.Form):
    until = forms.DateField(
        label=_("Avstängd till och med"),
        widget=DateInput,
    )
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skickas till skribenten och sparas i loggen."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["until"].help_text = _("Högst %(days)s dagar framåt.") % {
            "days": settings.FORUM_BAN_MAX_DAYS
        }
        if not self.is_bound and "until" not in self.initial:
            self.initial["until"] = timezone.localdate() + datetime.timedelta(days=14)


class LiftForm(forms.Form):
    ban = forms.IntegerField(widget=forms.HiddenInput)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Varför bryter inlägget mot reglerna?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Kommentar till moderatorn"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
