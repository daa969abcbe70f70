"""Kalendarium: the public calendar by month or as a list, and its iCalendar feed (RFC 5545)
for all areas or one. The entries come from `calendar.calendar_entries()`."""

import calendar as month_calendar
import datetime
import re
import zoneinfo
from collections.abc import Iterable
from typing import Any

import icalendar
from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from torget.dialogues.calendar import Entry, calendar_entries
from torget.geo.models import Area
from torget.organisation.selectors import municipality_get

LIST_VIEW = "lista"
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
# The feed reaches a year back (so last autumn's meetings stay in a subscribed calendar) and two
# years ahead (dialogues are planned about a year in advance).
FEED_DAYS_BACK = 366
FEED_DAYS_AHEAD = 2 * 366
FEED_MAX_AGE = 300
LIST_DAYS_AHEAD = 2 * 366


class CalendarFilterForm(forms.Form):
    """The calendar's area filter: a GET form, so each filtered view has its own address."""

    omrade = forms.ModelChoiceField(
        label=gettext_lazy("Område"),
        queryset=Area.objects.only("pk", "name", "slug").order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Alla områden"),
        help_text=gettext_lazy("Områden som ligger i det valda området kommer också med."),
    )

    def area(self) -> Area | None:
        """The chosen area; a choice that is not valid (an old link to a removed area) shows
        everything, with the field's error saying why."""
        if self.is_valid():
            area: Area | None = self.cleaned_data["omrade"]
            return area
        return None


# --- The page --------------------------------------------------------------------------------


def _month_from(value: str | None, today: datetime.date) -> datetime.date:
    match = MONTH_PATTERN.match(value or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if 1900 <= year <= 2200 and 1 <= month <= 12:
            return datetime.date(year, month, 1)
    return today.replace(day=1)


def _month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=month_calendar.monthrange(month.year, month.month)[1])


def _shift(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _by_day(entries: Iterable[Entry], earliest: datetime.date) -> dict[datetime.date, list[Entry]]:
    """Each entry under one day: the day it starts, or `earliest` when it started before (a
    dialogue that runs through the month is listed once, not on every day)."""
    days: dict[datetime.date, list[Entry]] = {}
    for entry in entries:
        days.setdefault(max(entry.first, earliest), []).append(entry)
    return days


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    form = CalendarFilterForm(request.GET)
    area = form.area()
    today = timezone.localdate()
    context: dict[str, Any] = {
        "filter_form": form,
        "area": area,
        "today": today,
        "feed_links": _feed_links(request, area),
    }
    if request.GET.get("visa") == LIST_VIEW:
        entries = calendar_entries(
            start=today, end=today + datetime.timedelta(days=LIST_DAYS_AHEAD), area=area
        )
        months: dict[datetime.date, list[tuple[datetime.date, list[Entry]]]] = {}
        for day, day_entries in _by_day(entries, today).items():
            months.setdefault(day.replace(day=1), []).append((day, day_entries))
        context |= {"list_view": True, "entries": entries, "months": list(months.items())}
    else:
        month = _month_from(request.GET.get("manad"), today)
        entries = calendar_entries(start=month, end=_month_end(month), area=area)
        days = _by_day(entries, month)
        weeks = [
            [(day, day.month == month.month, days.get(day, [])) for day in week]
            for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(
                month.year, month.month
            )
        ]
        context |= {
            "list_view": False,
            "month": month,
            "previous_month": _shift(month, -1).strftime("%Y-%m"),
            "next_month": _shift(month, 1).strftime("%Y-%m"),
            "current_month": today.strftime("%Y-%m"),
            "is_current_month": month == today.replace(day=1),
            "entries": entries,
            "days": sorted(days.items()),
            "weeks": weeks,
            "weekdays": [day for day, _in_month, _entries in weeks[0]],
        }
    return render(request, "dialogues/calendar.html", context)


def _feed_links(request: HttpRequest, area: Area | None) -> list[dict[str, str]]:
    """The feed for everything and, with an area chosen, for that area: an https address to
    paste into a calendar, and the same as webcal:// that opens a calendar app directly."""
    path = reverse("dialogues:ical")
    feeds = [(_("Hela kalendariet"), path)]
    if area is not None:
        feeds.insert(0, (_("Bara %(area)s") % {"area": area.name}, f"{path}?omrade={area.slug}"))
    links = []
    for label, address in feeds:
        url = request.build_absolute_uri(address)
        links.append({"label": label, "url": url, "webcal": re.sub(r"^https?:", "webcal:", url)})
    return links


# --- The feed --------------------------------------------------------------------------------


@require_safe
def ical_feed(request: HttpRequest) -> HttpResponse:
    area = None
    if slug := request.GET.get("omrade"):
        area = get_object_or_404(Area, slug=slug)
    today = timezone.localdate()
    # The feed is one shared document for every client (and cache): always in the site's own
    # language, whatever the client asks for.
    with translation.override(settings.LANGUAGE_CODE):
        entries = calendar_entries(
            start=today - datetime.timedelta(days=FEED_DAYS_BACK),
            end=today + datetime.timedelta(days=FEED_DAYS_AHEAD),
            area=area,
        )
        body = _ical(request, entries, area=area)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"kalendarium-{area.slug}.ics" if area else "kalendarium.ics"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


def _ical(request: HttpRequest, entries: list[Entry], *, area: Area | None) -> bytes:
    municipality = municipality_get().name
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    host = request.get_host().split(":")[0]
    name = (
        _("Kalendarium för %(area)s – %(municipality)s")
        % {"area": area.name, "municipality": municipality}
        if area
        else _("Kalendarium – %(municipality)s") % {"municipality": municipality}
    )

    cal = icalendar.Calendar()
    cal.add("prodid", f"-//Torget//Kalendarium {host}//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add(
        "x-wr-caldesc",
        _("Medborgardialoger och deras datum i %(municipality)s.") % {"municipality": municipality},
    )
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    # How often a subscribing client should look again (Apple and Outlook read these). The
    # value is an RFC 5545 duration (PT1H): icalendar knows no REFRESH-INTERVAL type and would
    # write a bare timedelta as "1:00:00", which RFC 7986 clients reject.
    cal.add(
        "refresh-interval",
        icalendar.vDuration(datetime.timedelta(hours=1)),
        parameters={"VALUE": "DURATION"},
    )
    cal.add("x-published-ttl", "PT1H")

    stamp = timezone.now().astimezone(datetime.UTC)
    for entry in entries:
        cal.add_component(_vevent(request, entry, host=host, zone=zone, stamp=stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


def _vevent(
    request: HttpRequest,
    entry: Entry,
    *,
    host: str,
    zone: zoneinfo.ZoneInfo,
    stamp: datetime.datetime,
) -> icalendar.Event:
    url = request.build_absolute_uri(entry.url)
    event = icalendar.Event()
    event.add("uid", f"{entry.uid}@{host}")
    event.add("dtstamp", stamp)
    if entry.starts_at is not None:
        event.add("dtstart", entry.starts_at.astimezone(zone))
        if entry.ends_at is not None:
            event.add("dtend", entry.ends_at.astimezone(zone))
    else:
        # Whole days: DATE values, and DTEND is the day after the last (RFC 5545 §3.6.1).
        event.add("dtstart", entry.first)
        event.add("dtend", entry.last + datetime.timedelta(days=1))
    summary = entry.summary
    if entry.cancelled:
        # Many clients ignore STATUS in a subscribed calendar; the title says it too.
        summary = _("Inställt: %(title)s") % {"title": summary}
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    event.add("summary", summary)
    event.add("description", _description(entry, url))
    location = entry.place or ", ".join(entry.areas)
    if location:
        event.add("location", location)
    event.add("url", url)
    event.add("categories", [entry.kind_label])
    if entry.last_modified is not None:
        event.add("last-modified", entry.last_modified.astimezone(datetime.UTC))
    return event


def _description(entry: Entry, url: str) -> str:
    parts = []
    if entry.cancelled:
        parts.append(_("Dialogen är inställd."))
    if entry.description:
        parts.append(entry.description)
    if entry.dialogue is not None:
        parts.append(_("Medborgardialog: %(title)s") % {"title": entry.dialogue.title})
    if entry.areas:
        parts.append(_("Område: %(areas)s") % {"areas": ", ".join(entry.areas)})
    parts.append(_("Läs mer: %(url)s") % {"url": url})
    return "\n\n".join(parts)
