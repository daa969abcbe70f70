"""Safety work beside the councils: the safety survey results (*trygghetsundersökning*) per
area and year, and the citizens' promise (*medborgarlöfte*) of the municipality and the
police, with its commitments followed up every four months (*tertial*) by both parties."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SurveyResult(models.Model):
    """The results of one year's safety survey in one area."""

    area = models.ForeignKey(
        "geo.Area", verbose_name=_("område"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    source_name = models.CharField(_("fil"), max_length=255, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trygghetsundersökning")
        verbose_name_plural = _("trygghetsundersökningar")
        ordering = ["area__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="safety_one_survey_per_area_year")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}"


class SurveyAnswer(models.Model):
    """The share of those asked who answered `option` to `question`, in per cent."""

    result = models.ForeignKey(SurveyResult, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("fråga"), max_length=500)
    option = models.CharField(_("svarsalternativ"), max_length=200)
    share = models.DecimalField(_("andel (procent)"), max_digits=5, decimal_places=1)
    # The order of the file, so questions and options read as the survey asked them.
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "question", "option"], name="safety_one_share_per_option"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=100), name="safety_share_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.option} {self.share} %"


class CitizensPromise(models.Model):
    """Medborgarlöfte: the joint promise of the municipality and the police for a period."""

    title = models.CharField(_("rubrik"), max_length=200)
    summary = models.TextField(_("inledning"), blank=True)
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")
        ordering = ["-valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="safety_promise_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("safety:promise", args=[self.pk])

    def staff_url(self) -> str:
        return reverse("safety:staff_promise", args=[self.pk])

    def tertials(self) -> list["Tertial"]:
        """The tertials the period touches, in order."""
        return tertials_between(self.valid_from, self.valid_to)


class Commitment(models.Model):
    """One of the promise's commitments (*åtaganden*)."""

    promise = models.ForeignKey(
        CitizensPromise, on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.TextField(_("åtagande"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Party(models.TextChoices):
    MUNICIPALITY = "kommunen", _("Kommunen")
    POLICE = "polisen", _("Polisen")


class FollowUpStatus(models.TextChoices):
    NOT_STARTED = "ej-paborjat", _("Inte påbörjat")
    ONGOING = "pagar", _("Pågår")
    DONE = "genomfort", _("Genomfört")
    DELAYED = "forsenat", _("Försenat")


class FollowUp(models.Model):
    """One party's follow-up of one commitment for one tertial."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="follow_ups")
    year = models.PositiveSmallIntegerField(_("år"))
    tertial = models.PositiveSmallIntegerField(
        _("tertial"), choices=[(1, _("Tertial 1")), (2, _("Tertial 2")), (3, _("Tertial 3"))]
    )
    party = models.CharField(_("part"), max_length=10, choices=Party.choices)
    status = models.CharField(_("status"), max_length=15, choices=FollowUpStatus.choices)
    text = models.TextField(_("uppföljning"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["year", "tertial", "party"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "year", "tertial", "party"],
                name="safety_one_follow_up_per_party_and_tertial",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment} T{self.tertial} {self.year} {self.party}"


class Tertial(tuple[int, int]):
    """(year, number): January–April, May–August, September–December."""

    @property
    def year(self) -> int:
        return self[0]

    @property
    def number(self) -> int:
        return self[1]

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self[0], 4 * (self[1] - 1) + 1, 1)

    @property
    def last_day(self) -> datetime.date:
        if self[1] == 3:
            return datetime.date(self[0], 12, 31)
        return datetime.date(self[0], 4 * self[1] + 1, 1) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"T{self[1]} {self[0]}"


def tertial_of(day: datetime.date) -> Tertial:
    return Tertial((day.year, (day.month - 1) // 4 + 1))


def tertials_between(start: datetime.date, end: datetime.date) -> list[Tertial]:
    found: list[Tertial] = []
    current = tertial_of(start)
    last = tertial_of(end)
    while current <= last:
        found.append(current)
        year, number = current
        current = Tertial((year + 1, 1)) if number == 3 else Tertial((year, number + 1))
    return found
