"""Supports for a medborgarförslag: add (with the one-statement fast path on PostgreSQL),
register on paper, withdraw, the threshold that takes a proposal to KF, and the worker's
periodic sweep."""

import datetime
from contextlib import nullcontext

import psycopg
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.identity import personnummer
from torget.identity.models import Residence, Verification
from torget.identity.personnummer import age_on
from torget.identity.services import verification_assisted
from torget.notifications.services import notify
from torget.organisation.models import Body, BodyKind, Municipality
from torget.organisation.selectors import municipality_get
from torget.organisation.services import diary_number_for_body, diary_number_next
from torget.proposals import selectors, workflow
from torget.proposals.models import (
    ACTIVE_SUPPORT,
    SIGNING_STATUSES,
    Channel,
    Proposal,
    Status,
    Support,
)
from torget.proposals.services.common import SupportRefused, notice_context, notify_step
from torget.proposals.services.submission import draft_images_prune

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


def support_add(
    *, proposal: Proposal, verification: Verification, user: Actor | None = None
) -> Support:
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


def support_add_fast(
    *, proposal_id: int, verification: Verification, user: Actor | None = None
) -> bool:
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
    *, proposal: Proposal, actor: Actor, pin: personnummer.PersonalNumber, evidence: str
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
    *, proposal: Proposal, user: Actor | None = None, verification: Verification | None = None
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
    *, proposal: Proposal, user: Actor | None = None, verification: Verification | None = None
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
    notify_step(proposal, event)
    registrar = municipality_get().registrar_email
    if registrar:
        notify(
            template="proposals.registrar",
            context=notice_context(proposal, reference=number, threshold=proposal.threshold),
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
        notify_step(proposal, event)
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
    updated = open_ones.update(support_count=Coalesce(Subquery(counted), 0))
    if updated:
        # One UPDATE sends no signal: the public list's cached pages show the old counts.
        selectors.list_forget()
    return updated


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
