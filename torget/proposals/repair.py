"""Supports under the canonical person key (issue 15), called from identity's repair through
`ProposalsConfig.on_person_keys_changed`.

A person who supported a proposal once per digit script shows up, once re-keyed, as several
supports with one key. The first stays; the later ones are flagged as duplicates of it
(`duplicate_of`), kept for staff to review and no longer counted, and the proposal's stored
count is corrected. Nothing is deleted: a support is part of a public record.

It works with the models of the registry it is given (a migration's historical models have
no methods, so the audit entries name their objects themselves).
"""

from collections import defaultdict
from collections.abc import Callable

from django.apps.registry import Apps
from django.db.models import Count, Q

_CHUNK = 500


def supports_rekey(
    *, apps: Apps, changes: dict[str, str], audit: Callable[..., None]
) -> dict[str, int]:
    """Re-key supports by the old → new map, flag the later supports of one person of one
    proposal as duplicates, and correct each affected proposal's stored count."""
    support_model = apps.get_model("proposals", "Support")
    proposal_model = apps.get_model("proposals", "Proposal")
    active = Q(withdrawn_at__isnull=True, duplicate_of__isnull=True)
    olds_of: dict[str, set[str]] = defaultdict(set)
    for old, new in changes.items():
        olds_of[new].add(old)

    affected: set[tuple[int, str]] = set()  # (proposal, canonical key)
    old_keys = list(changes)
    for start in range(0, len(old_keys), _CHUNK):
        rows = support_model.objects.filter(person_key__in=old_keys[start : start + _CHUNK])
        for proposal_id, key in rows.values_list("proposal_id", "person_key"):
            affected.add((proposal_id, changes[key]))

    counts = {"supports_rekeyed": 0, "duplicates_flagged": 0, "proposals_corrected": 0}
    flagged_per_proposal: dict[int, int] = defaultdict(int)
    for proposal_id, new in sorted(affected):
        keys = {new} | olds_of[new]
        # Flag first, re-key after: at no moment do two active supports share a key.
        group = list(
            support_model.objects.filter(
                active, proposal_id=proposal_id, person_key__in=keys
            ).order_by("created_at", "pk")
        )
        for duplicate in group[1:]:
            support_model.objects.filter(pk=duplicate.pk).update(duplicate_of=group[0])
            audit(
                action="proposal.support_flagged_duplicate",
                obj=duplicate,
                object_repr=f"stöd {duplicate.pk} för förslag {proposal_id}",
                changes={
                    "duplicate_of": group[0].pk,
                    "reason": "samma personnummer i annan skrift",
                },
            )
            counts["duplicates_flagged"] += 1
            flagged_per_proposal[proposal_id] += 1
        for support in support_model.objects.filter(
            proposal_id=proposal_id, person_key__in=olds_of[new]
        ).only("pk"):
            support_model.objects.filter(pk=support.pk).update(person_key=new)
            audit(
                action="proposal.support_person_key_canonicalised",
                obj=support,
                object_repr=f"stöd {support.pk} för förslag {proposal_id}",
                changes={"reason": "personnummer i annan skrift"},
            )
            counts["supports_rekeyed"] += 1

    counted = Count(
        "supports",
        filter=Q(supports__withdrawn_at__isnull=True, supports__duplicate_of__isnull=True),
    )
    for proposal in proposal_model.objects.filter(pk__in=flagged_per_proposal).annotate(
        counted=counted
    ):
        # The stored count is what lists show (and what a closed proposal's page keeps).
        if proposal.support_count == proposal.counted:
            continue
        proposal_model.objects.filter(pk=proposal.pk).update(support_count=proposal.counted)
        audit(
            action="proposal.support_count_corrected",
            obj=proposal,
            object_repr=f"förslag {proposal.pk}",
            changes={
                "support_count": [proposal.support_count, proposal.counted],
                "duplicates": flagged_per_proposal[proposal.pk],
            },
        )
        counts["proposals_corrected"] += 1
    return counts
