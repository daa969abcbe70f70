"""Forms of the councils part. They only parse input; the rules live in services.py."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from torget.accounts.forms import PersonChoiceField
from torget.accounts.models import User
from torget.accounts.roles import STAFF_ROLES, Role
from torget.accounts.selectors import users_with_role
from torget.core import inputs
from torget.councils.models import Council, CouncilKind, CouncilMeeting, CouncilMember
from torget.councils.selectors import current_members, utskott_members
from torget.dialogues.staff_forms import DateInput, DateTimeInput
from torget.geo.models import Area

TEXT_MAX = 5000


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = ["kind", "name", "area", "description", "focus_questions"]
        labels = {"kind": _("Typ av råd"), "name": _("Namn"), "area": _("Område")}
        help_texts = {
            "area": _(
                "Ett trygghetsråd hör till ett område och till utskottet för "
                "medborgardialog vars område täcker det."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "focus_questions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["kind"].initial = CouncilKind.SAFETY
        if self.instance.pk:
            del self.fields["kind"]  # the kind of a council does not change

    def _post_clean(self) -> None:
        # The service builds and validates the council (it knows the rules).
        pass


class MemberForm(forms.ModelForm):
    email = inputs.EmailField(label=_("E-post"), required=False)
    phone = inputs.PhoneField(label=_("Telefon"), required=False)
    user = PersonChoiceField(
        label=_("Användarkonto (frivilligt)"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("För ledamöter som är förtroendevalda eller anställda i kommunen."),
    )
    term_from = inputs.DateField(label=_("Uppdraget från"), widget=DateInput)
    term_to = inputs.DateField(label=_("Uppdraget till"), widget=DateInput, required=False)

    class Meta:
        model = CouncilMember
        fields = [
            "name",
            "organisation",
            "role",
            "represents",
            "term_from",
            "term_to",
            "email",
            "phone",
            "user",
        ]
        labels = {
            "name": _("Namn"),
            "organisation": _("Organisation"),
            "role": _("Roll"),
            "represents": _("Företräder"),
        }
        help_texts = {
            "email": _("Används för kallelser. Visas aldrig publikt."),
            "phone": _("Visas aldrig publikt."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Accounts of the municipality's people, not every citizen's.
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, groups__name__in=[r.value for r in STAFF_ROLES])
            .distinct()
            .order_by("full_name", "email")
        )

    def _post_clean(self) -> None:
        pass


class ChairForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Ordförande bland ledamöterna"),
        queryset=CouncilMember.objects.none(),
        required=False,
    )
    coordinator = PersonChoiceField(
        label=_("Eller: samordnaren är ordförande"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Bara om ingen av rådets ledamöter vill vara ordförande."),
    )
    reason = forms.CharField(
        label=_("Varför är samordnaren ordförande?"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = current_members(council)  # type: ignore[attr-defined]
        self.fields["coordinator"].queryset = users_with_role(  # type: ignore[attr-defined]
            Role.SAFETY_COORDINATOR
        ).order_by("full_name")


class SupportForm(forms.Form):
    user = PersonChoiceField(label=_("Tjänsteperson"), queryset=User.objects.none())
    task = forms.CharField(label=_("Uppgift"), max_length=150, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                Q(groups__name=Role.OFFICIAL) | Q(groups__name=Role.SAFETY_COORDINATOR),
                is_active=True,
            )
            .distinct()
            .order_by("full_name")
        )


class CloseForm(forms.Form):
    closed_on = inputs.DateField(label=_("Rådet avslutades"), widget=DateInput)
    reason = forms.CharField(
        label=_("Varför avslutas rådet?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CouncilMeetingForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    purpose = forms.CharField(
        label=_("Syfte"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Agendan byggs kring rådets fokusfrågor."),
    )
    starts_at = inputs.DateTimeField(label=_("Börjar"), widget=DateTimeInput)
    ends_at = inputs.DateTimeField(label=_("Slutar"), widget=DateTimeInput)
    place = forms.CharField(label=_("Plats och adress"), max_length=250)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Mötet måste sluta efter att det börjar."))
        return data


class SecretaryForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Sekreterare"), queryset=CouncilMember.objects.none())

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = current_members(council)  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Närvarande ledamöter"),
        queryset=CouncilMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = current_members(council)  # type: ignore[attr-defined]


class ParticipationForm(forms.Form):
    person = PersonChoiceField(
        label=_("Utskottets ledamot"), queryset=User.objects.none(), show_email=False
    )
    matter = forms.CharField(
        label=_("Ärendet som påkallar deltagande"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decided_on = inputs.DateField(label=_("Utskottet beslutade"), widget=DateInput)
    decision_reference = forms.CharField(
        label=_("Paragraf eller diarienummer"), max_length=60, required=False
    )
    council_meeting = forms.ModelChoiceField(
        label=_("Rådsmöte (frivilligt)"), queryset=CouncilMeeting.objects.none(), required=False
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [person.pk for person in utskott_members(council.utskott)]
        self.fields["person"].queryset = User.objects.filter(pk__in=people).order_by(  # type: ignore[attr-defined]
            "full_name"
        )
        self.fields["council_meeting"].queryset = CouncilMeeting.objects.filter(  # type: ignore[attr-defined]
            council=council
        ).select_related("meeting")
