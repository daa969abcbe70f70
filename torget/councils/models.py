"""Councils (*råd*): standing councils of several kinds (DOMAIN §5, §7).

Local safety councils (*trygghetsråd*), one per area, tied to the utskott för medborgardialog
whose area covers it, and the advisory councils (*brukarråd*, *pensionärsråd*, *rådet för
mänskliga rättigheter*, *ungdomsråd*). Members represent authorities, organisations,
associations, businesses and residents; an advisory council also has elected officials;
officials are added as administrative support. A council's meetings are meetings of the
meetings part, owned through the council's own body (`BodyKind.STANDING_COUNCIL`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CouncilKind(models.TextChoices):
    """The value is a stable code that code and data refer to; the label may change."""

    SAFETY = "trygghetsrad", _("Trygghetsråd")
    USERS = "brukarrad", _("Brukarråd")
    PENSIONERS = "pensionarsrad", _("Pensionärsråd")
    HUMAN_RIGHTS = "manskliga-rattigheter", _("Rådet för mänskliga rättigheter")
    YOUTH = "ungdomsrad", _("Ungdomsråd")


# The advisory councils are dialogues between organisations' representatives and elected
# officials (DOMAIN §7); a safety council has no elected officials (DOMAIN §5).
KINDS_WITH_ELECTED = frozenset(
    {CouncilKind.USERS, CouncilKind.PENSIONERS, CouncilKind.HUMAN_RIGHTS, CouncilKind.YOUTH}
)


class CouncilStatus(models.TextChoices):
    ACTIVE = "aktivt", _("Aktivt")
    CLOSED = "avslutat", _("Avslutat")


class Council(models.Model):
    """Råd: a standing council. A closed council is kept, with its meetings and documents."""

    kind = models.CharField(_("typ av råd"), max_length=30, choices=CouncilKind.choices)
    name = models.CharField(_("namn"), max_length=150, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=150, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("område"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="councils",
    )
    # The utskott whose area covers the council's area, derived from the area by
    # services.utskott_covering() whenever the area is set; stored so lists need no walk.
    utskott = models.ForeignKey(
        "organisation.Body",
        verbose_name=_("utskott för medborgardialog"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="councils",
        editable=False,
    )
    # The council's own body: its meetings are that body's meetings (meetings.bodies).
    body = models.OneToOneField(
        "organisation.Body",
        on_delete=models.PROTECT,
        related_name="council",
        editable=False,
    )
    focus_questions = models.TextField(
        _("fokusfrågor"),
        blank=True,
        help_text=_(
            "En fråga per rad: de frågor som bedöms viktigast för tryggheten och där alla "
            "eller de flesta i rådet kan bidra med åtgärder. Varje möte får en punkt per fråga."
        ),
    )
    chair = models.ForeignKey(
        "CouncilMember",
        verbose_name=_("ordförande"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Only when none of the local members will take the chair does the safety unit's
    # coordinator act as chair (DOMAIN §5); the exception and its reason are recorded.
    acting_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("samordnare som är ordförande"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chair_exception_reason = models.TextField(_("varför samordnaren är ordförande"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CouncilStatus.choices, default=CouncilStatus.ACTIVE
    )
    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    closed_reason = models.TextField(_("varför rådet avslutades"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("råd")
        verbose_name_plural = _("råd")
        ordering = ["kind", "name"]
        constraints = [
            # One active safety council per area (DOMAIN §5).
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(kind="trygghetsrad", status="aktivt"),
                name="councils_one_active_safety_council_per_area",
            ),
            models.CheckConstraint(
                condition=Q(chair__isnull=True) | Q(acting_chair__isnull=True),
                name="councils_council_one_chair",
            ),
            models.CheckConstraint(
                condition=Q(acting_chair__isnull=True) | ~Q(chair_exception_reason=""),
                name="councils_council_acting_chair_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="avslutat") | Q(closed_on__isnull=True),
                name="councils_council_closed_on_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils:detail", kwargs={"slug": self.slug})

    def staff_url(self) -> str:
        return reverse("councils:staff_detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status == CouncilStatus.CLOSED

    @property
    def has_elected(self) -> bool:
        return self.kind in KINDS_WITH_ELECTED


class Represents(models.TextChoices):
    AUTHORITY = "myndighet", _("Myndighet")
    ORGANISATION = "organisation", _("Organisation")
    ASSOCIATION = "forening", _("Förening")
    BUSINESS = "naringsidkare", _("Näringsidkare")
    RESIDENTS = "boende", _("Boende")
    ELECTED = "fortroendevald", _("Förtroendevald")


class CouncilMember(models.Model):
    """Ledamot i rådet: a person who represents an authority, an organisation, an
    association, a business or the residents, or an elected official (advisory councils)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("namn"), max_length=120)
    organisation = models.CharField(_("organisation"), max_length=150)
    role = models.CharField(_("roll"), max_length=120, help_text=_("Till exempel områdespolis."))
    represents = models.CharField(_("företräder"), max_length=20, choices=Represents.choices)
    term_from = models.DateField(_("uppdraget från"))
    term_to = models.DateField(_("uppdraget till"), null=True, blank=True)
    # Contact details are for the council's work only: never on a public page.
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användarkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledamot i råd")
        verbose_name_plural = _("ledamöter i råd")
        ordering = ["council", "organisation", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_to__isnull=True) | Q(term_to__gte=F("term_from")),
                name="councils_member_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class CouncilSupport(models.Model):
    """A municipal official added to the council as administrative support."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="support")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tjänsteperson"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    task = models.CharField(_("uppgift"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("administrativt stöd")
        verbose_name_plural = _("administrativt stöd")
        ordering = ["council", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="councils_support_once"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class CouncilMeeting(models.Model):
    """A council's meeting: the meeting itself (agenda, documentation, documents) is the
    meetings part's; here are what only a council has: the secretary appointed at the meeting,
    the members present, and when the minutes went to the utskott."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="council_meeting"
    )
    secretary = models.ForeignKey(
        CouncilMember,
        verbose_name=_("sekreterare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    present = models.ManyToManyField(
        CouncilMember, verbose_name=_("närvarande"), blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(_("inbjudan skickad till utskottet"), null=True)
    minutes_sent_at = models.DateTimeField(_("protokollet skickat till utskottet"), null=True)

    class Meta:
        verbose_name = _("rådsmöte")
        verbose_name_plural = _("rådsmöten")
        ordering = ["council", "meeting__starts_at"]

    def __str__(self) -> str:
        return str(self.meeting)


class UtskottParticipation(models.Model):
    """The utskott's decision that a council matter calls for one of its members to take
    part: such matters are the exception, and the decision gives the right to compensation
    (*ersättning för förrättning*)."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="participations")
    council_meeting = models.ForeignKey(
        CouncilMeeting,
        verbose_name=_("rådsmöte"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utskottets ledamot"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.TextField(_("ärendet som påkallar deltagande"))
    decided_on = models.DateField(_("utskottets beslut, datum"))
    decision_reference = models.CharField(
        _("beslutets paragraf eller diarienummer"), max_length=60, blank=True
    )
    compensation = models.BooleanField(_("ersättning för förrättning"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("utskottets beslut om deltagande")
        verbose_name_plural = _("utskottens beslut om deltagande")
        ordering = ["council", "-decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.person}: {self.matter[:40]}"
