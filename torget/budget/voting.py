"""Casting ballots in a citizen budget: who may vote, what a valid ballot is under the round's
rule, and the vote itself (DOMAIN §7: citizens vote, the winners are funded).

Secrecy (see the module docstring of models.py): the vote writes two rows that share nothing
but the round, a `VoteMark` under the identity's keyed hash and a `Ballot` under
the ballot chain. No audit entry names the voter with the content: an e-ID vote writes none
(the identity step has its own entry, and the mark says that the person voted); an assisted
vote is audited with the member of staff and the round only.

One current ballot per person and round, also under parallel requests: the mark is unique per
(round, person) and is locked while the ballot is changed, so a person's votes queue behind
each other; the partial unique constraint on (round, chain) is the database's last word.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.budget.models import (
    Ballot,
    BudgetRound,
    Channel,
    Idea,
    ResidenceRule,
    VoteMark,
    VotingRule,
)
from torget.budget.permissions import can_assist
from torget.budget.selectors import ballot_chain, projects_of
from torget.geo.population import AGE_BANDS
from torget.identity import personnummer
from torget.identity.models import Residence, Verification
from torget.identity.personnummer import age_on
from torget.identity.services import verification_assisted


class VoteRefused(ValidationError):
    """The vote was not counted; the message says why, in words for the voter."""


def kronor(amount: int) -> str:
    """An amount as Swedes write it: 1 250 000 kr (narrow no-break spaces between thousands)."""
    return _("%(amount)s kr") % {"amount": f"{amount:,}".replace(",", "\u202f")}


# --- The ballot ------------------------------------------------------------------------------


NUMBER_MAX = 2**31 - 1  # the largest project number an integer column holds


def ballot_check(round: BudgetRound, choices: Sequence[int]) -> tuple[list[Idea], int]:
    """The projects chosen, in the voter's order, and their total cost; ValidationError (with
    a code) when the ballot breaks the round's rule."""
    if not choices:
        raise VoteRefused(_("Välj minst ett projekt."), code="empty")
    try:
        numbers = [int(number) for number in choices]
        # A project number beyond what the database holds is no project (and no crash).
        if any(not 0 < number <= NUMBER_MAX for number in numbers):
            raise ValueError("out of range")
    except (TypeError, ValueError, OverflowError):
        raise VoteRefused(
            _("Valsedeln går inte att läsa. Gör dina val igen."), code="unknown"
        ) from None
    if len(set(numbers)) != len(numbers):
        raise VoteRefused(
            _("Varje projekt kan bara väljas en gång på valsedeln."), code="duplicate"
        )
    projects = {idea.number: idea for idea in projects_of(round).filter(number__in=numbers)}
    unknown = [number for number in numbers if number not in projects]
    if unknown:
        raise VoteRefused(
            ngettext(
                "Projekt %(numbers)s finns inte på valsedeln.",
                "Projekten %(numbers)s finns inte på valsedeln.",
                len(unknown),
            )
            % {"numbers": ", ".join(str(number) for number in unknown)},
            code="unknown",
        )
    ideas = [projects[number] for number in numbers]
    total = sum(idea.cost or 0 for idea in ideas)
    rule = round.voting_rule
    limit = round.votes_per_ballot
    if rule == VotingRule.KNAPSACK and total > round.amount:
        raise VoteRefused(
            _(
                "Projekten du valt kostar %(total)s, men budgeten är %(amount)s. "
                "Ta bort projekt för %(over)s så att de ryms."
            )
            % {
                "total": kronor(total),
                "amount": kronor(round.amount),
                "over": kronor(total - round.amount),
            },
            code="over_budget",
        )
    if rule == VotingRule.FIXED and limit:
        # With fewer projects on the ballot than votes, a vote on each is the most possible.
        limit = min(limit, projects_of(round).count())
    if rule == VotingRule.FIXED and limit and len(ideas) != limit:
        raise VoteRefused(
            ngettext(
                "Välj exakt %(count)d projekt (du har valt %(chosen)d).",
                "Välj exakt %(count)d projekt (du har valt %(chosen)d).",
                limit,
            )
            % {"count": limit, "chosen": len(ideas)},
            code="count",
        )
    if rule in (VotingRule.APPROVAL, VotingRule.RANKING) and limit and len(ideas) > limit:
        raise VoteRefused(
            ngettext(
                "Välj högst %(count)d projekt (du har valt %(chosen)d).",
                "Välj högst %(count)d projekt (du har valt %(chosen)d).",
                limit,
            )
            % {"count": limit, "chosen": len(ideas)},
            code="too_many",
        )
    return ideas, total


# --- The voter -------------------------------------------------------------------------------


def _eligibility(
    round: BudgetRound, verification: Verification, *, lives_in_area: bool
) -> tuple[str, str] | None:
    """(code, message) of the first rule about the person that stops them voting."""
    today = timezone.localdate()
    if round.min_age and age_on(verification.birth_date, today) < round.min_age:
        return "age", _("Du behöver ha fyllt %(age)d år för att rösta i den här omgången.") % {
            "age": round.min_age
        }
    if round.residence == ResidenceRule.MUNICIPALITY:
        if verification.residence == Residence.UNKNOWN:
            # As for a proposal's support (proposals.services.support): only a "yes" from the
            # residents' register counts. Until the register has been read in nobody can be
            # checked, so nobody is let through unchecked; the citizen is told whom to ask.
            return "residence_unknown", _(
                "Kommunen kan inte kontrollera folkbokföringen just nu, och bara den som är "
                "folkbokförd i kommunen kan rösta i den här omgången. Kontakta kommunen så "
                "hjälper vi dig."
            )
        if verification.residence != Residence.YES:
            return "residence", _(
                "Bara den som är folkbokförd i kommunen kan rösta i den här omgången."
            )
    if round.residence == ResidenceRule.AREA and not lives_in_area:
        return "area", _(
            "Den här omgången gäller den som bor i området. Intyga att du bor där för att rösta."
        )
    return None


def eligibility_refusal(
    round: BudgetRound, verification: Verification, *, lives_in_area: bool
) -> str | None:
    """Why this person may not vote in the round (age on the day, residence), or None."""
    refusal = _eligibility(round, verification, lives_in_area=lives_in_area)
    return refusal[1] if refusal else None


def has_voted(round: BudgetRound, person_key: str) -> bool:
    return VoteMark.objects.filter(round=round, person_key=person_key).exists()


def current_ballot(round: BudgetRound, person_key: str) -> Ballot | None:
    """The person's ballot that counts now, found by the chain (never stored with the person)."""
    return Ballot.objects.filter(
        round=round, chain=ballot_chain(round, person_key), superseded=False
    ).first()


def voter_count(round: BudgetRound) -> int:
    """How many people have voted: one mark each, however often they changed their ballot."""
    return VoteMark.objects.filter(round=round).count()


# --- The vote --------------------------------------------------------------------------------


def vote_cast(
    *,
    round: BudgetRound,
    verification: Verification,
    choices: Sequence[int],
    channel: str = Channel.EID,
    lives_in_area: bool = False,
    age_band: str = "",
) -> Ballot:
    """Cast (or change) the person's ballot: `choices` are idea numbers in the voter's order.

    The last ballot counts: an earlier one is marked superseded, never edited. `age_band` is
    the voter's optional background answer (geo's bands); it goes on the has-voted mark,
    never on the ballot, and an empty one keeps the band given before."""
    if not round.takes_votes():
        raise VoteRefused(_("Omröstningen är inte öppen."), code="closed")
    if channel not in Channel.values:
        raise VoteRefused(_("Okänt sätt att rösta."), code="channel")
    refusal = _eligibility(round, verification, lives_in_area=lives_in_area)
    if refusal:
        raise VoteRefused(refusal[1], code=refusal[0])
    ideas, total = ballot_check(round, choices)
    numbers = [idea.number for idea in ideas]
    chain = ballot_chain(round, verification.person_key)
    try:
        return _cast(round, verification.person_key, chain, numbers, total, channel, age_band)
    except IntegrityError:
        # A parallel vote of the same person won the race for the mark or the current
        # ballot; after its commit ours supersedes it, like any later ballot.
        return _cast(round, verification.person_key, chain, numbers, total, channel, age_band)


def _cast(
    round: BudgetRound,
    person_key: str,
    chain: str,
    numbers: list[int],
    total: int,
    channel: str,
    age_band: str = "",
) -> Ballot:
    with transaction.atomic():
        VoteMark.objects.get_or_create(round=round, person_key=person_key)
        # The person's mark is their lock: their parallel votes take turns here, so each
        # sees the ballot the previous one left current.
        mark = VoteMark.objects.select_for_update().get(round=round, person_key=person_key)
        if mark.channel != channel:
            mark.channel = channel
            mark.save(update_fields=["channel"])
        if age_band in AGE_BANDS and mark.age_band != age_band:
            mark.age_band = age_band
            mark.save(update_fields=["age_band"])
        Ballot.objects.filter(round=round, chain=chain, superseded=False).update(superseded=True)
        return Ballot.objects.create(round=round, chain=chain, choices=numbers, total_cost=total)


@transaction.atomic
def assisted_vote(
    *,
    round: BudgetRound,
    actor: Actor,
    pin: personnummer.PersonalNumber,
    evidence: str,
    choices: Sequence[int],
    lives_in_area: bool = False,
    age_band: str = "",
) -> Ballot:
    """A vote given at a service desk or by phone, registered by staff who checked the
    citizen's identity. Audited with the member of staff and the round, never the choices."""
    if not can_assist(actor, round):
        raise PermissionDenied
    verification = verification_assisted(pin=pin, evidence=evidence, staff=actor)
    ballot = vote_cast(
        round=round,
        verification=verification,
        choices=choices,
        channel=Channel.ASSISTED,
        lives_in_area=lives_in_area,
        age_band=age_band,
    )
    audit.record(actor=actor, action="budget.assisted_vote", obj=round)
    return ballot
