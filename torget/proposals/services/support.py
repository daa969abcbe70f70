"""Writes for medborgarförslag. Views, the staff pages, commands and the worker call these."""

import datetime
from contextlib import nullcontext
from typing import Any

import psycopg
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from torget.accounts.permissions import has_perm
from torget.accounts.roles import Role
from torget.audit import services as audit
from torget.core.files import files_prune
from torget.identity import personnummer
from torget.identity.models import Residence, Verification
from torget.identity.personnummer import age_on
from torget.identity.services import verification_assisted
from torget.notifications.services import notify
from torget.organisation.models import Body, BodyKind, Municipality, Topic
from torget.organisation.selectors import municipality_get
from torget.organisation.services import diary_number_for_body, diary_number_next
from torget.proposals import workflow
from torget.proposals.models import (
    ACTIVE_SUPPORT,
    SIGNING_STATUSES,
    Channel,
    Event,
    EventKind,
    Origin,
    Outcome,
    Proposal,
    RejectionReason,
    Status,
    Support,
)

# Sent when a moderator moves a proposal to the feedback channel (the feedback app listens).
proposal_moved_to_feedback = Signal()


class ProposalError(ValidationError):
    pass


class SupportRefused(ValidationError):
    pass


# --- Notifications ---------------------------------------------------------------------------


def _context(proposal: Proposal, **extra: Any) -> dict[str, Any]:
    return {"title": proposal.title, "url": proposal.get_absolute_url(), **extra}


def _notify_author(proposal: Proposal, template: str, **extra: Any) -> None:
    context = _context(proposal, **extra)
    if proposal.author_id and proposal.author and proposal.author.is_active:
        notify(template=template, context=context, users=[proposal.author])
    elif proposal.contact_email:
        notify(template=template, context=context, emails=[proposal.contact_email])


def _notify_step(proposal: Proposal, event: Event) -> None:
    """A public step: the author and everyone who follows the proposal (or its area/topic)."""
    context = _context(
        proposal,
        kind=event.kind,
        step=str(event.get_kind_display()),
        date=event.occurred_on.isoformat(),
        reference=event.reference,
        text=event.text[:1000],
        body=event.body.name if event.body else "",
    )
    _notify_author(
        proposal,
        "proposals.step",
        **{k: v for k, v in context.items() if k not in {"title", "url"}},
    )
    targets: list[Any] = [proposal, proposal.topic]
    if proposal.area:
        targets.append(proposal.area)
    notify(
        template="proposals.step",
        context=context,
        followers_of=targets,
        channels=["email", "sms"],
    )


# --- Submitting ------------------------------------------------------------------------------


def _signing_days(municipality: Municipality, chosen: int | None) -> int:
    choices = municipality.signing_day_choices()
    if chosen is None:
        return municipality.proposal_signing_days
    if chosen not in choices and chosen != municipality.proposal_signing_days:
        raise ProposalError({"signing_days": _("Välj en av insamlingstiderna.")})
    return chosen


def _check_organisation(municipality: Municipality, organisation_name: str) -> None:
    if organisation_name and not municipality.proposal_organisations_allowed:
        raise ProposalError(
            {"organisation_name": _("Kommunen tar bara emot förslag från enskilda personer.")}
        )


@transaction.atomic
def proposal_submit(
    *,
    author: Any,
    title: str,
    body: str,
    topic: Topic,
    area: Any = None,
    image: Any = None,
    image_alt: str = "",
    organisation_name: str = "",
    signing_days: int | None = None,
) -> Proposal:
    """A citizen sends in a proposal; it waits for moderation before anyone else sees it."""
    if not author.is_authenticated or not author.is_email_verified:
        raise PermissionDenied(_("Du behöver ett konto med bekräftad e-postadress."))
    municipality = municipality_get()
    _check_organisation(municipality, organisation_name)
    proposal = Proposal(
        title=title.strip(),
        body=body.strip(),
        topic=topic,
        area=area,
        image=image or "",
        image_alt=image_alt.strip(),
        author=author,
        author_name=author.public_name,
        organisation_name=organisation_name.strip(),
        signing_days=_signing_days(municipality, signing_days),
    )
    proposal.full_clean()
    proposal.save()
    Event.objects.create(
        proposal=proposal, kind=EventKind.SUBMITTED, occurred_on=timezone.localdate()
    )
    audit.record(actor=author, action="proposal.submitted", obj=proposal)
    _notify_author(proposal, "proposals.received")
    return proposal


@transaction.atomic
def proposal_register_on_behalf(
    *,
    actor: Any,
    author_name: str,
    pin: personnummer.PersonalNumber,
    evidence: str,
    title: str,
    body: str,
    topic: Topic,
    area: Any = None,
    contact_email: str = "",
    organisation_name: str = "",
) -> Proposal:
    """Staff register a proposal received on paper or at a service desk. It is moderated
    like any other; the identity check and who registered it are in the audit log."""
    if not has_perm(actor, "proposals.register_on_behalf"):
        raise PermissionDenied
    municipality = municipality_get()
    _check_organisation(municipality, organisation_name)
    verification = verification_assisted(pin=pin, evidence=evidence, staff=actor)
    proposal = Proposal(
        title=title.strip(),
        body=body.strip(),
        topic=topic,
        area=area,
        author_name=author_name.strip(),
        contact_email=contact_email.strip(),
        organisation_name=organisation_name.strip(),
        origin=Origin.ASSISTED,
        registered_by=actor,
        signing_days=municipality.proposal_signing_days,
    )
    proposal.full_clean()
    proposal.save()
    Event.objects.create(
        proposal=proposal,
        kind=EventKind.SUBMITTED,
        occurred_on=timezone.localdate(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="proposal.registered_on_behalf",
        obj=proposal,
        changes={"verification": verification.pk, "evidence": verification.evidence},
    )
    _notify_author(proposal, "proposals.received")
    return proposal


@transaction.atomic
def proposal_register_from_meeting(
    *,
    actor: Any,
    title: str,
    body: str,
    topic: Topic,
    source: str = "",
    responsible_politician: Any,
    area: Any = None,
    meeting: Any = None,
) -> Proposal:
    """seed 004 §8: a proposal raised at a dialogue meeting gets its own public page at once;
    the responsible politician then lifts it to a nämnd. With `meeting` (a meeting in
    Torget) the source says the meeting's title and date unless it is given in words."""
    if not has_perm(actor, "proposals.register_proposal_step"):
        raise PermissionDenied
    if not source.strip() and meeting is not None:
        source = f"{meeting.title}, {date_format(timezone.localtime(meeting.starts_at).date())}"
    if not source.strip():
        raise ProposalError({"source": _("Skriv vilket dialogmöte förslaget kom från.")})
    if not (
        responsible_politician is not None
        and responsible_politician.is_active
        and responsible_politician.groups.filter(name=Role.ELECTED.value).exists()
    ):
        raise ProposalError(
            {"responsible_politician": _("Välj en förtroendevald som ansvarig politiker.")}
        )
    now = timezone.now()
    proposal = Proposal(
        title=title.strip(),
        body=body.strip(),
        topic=topic,
        area=area,
        author_name=_("Deltagare på dialogmöte"),
        origin=Origin.MEETING,
        source=source.strip()[:200],
        meeting=meeting,
        responsible_politician=responsible_politician,
        registered_by=actor,
        status=Status.REGISTERED,
        published_at=now,
    )
    proposal.full_clean()
    proposal.save()
    Event.objects.create(
        proposal=proposal,
        kind=EventKind.REGISTERED,
        occurred_on=timezone.localdate(),
        text=proposal.source,
        created_by=actor,
    )
    audit.record(actor=actor, action="proposal.registered_from_meeting", obj=proposal)
    notify(
        template="proposals.responsible",
        context=_context(proposal, source=proposal.source),
        users=[responsible_politician],
    )
    return proposal


# --- Moderation ------------------------------------------------------------------------------


@transaction.atomic
def proposal_publish(*, proposal: Proposal, actor: Any) -> Proposal:
    municipality = municipality_get()
    days = proposal.signing_days or municipality.proposal_signing_days
    now = timezone.now()
    workflow.transition(
        proposal,
        "publish",
        actor=actor,
        changes={
            "published_at": now,
            "signing_days": days,
            "signing_ends_on": timezone.localdate(now) + datetime.timedelta(days=days),
            "threshold": municipality.proposal_threshold(),
            "moderated_by": actor,
        },
    )
    _notify_author(
        proposal,
        "proposals.published",
        ends=proposal.signing_ends_on.isoformat() if proposal.signing_ends_on else "",
        threshold=proposal.threshold,
    )
    return proposal


@transaction.atomic
def proposal_reject(
    *,
    proposal: Proposal,
    actor: Any,
    reason: str,
    text: str = "",
    repeat_of: Proposal | None = None,
) -> Proposal:
    """Not published. The author is told why; the proposal is never public."""
    if reason not in RejectionReason.values:
        raise ProposalError({"reason": _("Välj ett skäl i listan.")})
    reason = RejectionReason(reason)
    if reason == RejectionReason.REPEAT:
        _check_repeat(proposal, repeat_of)
    elif repeat_of is not None:
        raise ProposalError(
            {"repeat_of": _("Ange ett tidigare beslut bara när skälet är upprepning.")}
        )
    if reason == RejectionReason.OTHER and not text.strip():
        raise ProposalError({"text": _("Skriv skälet när du väljer ”Annat skäl”.")})
    workflow.transition(
        proposal,
        "reject",
        actor=actor,
        text=text.strip(),
        event_public=False,
        changes={
            "rejection_reason": reason,
            "rejection_text": text.strip(),
            "repeat_of": repeat_of,
            "moderated_by": actor,
        },
    )
    _notify_author(
        proposal,
        "proposals.rejected",
        reason=str(reason.label),
        text=text.strip(),
        repeat_url=repeat_of.get_absolute_url() if repeat_of else "",
        repeat_title=repeat_of.title if repeat_of else "",
    )
    return proposal


def _check_repeat(proposal: Proposal, earlier: Proposal | None) -> None:
    municipality = municipality_get()
    if earlier is None:
        raise ProposalError({"repeat_of": _("Välj det tidigare beslutet i samma fråga.")})
    if earlier.pk == proposal.pk or earlier.status != Status.DECIDED or not earlier.decided_on:
        raise ProposalError({"repeat_of": _("Det valda förslaget är inte beslutat.")})
    months = municipality.proposal_repeat_months
    limit = timezone.localdate() - datetime.timedelta(days=round(months * 30.44))
    if months == 0 or earlier.decided_on < limit:
        raise ProposalError(
            {
                "repeat_of": _(
                    "Beslutet fattades för mer än %(months)d månader sedan; frågan får tas upp igen."
                )
                % {"months": months}
            }
        )


@transaction.atomic
def proposal_move_to_feedback(*, proposal: Proposal, actor: Any, text: str) -> Proposal:
    """It is really a complaint or a fault report: it goes to synpunkter/felanmälan."""
    if not text.strip():
        raise ProposalError({"text": _("Skriv en hälsning till förslagsställaren.")})
    workflow.transition(proposal, "move", actor=actor, text=text.strip(), event_public=False)
    proposal_moved_to_feedback.send(sender=Proposal, proposal=proposal, actor=actor)
    _notify_author(proposal, "proposals.moved", text=text.strip())
    return proposal


@transaction.atomic
def proposal_hide(*, proposal: Proposal, actor: Any, reason: str) -> Proposal:
    """A published proposal is hidden with a public reason; it is never silently deleted."""
    if not has_perm(actor, "proposals.moderate_proposal"):
        raise PermissionDenied
    if not reason.strip():
        raise ProposalError({"reason": _("Skriv ett skäl; det visas på förslagets sida.")})
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.hidden_at is not None:
        raise ProposalError(_("Förslaget är redan dolt."))
    if not proposal.published_at:
        raise ProposalError(_("Bara publicerade förslag kan döljas."))
    proposal.hidden_at = timezone.now()
    proposal.hidden_reason = reason.strip()
    proposal.save(update_fields=["hidden_at", "hidden_reason"])
    Event.objects.create(
        proposal=proposal,
        kind=EventKind.HIDDEN,
        occurred_on=timezone.localdate(),
        text=proposal.hidden_reason,
        created_by=actor,
    )
    audit.record(
        actor=actor, action="proposal.hidden", obj=proposal, changes={"reason": reason.strip()}
    )
    _notify_author(proposal, "proposals.hidden", reason=proposal.hidden_reason)
    return proposal


@transaction.atomic
def proposal_unhide(*, proposal: Proposal, actor: Any) -> Proposal:
    if not has_perm(actor, "proposals.moderate_proposal"):
        raise PermissionDenied
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.hidden_at is None:
        raise ProposalError(_("Förslaget är inte dolt."))
    proposal.hidden_at = None
    proposal.save(update_fields=["hidden_at"])
    Event.objects.create(
        proposal=proposal, kind=EventKind.SHOWN, occurred_on=timezone.localdate(), created_by=actor
    )
    audit.record(actor=actor, action="proposal.shown", obj=proposal)
    return proposal


# --- The council's steps ---------------------------------------------------------------------


def _check_body(body: Any, kinds: set[str], message: str) -> None:
    if body is None or body.kind not in kinds:
        raise ProposalError({"body": message})


def _check_date(occurred_on: datetime.date) -> None:
    if occurred_on > timezone.localdate():
        raise ProposalError({"occurred_on": _("Datumet kan inte ligga i framtiden.")})


@transaction.atomic
def proposal_assign(
    *,
    proposal: Proposal,
    actor: Any,
    body: Body,
    due: datetime.date,
    occurred_on: datetime.date,
    reference: str,
) -> Proposal:
    """KF lämnar förslaget till en nämnd för beredning, with a date it is due."""
    if not reference.strip():
        raise ProposalError({"reference": _("Ange referens, till exempel paragraf i protokollet.")})
    return _to_committee(
        proposal,
        "assign",
        actor=actor,
        body=body,
        due=due,
        occurred_on=occurred_on,
        reference=reference,
        due_message=_("Beredningen ska vara klar efter beslutsdatumet."),
    )


@transaction.atomic
def proposal_lift(
    *,
    proposal: Proposal,
    actor: Any,
    body: Body,
    due: datetime.date | None,
    occurred_on: datetime.date,
    reference: str = "",
) -> Proposal:
    """seed 004 §8: the responsible politician lifts a meeting proposal to a nämnd."""
    return _to_committee(
        proposal,
        "lift",
        actor=actor,
        body=body,
        due=due,
        occurred_on=occurred_on,
        reference=reference,
        due_message=_("Beredningen ska vara klar efter datumet då förslaget lyftes."),
    )


def _to_committee(
    proposal: Proposal,
    step: str,
    *,
    actor: Any,
    body: Body,
    due: datetime.date | None,
    occurred_on: datetime.date,
    reference: str,
    due_message: str,
) -> Proposal:
    """A nämnd takes the proposal for preparation (assigned by KF, or lifted by a politician)."""
    _check_body(body, {BodyKind.COMMITTEE, BodyKind.EXECUTIVE}, _("Välj en nämnd."))
    _check_date(occurred_on)
    if due is not None and due <= occurred_on:
        raise ProposalError({"due": due_message})
    event = workflow.transition(
        proposal,
        step,
        actor=actor,
        occurred_on=occurred_on,
        reference=reference.strip(),
        body=body,
        changes={"preparing_body": body, "preparation_due": due},
    )
    _notify_step(proposal, event)
    return proposal


@transaction.atomic
def proposal_decide(
    *,
    proposal: Proposal,
    actor: Any,
    body: Body,
    outcome: str,
    answer: str,
    occurred_on: datetime.date,
    reference: str,
    document: Any = None,
) -> Proposal:
    """KF (or the nämnd, if delegated) decides; the answer is published on the page."""
    _check_body(
        body,
        {BodyKind.COUNCIL, BodyKind.EXECUTIVE, BodyKind.COMMITTEE},
        _("Välj det organ som fattade beslutet."),
    )
    _check_date(occurred_on)
    if outcome not in Outcome.values:
        raise ProposalError({"outcome": _("Välj beslutet i listan.")})
    if not answer.strip():
        raise ProposalError({"answer": _("Skriv beslutets svar till förslagsställaren.")})
    if not reference.strip():
        raise ProposalError({"reference": _("Ange referens, till exempel paragraf i protokollet.")})
    event = workflow.transition(
        proposal,
        "decide",
        actor=actor,
        occurred_on=occurred_on,
        reference=reference.strip(),
        text=answer.strip(),
        body=body,
        document=document,
        changes={
            "outcome": Outcome(outcome),
            "answer": answer.strip(),
            "decided_on": occurred_on,
        },
    )
    if event.document:
        # The same stored file as the timeline's, not a second copy.
        proposal.decision_document.name = event.document.name
        proposal.save(update_fields=["decision_document"])
    _notify_step(proposal, event)
    return proposal


# --- Supports --------------------------------------------------------------------------------


def check_can_support(
    *, proposal: Proposal, verification: Verification, municipality: Municipality | None = None
) -> None:
    """Raise SupportRefused with the rule that stops this person supporting this proposal."""
    municipality = municipality or municipality_get()
    if not proposal.is_signing_open:
        raise SupportRefused(_("Insamlingen av stöd för förslaget är stängd."), code="closed")
    rule = _person_rule_broken(
        verification,
        residence_required=municipality.proposal_residence_required,
        min_age=municipality.proposal_min_age,
    )
    if rule == "residence":
        raise SupportRefused(
            _("Bara den som är folkbokförd i %(municipality)s kan stödja förslag.")
            % {"municipality": municipality.name},
            code=rule,
        )
    if rule == "age":
        raise SupportRefused(
            _("Du behöver ha fyllt %(age)d år för att stödja förslag.")
            % {"age": municipality.proposal_min_age},
            code=rule,
        )


def _person_rule_broken(
    verification: Verification, *, residence_required: bool, min_age: int
) -> str:
    """The municipality's rules about the person (not the proposal): "" when all are met."""
    if residence_required and verification.residence != Residence.YES:
        return "residence"
    if min_age and age_on(verification.birth_date, timezone.localdate()) < min_age:
        return "age"
    return ""


def support_add(*, proposal: Proposal, verification: Verification, user: Any = None) -> Support:
    """One person's support. No counter row is touched: the count is a COUNT over supports
    (exact) and a periodic refresh for lists, so supports never queue on one hot row.

    Outside a transaction the INSERT commits on its own (one round trip, and the unique
    constraint still decides); inside one it gets a savepoint so a duplicate doesn't break
    the caller's transaction.
    """
    check_can_support(proposal=proposal, verification=verification)
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if in_transaction else nullcontext():
            support = Support.objects.create(
                proposal=proposal,
                person_key=verification.person_key,
                user=user if user is not None and user.is_authenticated else None,
                verification_id=verification.pk,
                channel=Channel.EID if verification.method != "assisted" else Channel.ASSISTED,
            )
    except IntegrityError:
        raise SupportRefused(_("Du stödjer redan det här förslaget."), code="duplicate") from None
    if proposal.status == Status.SIGNING:
        # After the commit: a fresh snapshot that sees every support committed so far.
        pk = proposal.pk
        transaction.on_commit(lambda: threshold_check(proposal_id=pk))
    return support


_SUPPORT_INSERT = """
INSERT INTO proposals_support
    (proposal_id, person_key, user_id, verification_id, channel, created_at)
SELECT p.id, %(person_key)s::varchar, %(user_id)s::bigint, %(verification_id)s::bigint,
    %(channel)s::varchar, %(now)s::timestamptz
FROM proposals_proposal p
LEFT JOIN organisation_municipality m ON m.id = %(municipality_id)s::bigint
WHERE p.id = %(proposal_id)s::bigint
    AND p.status IN (%(signing)s::varchar, %(to_council)s::varchar)
    AND p.hidden_at IS NULL AND p.signing_ends_on >= %(today)s::date
    AND (%(residence)s::varchar = %(resident)s::varchar OR NOT COALESCE(
        m.proposal_residence_required, %(residence_required)s::boolean))
    AND %(birth_date)s::date <= %(today)s::date - make_interval(
        years => COALESCE(m.proposal_min_age, %(min_age)s::integer))
ON CONFLICT (proposal_id, person_key) WHERE withdrawn_at IS NULL AND duplicate_of_id IS NULL
DO NOTHING
RETURNING (SELECT status FROM proposals_proposal WHERE id = %(proposal_id)s::bigint)
"""


def support_add_fast(*, proposal_id: int, verification: Verification, user: Any = None) -> bool:
    """The common case in one statement on PostgreSQL: insert the support if the proposal is
    open for signing and the person meets the municipality's rules (residence, age), and
    learn the proposal's status from the same round trip.

    False means "not decided here": the caller takes `support_add`, which reads the proposal
    and the municipality and gives the exact reason (closed, not public, too young, already
    supported, …). The rules are the same, checked in SQL against the rows as they are now;
    this path only skips the reads when nothing is wrong.
    """
    connection = transaction.get_connection()
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    user_id = user.pk if user is not None and user.is_authenticated else None
    channel = Channel.EID if verification.method != "assisted" else Channel.ASSISTED
    # Before an administrator has saved the municipality its defaults apply (municipality_get).
    rules = Municipality._meta
    # The statement is its own health check: Django's would cost a round trip of its own
    # (SELECT 1) first. If the connection turns out dead, it is closed and the caller's
    # slower path opens a new one (and, should the support have been saved after all, says
    # so: the unique constraint keeps it to one).
    checked = connection.health_check_done
    connection.health_check_done = True
    try:
        connection.ensure_connection()
        raw = connection.connection
        # A prepared statement: planning this INSERT … SELECT costs PostgreSQL as much as
        # running it (pgbench on it: 5,500 statements/s unprepared, 10,500 prepared). So a
        # cursor of psycopg's own, binding on the server, rather than Django's client-side
        # one (the statement therefore doesn't show in DEBUG's query log). A connection with
        # OPTIONS {"prepare_threshold": None} (e.g. behind PgBouncer in transaction mode
        # before 1.21) is never asked to prepare.
        with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
            cursor.execute(
                _SUPPORT_INSERT,
                {
                    "person_key": verification.person_key,
                    "user_id": user_id,
                    "verification_id": verification.pk,
                    "channel": channel,
                    "now": timezone.now(),
                    "municipality_id": Municipality.SINGLETON_PK,
                    "proposal_id": proposal_id,
                    "signing": Status.SIGNING,
                    "to_council": Status.TO_COUNCIL,
                    "today": timezone.localdate(),
                    "residence": verification.residence,
                    "resident": Residence.YES,
                    "residence_required": rules.get_field(
                        "proposal_residence_required"
                    ).get_default(),
                    "birth_date": verification.birth_date,
                    "min_age": rules.get_field("proposal_min_age").get_default(),
                },
                prepare=raw.prepare_threshold is not None,
            )
            row = cursor.fetchone()
    except IntegrityError:  # e.g. the verification was removed meanwhile
        return False
    except (OperationalError, InterfaceError):
        if checked:
            raise
        connection.close()
        return False
    if row is None:
        return False
    if row[0] == Status.SIGNING:
        transaction.on_commit(lambda: threshold_check(proposal_id=proposal_id))
    return True


@transaction.atomic
def support_add_assisted(
    *, proposal: Proposal, actor: Any, pin: personnummer.PersonalNumber, evidence: str
) -> Support:
    """A support received on paper or at a service desk, registered by staff."""
    if not has_perm(actor, "proposals.register_on_behalf"):
        raise PermissionDenied
    verification = verification_assisted(pin=pin, evidence=evidence, staff=actor)
    support = support_add(proposal=proposal, verification=verification)
    audit.record(
        actor=actor,
        action="proposal.support_registered",
        obj=support,
        changes={"proposal": proposal.pk, "verification": verification.pk},
    )
    return support


def support_active(
    *, proposal: Proposal, user: Any = None, verification: Verification | None = None
) -> Support | None:
    keys = Q()
    if user is not None and user.is_authenticated:
        keys |= Q(user=user)
    if verification is not None:
        keys |= Q(person_key=verification.person_key)
    if not keys:
        return None
    return proposal.supports.filter(keys, ACTIVE_SUPPORT).first()


@transaction.atomic
def support_withdraw(
    *, proposal: Proposal, user: Any = None, verification: Verification | None = None
) -> Support:
    """Withdraw one's support while signing is open. The row stays (with the time it was
    withdrawn), so a withdrawn support is never counted and never counted twice."""
    if not proposal.is_signing_open:
        raise SupportRefused(_("Insamlingen är stängd; stödet kan inte längre tas tillbaka."))
    support = support_active(proposal=proposal, user=user, verification=verification)
    if support is None:
        raise SupportRefused(_("Du har inget stöd att ta tillbaka för det här förslaget."))
    updated = Support.objects.filter(pk=support.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if not updated:  # withdrawn by a parallel request
        raise SupportRefused(_("Du har inget stöd att ta tillbaka för det här förslaget."))
    support.refresh_from_db()
    return support


def threshold_check(*, proposal_id: int) -> bool:
    """Move a proposal to KF if it has enough support. Exactly once: the step locks the row
    and re-reads the status, so parallel checks after the crossing support do nothing.

    Runs after each support's commit (a fresh snapshot that sees every committed support) and
    in the periodic sweep as a safety net. Reads at most `threshold` rows, whatever the total.
    """
    proposal = (
        Proposal.objects.filter(pk=proposal_id, status=Status.SIGNING)
        .only("pk", "threshold", "status")
        .first()
    )
    if proposal is None or not proposal.threshold:
        return False
    active = Support.objects.filter(ACTIVE_SUPPORT, proposal_id=proposal_id)
    reached = len(active.order_by().values_list("pk", flat=True)[: proposal.threshold])
    if reached < proposal.threshold:
        return False
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("topic", "area")
            .get(pk=proposal_id)
        )
        if proposal.status != Status.SIGNING:
            return False
        _reach_threshold(proposal)
    return True


def _council_diary_number(proposal: Proposal) -> str:
    council = Body.objects.filter(kind=BodyKind.COUNCIL, is_active=True).first()
    title = _("Medborgarförslag: %(title)s") % {"title": proposal.title}
    if council is not None:
        return str(diary_number_for_body(body=council, title=title))
    return str(diary_number_next(prefix="KF", title=title))


def _reach_threshold(proposal: Proposal) -> None:
    number = _council_diary_number(proposal)
    event = workflow.transition(
        proposal,
        "reach_threshold",
        reference=number,
        changes={"threshold_reached_at": timezone.now(), "diary_number": number},
    )
    _notify_step(proposal, event)
    registrar = municipality_get().registrar_email
    if registrar:
        notify(
            template="proposals.registrar",
            context=_context(proposal, reference=number, threshold=proposal.threshold),
            emails=[registrar],
        )


def _close_unsupported(proposal_id: int) -> bool:
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("topic", "area")
            .get(pk=proposal_id)
        )
        if proposal.status != Status.SIGNING:
            return False
        count = proposal.supports.filter(ACTIVE_SUPPORT).count()
        event = workflow.transition(
            proposal,
            "close_unsupported",
            text=_("%(count)d av %(threshold)d stöd.")
            % {"count": count, "threshold": proposal.threshold or 0},
            changes={"support_count": count},
        )
        _notify_step(proposal, event)
    return True


def support_counts_refresh(*, proposal_ids: list[int] | None = None) -> int:
    """The periodic count for lists and sorting: one UPDATE for all open proposals."""
    counted = (
        Support.objects.filter(ACTIVE_SUPPORT, proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    open_ones = Proposal.objects.filter(
        status__in=SIGNING_STATUSES,
        signing_ends_on__gte=timezone.localdate() - datetime.timedelta(days=1),
    )
    if proposal_ids is not None:
        open_ones = Proposal.objects.filter(pk__in=proposal_ids)
    return open_ones.update(support_count=Coalesce(Subquery(counted), 0))


DRAFT_DIR = "proposals/drafts"


def draft_images_prune(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Images uploaded with a preview whose proposal was never sent in."""
    return files_prune(DRAFT_DIR, older_than=older_than)


def proposals_sweep() -> dict[str, int]:
    """The worker's periodic step: counts, thresholds missed by a crash, periods ended."""
    report = {"counted": support_counts_refresh(), "reached": 0, "closed": 0}
    report["drafts_removed"] = draft_images_prune()
    today = timezone.localdate()
    signing = Proposal.objects.filter(status=Status.SIGNING)
    for pk in signing.filter(support_count__gte=1).values_list("pk", flat=True):
        report["reached"] += threshold_check(proposal_id=pk)
    for pk in signing.filter(signing_ends_on__lt=today).values_list("pk", flat=True):
        report["closed"] += _close_unsupported(pk)
    return report


__all__ = [
    "ProposalError",
    "SupportRefused",
    "proposal_assign",
    "proposal_decide",
    "proposal_hide",
    "proposal_lift",
    "proposal_move_to_feedback",
    "proposal_publish",
    "proposal_register_from_meeting",
    "proposal_register_on_behalf",
    "proposal_reject",
    "proposal_submit",
    "proposal_unhide",
    "support_add",
    "support_add_assisted",
    "support_counts_refresh",
    "support_withdraw",
    "threshold_check",
]
