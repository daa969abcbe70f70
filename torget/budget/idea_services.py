"""Writes of the ideas part of a citizen budget (DOMAIN §5, SKR's steps "ideas" and
"processing against the criteria"): citizens submit ideas, comment on them and show interest
while the round takes ideas; staff mark ideas that break the round's criteria, merge similar
ideas with each author's consent, and the förvaltning reviews and costs every idea.

Every change is one service with keyword-only arguments, inside one transaction with its
audit entry. A refusal that the person can do something about is a ValidationError with a
Swedish message (on a field where there is one); a person who may not act at all gets
PermissionDenied."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.audit import services as audit
from torget.budget.models import BudgetRound, Comment, Idea, IdeaStatus, Interest, Merge, Phase
from torget.budget.permissions import can_review
from torget.core import images, ratelimit
from torget.core.inputs import CONTROL_CHARACTERS
from torget.geo.models import Area, AreaKind
from torget.geo.services import areas_containing_point

TITLE_MIN, TITLE_MAX = 3, 120
DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 4000
COMMENT_MIN, COMMENT_MAX = 2, 2000
REASON_MIN = 5
SHOWN_NAME_MAX = 80
# Citizens comment while ideas are collected, reviewed and voted on; after the result the
# conversation has moved to the decision (DOMAIN §5).
COMMENT_PHASES = frozenset({Phase.IDEAS, Phase.REVIEW, Phase.VOTING, Phase.COUNTING})
# Interest helps the förvaltning see what matters before the ballot is set.
INTEREST_PHASES = frozenset({Phase.IDEAS, Phase.REVIEW})
# Staff judge ideas against the criteria, and merge them, while ideas come in and under review.
REVIEW_PHASES = frozenset({Phase.IDEAS, Phase.REVIEW})


# --- Checks of what is written ------------------------------------------------------------------


def _clean(value: Any) -> str:
    return ("" if value is None else str(value)).replace("\r\n", "\n").strip()


def _line(value: Any, *, field: str, low: int, high: int, what: str) -> str:
    text = _clean(value)
    if CONTROL_CHARACTERS.search(text) or "\n" in text:
        raise ValidationError(
            {field: _("%(what)s får bara vara en rad, utan styrtecken.") % {"what": what}}
        )
    if not low <= len(text) <= high:
        raise ValidationError(
            {
                field: _("%(what)s ska vara %(min)d–%(max)d tecken.")
                % {"what": what, "min": low, "max": high}
            }
        )
    return text


def _text(value: Any, *, field: str, low: int, high: int) -> str:
    text = _clean(value)
    if CONTROL_CHARACTERS.search(text):
        raise ValidationError(
            {field: _("Texten innehåller otillåtna tecken (styrtecken). Ta bort dem.")}
        )
    if len(text) < low:
        raise ValidationError({field: _("Skriv minst %(min)d tecken.") % {"min": low}})
    if len(text) > high:
        raise ValidationError(
            {field: _("Texten är för lång: högst %(max)d tecken.") % {"max": high}}
        )
    return text


def _reason(value: Any, *, field: str = "reason") -> str:
    """A public reason: the citizen reads why (DOMAIN §5: every idea gets a reasoned answer)."""
    text = _clean(value)
    if len(text) < REASON_MIN:
        raise ValidationError(
            {
                field: _("Skriv en motivering som invånarna kan läsa (minst %(min)d tecken).")
                % {"min": REASON_MIN}
            }
        )
    return _text(text, field=field, low=REASON_MIN, high=3000)


def _shown_name(value: Any, actor: Any) -> str:
    name = _clean(value) or str(getattr(actor, "public_name", "") or "") or _("Invånare")
    if CONTROL_CHARACTERS.search(name) or "\n" in name:
        raise ValidationError({"shown_name": _("Namnet får bara vara en rad, utan styrtecken.")})
    if len(name) > SHOWN_NAME_MAX:
        raise ValidationError(
            {"shown_name": _("Namnet får vara högst %(max)d tecken.") % {"max": SHOWN_NAME_MAX}}
        )
    if "@" in name:
        # The shown name is public: never an e-mail address.
        raise ValidationError({"shown_name": _("Visa ett namn, inte en e-postadress.")})
    return name


def _confirmed(actor: Any, *, what: str) -> None:
    """Citizens take part with an account whose e-mail address is confirmed (as in the forum)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Logga in för att %(what)s.") % {"what": what})
    if not actor.is_email_verified:
        raise ValidationError(
            _(
                "Din e-postadress är inte bekräftad än. Klicka på länken i mejlet vi skickade, "
                "eller be om ett nytt, och försök sedan igen."
            ),
            code="verify_email",
        )


def _limited(scope: str, actor: Any, limit: int, field: str) -> None:
    if not ratelimit.hit(scope, str(actor.pk), limit=limit):
        raise ValidationError(
            {
                field: _(
                    "Du har skickat många på kort tid. Vänta en stund och försök igen. Din text finns kvar här."
                )
            },
            code="rate_limited",
        )


def point_inside(round: BudgetRound, *, lat: float, lon: float) -> bool:
    """Whether the point lies in the round's areas, or, for a round of the whole municipality,
    in the municipality (its area of kind "kommun" if there is one; anywhere if geo has no
    areas at all)."""
    containing = areas_containing_point(lon=lon, lat=lat)
    round_areas = set(round.areas.values_list("pk", flat=True))
    if round_areas:
        return any(area.pk in round_areas for area in containing)
    if any(area.kind == AreaKind.MUNICIPALITY for area in containing):
        return True
    if Area.objects.filter(kind=AreaKind.MUNICIPALITY).exists():
        return False
    return bool(containing) or not Area.objects.exists()


def _position(round: BudgetRound, lat: Any, lon: Any) -> tuple[float | None, float | None]:
    if lat is None and lon is None:
        return None, None
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            {"lat": _("Platsen på kartan kunde inte läsas. Välj den igen.")}
        ) from error
    if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
        raise ValidationError({"lat": _("Platsen på kartan kunde inte läsas. Välj den igen.")})
    if not point_inside(round, lat=lat_f, lon=lon_f):
        raise ValidationError(
            {"lat": _("Platsen ligger utanför omgångens område. Välj en plats inom området.")},
            code="outside",
        )
    return round_6(lat_f), round_6(lon_f)


def round_6(value: float) -> float:
    return round(value, 6)


def _cost(value: Any, *, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        cost = int(value)
    except (TypeError, ValueError) as error:
        raise ValidationError({field: _("Ange kostnaden i hela kronor.")}) from error
    if cost < 0 or cost > 10**13:
        raise ValidationError({field: _("Ange kostnaden i hela kronor.")})
    return cost


def _audit(action: str, actor: Any, obj: Any, **changes: Any) -> None:
    audit.record(action=action, actor=actor, obj=obj, changes=changes or None)


# --- Ideas --------------------------------------------------------------------------------------


def idea_submit(
    *,
    round: BudgetRound,
    author: Any,
    title: str,
    description: str,
    lat: float | None = None,
    lon: float | None = None,
    place: str = "",
    image: Any = None,
    image_alt: str = "",
    estimated_cost: int | None = None,
    shown_name: str | None = None,
) -> Idea:
    """A citizen's idea, while the round takes ideas (DOMAIN §5). The image is stored as a new
    image of its pixels alone (no EXIF: no place or time from the phone), with a required
    description for those who cannot see it."""
    if not round.takes_ideas():
        raise ValidationError(_("Omgången tar inte emot idéer just nu."), code="closed")
    _confirmed(author, what=_("lämna en idé"))
    values: dict[str, Any] = {
        "title": _line(title, field="title", low=TITLE_MIN, high=TITLE_MAX, what=_("Rubriken")),
        "description": _text(
            description, field="description", low=DESCRIPTION_MIN, high=DESCRIPTION_MAX
        ),
        "place": _clean(place),
        "estimated_cost": _cost(estimated_cost, field="estimated_cost"),
        "shown_name": _shown_name(shown_name, author),
    }
    if values["place"] and (
        CONTROL_CHARACTERS.search(values["place"]) or len(values["place"]) > 200
    ):
        raise ValidationError({"place": _("Skriv platsen på en rad, högst 200 tecken.")})
    values["lat"], values["lon"] = _position(round, lat, lon)
    processed = None
    if image:
        alt = _clean(image_alt)
        if not alt:
            raise ValidationError(
                {"image_alt": _("Beskriv vad bilden visar, för den som inte kan se den.")}
            )
        if len(alt) > 200 or CONTROL_CHARACTERS.search(alt):
            raise ValidationError({"image_alt": _("Beskriv bilden på en rad, högst 200 tecken.")})
        try:
            processed = images.process(image)
        except images.ImageError as error:
            raise ValidationError({"image": str(error)}) from error
        values["image_alt"] = alt
    _limited("budget-idea", author, settings.BUDGET_IDEAS_PER_HOUR, "title")
    with transaction.atomic():
        # The round's row is the lock that makes "highest number + 1" safe when two ideas
        # arrive at once; the unique constraint on (round, number) is the backstop.
        locked = BudgetRound.objects.select_for_update().get(pk=round.pk)
        if not locked.takes_ideas():
            raise ValidationError(_("Omgången tar inte emot idéer just nu."), code="closed")
        last = locked.ideas.order_by("-number").values_list("number", flat=True).first() or 0
        idea = Idea(round=locked, number=last + 1, author=author, **values)
        if processed is not None:
            idea.image.save(f"idea{processed.extension}", processed.file, save=False)
        idea.full_clean(exclude=["image"])
        idea.save()
        _audit("budget.idea_submitted", author, idea, title=idea.title)
    idea.round = round
    return idea


def comment_add(*, idea: Idea, author: Any, text: str, shown_name: str | None = None) -> Comment:
    round = idea.round
    if not round.is_public or round.phase not in COMMENT_PHASES:
        raise ValidationError(
            _("Det går inte att kommentera idéerna i den här fasen."), code="closed"
        )
    if idea.status == IdeaStatus.MERGED:
        raise ValidationError(
            _("Idén är sammanslagen med en annan idé. Kommentera den idén i stället."),
            code="merged",
        )
    _confirmed(author, what=_("kommentera"))
    clean_text = _text(text, field="text", low=COMMENT_MIN, high=COMMENT_MAX)
    name = _shown_name(shown_name, author)
    _limited("budget-comment", author, settings.BUDGET_COMMENTS_PER_HOUR, "text")
    with transaction.atomic():
        comment = Comment.objects.create(idea=idea, author=author, shown_name=name, text=clean_text)
        _audit("budget.comment_added", author, idea, comment=comment.pk)
    return comment


def interest_add(*, idea: Idea, actor: Any) -> bool:
    """ "Jag är intresserad": once per person and idea. True when it was added; False when the
    person had already shown interest (the database's constraint decides, also when two
    clicks arrive at once)."""
    round = idea.round
    if round.phase not in INTEREST_PHASES:
        raise ValidationError(
            _("Det går inte att visa intresse för idéer i den här fasen."), code="closed"
        )
    if idea.status == IdeaStatus.MERGED:
        raise ValidationError(
            _("Idén är sammanslagen med en annan idé. Visa intresse för den idén i stället."),
            code="merged",
        )
    _confirmed(actor, what=_("visa intresse"))
    try:
        with transaction.atomic():
            Interest.objects.create(idea=idea, user=actor)
            Idea.objects.filter(pk=idea.pk).update(interest_count=F("interest_count") + 1)
    except IntegrityError:
        return False
    idea.refresh_from_db(fields=["interest_count"])
    return True


def has_interest(idea: Idea, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Interest.objects.filter(idea=idea, user=user).exists()


# --- Staff: criteria, review and costing ----------------------------------------------------------


def _ensure_reviewer(actor: Any, round: BudgetRound) -> None:
    if actor is None or not can_review(actor, round):
        raise PermissionDenied


def _ensure_review_phase(round: BudgetRound) -> None:
    if round.phase not in REVIEW_PHASES:
        raise ValidationError(
            _("Idéerna granskas bara medan de tas emot och under granskningen."), code="phase"
        )


def idea_mark_breach(*, idea: Idea, actor: Any, reason: str) -> Idea:
    """The idea breaks the round's criteria: marked, with a public reason (DOMAIN §5)."""
    round = idea.round
    _ensure_reviewer(actor, round)
    _ensure_review_phase(round)
    if idea.status == IdeaStatus.MERGED:
        raise ValidationError(_("Idén är redan sammanslagen med en annan idé."), code="merged")
    text = _reason(reason)
    with transaction.atomic():
        before = idea.status
        idea.status = IdeaStatus.BREACHES
        idea.status_reason = text
        idea.reviewed_by = actor
        idea.reviewed_at = timezone.now()
        idea.save(
            update_fields=["status", "status_reason", "reviewed_by", "reviewed_at", "updated_at"]
        )
        _audit(
            "budget.idea_breaches_criteria", actor, idea, status=[before, idea.status], reason=text
        )
    return idea


def idea_review(
    *, idea: Idea, actor: Any, feasible: bool, reason: str, cost: int | None = None
) -> Idea:
    """The förvaltning's answer: feasible with its cost (then the idea is a project on the
    ballot), or not feasible, always with a public reason. An idea that costs more than the
    whole budget is refused, and the reason says so (DOMAIN §5)."""
    round = idea.round
    _ensure_reviewer(actor, round)
    _ensure_review_phase(round)
    if idea.status == IdeaStatus.MERGED:
        raise ValidationError(
            _("Idén är sammanslagen med en annan idé och granskas inte för sig."), code="merged"
        )
    text = _reason(reason)
    amount = _cost(cost, field="cost")
    if feasible and amount is None:
        raise ValidationError(
            {"cost": _("Ange förvaltningens kostnadsberäkning för en genomförbar idé.")}
        )
    if feasible and amount == 0:
        raise ValidationError({"cost": _("Kostnaden för ett projekt ska vara minst 1 krona.")})
    status = IdeaStatus.FEASIBLE if feasible else IdeaStatus.NOT_FEASIBLE
    if amount is not None and amount > round.amount:
        status = IdeaStatus.NOT_FEASIBLE
        text = (
            _(
                "Kostnaden, %(cost)s kronor, är större än hela omgångens budget på %(amount)s "
                "kronor, så idén kan inte vara med i omröstningen."
            )
            % {
                "cost": f"{amount:,}".replace(",", " "),
                "amount": f"{round.amount:,}".replace(",", " "),
            }
            + "\n\n"
            + text
        )[:3000]
    with transaction.atomic():
        before = idea.status
        idea.status = status
        idea.status_reason = text
        idea.cost = amount
        idea.reviewed_by = actor
        idea.reviewed_at = timezone.now()
        idea.save(
            update_fields=[
                "status",
                "status_reason",
                "cost",
                "reviewed_by",
                "reviewed_at",
                "updated_at",
            ]
        )
        _audit(
            "budget.idea_reviewed", actor, idea, status=[before, status], cost=amount, reason=text
        )
    return idea


def over_budget(idea: Idea) -> bool:
    return idea.cost is not None and idea.cost > idea.round.amount


# --- Staff: merging similar ideas ---------------------------------------------------------------


def merge_propose(*, source: Idea, target: Idea, actor: Any, reason: str) -> Merge:
    """Propose to merge `source` into `target`. Nothing changes for the ideas until both
    authors have consented (DOMAIN §5: an idea is the citizen's own)."""
    round = source.round
    _ensure_reviewer(actor, round)
    _ensure_review_phase(round)
    if target.round_id != source.round_id:
        raise ValidationError({"target": _("Välj en idé i samma omgång.")})
    if target.pk == source.pk:
        raise ValidationError({"target": _("Välj en annan idé än den här.")})
    if IdeaStatus.MERGED in (source.status, target.status):
        raise ValidationError({"target": _("En sammanslagen idé kan inte slås samman igen.")})
    text = _reason(reason)
    try:
        with transaction.atomic():
            merge = Merge.objects.create(
                source=source, target=target, reason=text, proposed_by=actor
            )
            _audit("budget.merge_proposed", actor, source, target=target.number, reason=text)
    except IntegrityError as error:
        raise ValidationError(
            {
                "target": _(
                    "Det finns redan ett förslag om sammanslagning av den här idén som väntar på svar."
                )
            }
        ) from error
    return merge


def _side(merge: Merge, idea: Idea) -> str:
    if idea.pk == merge.source_id:
        return "source"
    if idea.pk == merge.target_id:
        return "target"
    raise PermissionDenied


def _answerer(merge: Merge, idea: Idea, actor: Any, on_behalf_note: str) -> str:
    """Who answers for `idea`: its author, signed in, or staff on the author's word (by phone,
    on paper), with a note of how it was given."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if idea.author_id is not None and idea.author_id == actor.pk and not on_behalf_note:
        return _("förslagsställaren")
    if not can_review(actor, idea.round):
        raise PermissionDenied
    note = _clean(on_behalf_note)
    if len(note) < REASON_MIN:
        raise ValidationError(
            {
                "on_behalf_note": _(
                    "Skriv hur förslagsställaren lämnade sitt svar, till exempel per telefon och vilken dag."
                )
            }
        )
    if len(note) > 150 or CONTROL_CHARACTERS.search(note):
        raise ValidationError(
            {"on_behalf_note": _("Skriv anteckningen på en rad, högst 150 tecken.")}
        )
    return f"{getattr(actor, 'public_name', '') or _('personal')}: {note}"[:200]


def _open_merge(merge: Merge) -> Merge:
    locked = Merge.objects.select_for_update().select_related("source", "target").get(pk=merge.pk)
    if locked.done_at or locked.declined_at:
        raise ValidationError(_("Förslaget om sammanslagning är redan avgjort."), code="settled")
    return locked


def merge_consent(*, merge: Merge, idea: Idea, actor: Any, on_behalf_note: str = "") -> Merge:
    """Record that the author of `idea` (the source or the target) agrees. When both have, the
    merge is done: the source is marked merged into the target, and keeps its comments and
    interest on its own page with a link to the target."""
    side = _side(merge, idea)
    by = _answerer(merge, idea, actor, on_behalf_note)
    with transaction.atomic():
        merge = _open_merge(merge)
        if merge.source.status == IdeaStatus.MERGED or merge.target.status == IdeaStatus.MERGED:
            raise ValidationError(
                _("En av idéerna är redan sammanslagen med en annan idé."), code="merged"
            )
        now = timezone.now()
        setattr(merge, f"{side}_consent_at", now)
        setattr(merge, f"{side}_consent_by", by)
        fields = [f"{side}_consent_at", f"{side}_consent_by"]
        _audit("budget.merge_consented", actor, idea, merge=merge.pk, side=side, by=by)
        if merge.source_consent_at and merge.target_consent_at:
            merge.done_at = now
            fields.append("done_at")
            source = merge.source
            source.status = IdeaStatus.MERGED
            source.merged_into = merge.target
            source.save(update_fields=["status", "merged_into", "updated_at"])
            _audit("budget.idea_merged", actor, source, target=merge.target.number)
        merge.save(update_fields=fields)
    return merge


def merge_decline(*, merge: Merge, idea: Idea, actor: Any, on_behalf_note: str = "") -> Merge:
    """The author of one of the ideas says no: the ideas stay apart."""
    side = _side(merge, idea)
    by = _answerer(merge, idea, actor, on_behalf_note)
    with transaction.atomic():
        merge = _open_merge(merge)
        merge.declined_at = timezone.now()
        merge.save(update_fields=["declined_at"])
        _audit("budget.merge_declined", actor, idea, merge=merge.pk, side=side, by=by)
    return merge


def pending_merges_of(idea: Idea) -> list[Merge]:
    """Open merge proposals that concern `idea`, source or target."""
    from django.db.models import Q

    return list(
        Merge.objects.filter(
            Q(source=idea) | Q(target=idea), done_at__isnull=True, declined_at__isnull=True
        )
        .select_related("source", "target")
        .order_by("proposed_at", "pk")
    )


def awaits_answer_from(merge: Merge, idea: Idea) -> bool:
    side = _side(merge, idea)
    return getattr(merge, f"{side}_consent_at") is None


# --- Staff: moderation ---------------------------------------------------------------------------


def comment_hide(*, comment: Comment, actor: Any, reason: str) -> Comment:
    """Hide a comment that breaks the rules for conversation; the page says it was hidden and
    why."""
    _ensure_reviewer(actor, comment.idea.round)
    if comment.hidden_at:
        raise ValidationError(_("Kommentaren är redan dold."), code="hidden")
    text = _clean(reason)
    if len(text) < REASON_MIN or len(text) > 200 or CONTROL_CHARACTERS.search(text):
        raise ValidationError(
            {"reason": _("Skriv ett skäl som visas i stället för kommentaren (5–200 tecken).")}
        )
    with transaction.atomic():
        comment.hidden_at = timezone.now()
        comment.hidden_reason = text
        comment.hidden_by = actor
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        _audit("budget.comment_hidden", actor, comment.idea, comment=comment.pk, reason=text)
    return comment
