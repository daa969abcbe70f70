"""The forum's public forms: a new thread, a post or reply, an edit. They parse; the
services (forum.services) hold the rules and say what is wrong, in Swedish."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torget.core.inputs import IdField
from torget.forum.badges import Badge
from torget.forum.services import SHOWN_NAME_MAX, TEXT_MAX, TITLE_MAX

NO_BADGE = ""


def badge_value(badge: Badge) -> str:
    return f"{badge.kind}|{badge.label}"


class _Posting(forms.Form):
    """What every post asks: the text, the name to show and, for someone with a role in the
    municipality, which role badge to show."""

    text = forms.CharField(
        label=_("Ditt inlägg"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Skriv med egna ord. Länkar blir klickbara; bilder och formatering visas inte."
        ),
    )
    shown_name = forms.CharField(
        label=_("Namn som visas"),
        max_length=SHOWN_NAME_MAX,
        required=False,
        help_text=_(
            "Förnamn och område om du inte väljer något annat. Din e-postadress visas aldrig."
        ),
    )
    badge = forms.ChoiceField(label=_("Skriv som"), required=False)

    def __init__(self, *args: Any, badges: list[Badge] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        badges = badges or []
        if badges:
            choices = [(badge_value(b), b.label) for b in badges]
            self.fields["badge"].choices = [*choices, (NO_BADGE, _("Invånare, utan roll"))]  # type: ignore[attr-defined]
            self.fields["badge"].help_text = _(
                "Din roll i kommunen visas som ett märke vid inlägget."
            )
            if not self.is_bound:
                self.initial.setdefault("badge", choices[0][0])
        else:
            # Nothing to choose; a badge sent anyway reaches the service, which refuses it.
            self.fields["badge"] = forms.CharField(
                required=False, max_length=300, widget=forms.HiddenInput
            )

    def badge_values(self) -> dict[str, str]:
        value = self.cleaned_data.get("badge") or ""
        kind, _sep, label = value.partition("|")
        return {"badge_kind": kind, "badge_label": label}


class NewThreadForm(_Posting):
    title = forms.CharField(label=_("Rubrik"), max_length=TITLE_MAX)
    starting_question = forms.BooleanField(
        label=_("Startfråga från kommunen"),
        required=False,
        help_text=_("Visas som kommunens startfråga i forumet."),
    )
    field_order = ["title", "text", "shown_name", "badge", "starting_question"]

    def __init__(self, *args: Any, may_ask: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Det du vill ta upp")
        if not may_ask:
            del self.fields["starting_question"]


class ReplyForm(_Posting):
    parent = IdField(required=False, widget=forms.HiddenInput)
    quote_of = IdField(required=False, widget=forms.HiddenInput)


class EditForm(forms.Form):
    text = forms.CharField(
        label=_("Ditt inlägg"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
