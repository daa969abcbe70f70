"""Implementation of a citizen budget's funded projects: the förvaltning reports each step
(planned → started → done) with what happened, the money spent so far, a photo and, at the
end, the date the project was done. Every report is public on the round's projects page and
the idea's page until the round is finished, and the round's followers are told when a
project moves to a new step (SKR's steps: decision → implementation → follow-up).

The rules of a report, decided here and shown on the staff form:

- Only a funded project of a round whose decision is recorded (phase DECIDED) has progress;
  before the decision nothing is carried out, and a finished round is closed.
- Progress moves forward, planned → started → done, or stays where it is (a further report
  with news or a photo). A step back (a defect found after completion, a contractor gone)
  needs a public reason, which opens the report, and "done" is then taken back with its date.
- "Done" needs the date it was done (not in the future, not before the decision) and the
  money spent, so the page can show what it cost against the estimate.
- A photo goes through the one image check (`core.images.process`: metadata stripped,
  resized) and needs a description for those who cannot see it.
- Followers are told of a new step, not of every further report at the same step: three
  messages per project, not one per photo.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torget.accounts.types import Actor, user_or_none
from torget.audit import services as audit
from torget.budget.models import Idea, Phase, Progress, ProgressUpdate
from torget.budget.permissions import can_review
from torget.budget.workflow import BudgetError
from torget.core import images
from torget.notifications.services import notify

# The order of the steps: a report may not go below the project's step without a reason.
ORDER = {Progress.PLANNED: 1, Progress.STARTED: 2, Progress.DONE: 3}
STEPS = (Progress.PLANNED, Progress.STARTED, Progress.DONE)
TEXT_MAX = 3000
ALT_MAX = 200
REASON_MAX = 1000


def is_back(idea: Idea, progress: str) -> bool:
    """Whether reporting `progress` would take the project a step back."""
    current = ORDER.get(Progress(idea.progress), 0) if idea.progress else 0
    return ORDER.get(Progress(progress), 0) < current


def refusal(idea: Idea) -> str | None:
    """Why no progress can be reported on this idea now, or None."""
    if not idea.funded:
        return _("Idén fick inga pengar i beslutet, så den har inget genomförande att följa.")
    if idea.round.phase == Phase.FINISHED:
        return _(
            "Omgången är avslutad. Lägesrapporterna ligger kvar, men inga nya kan läggas till."
        )
    if idea.round.phase != Phase.DECIDED:
        return _(
            "Det politiska beslutet är inte registrerat än. Projekten genomförs först när "
            "beslutet är fattat."
        )
    return None


def _photo(photo: Any, photo_alt: str, errors: dict[str, str]) -> Any:
    if not photo:
        return None
    try:
        processed = images.process(photo)
    except images.ImageError as error:
        errors["photo"] = str(error)
        return None
    if not photo_alt:
        errors["photo_alt"] = _("Beskriv vad fotot visar, för den som inte kan se det.")
    stored = processed.file
    stored.name = "lagesrapport" + processed.extension
    return stored


@transaction.atomic
def progress_report(
    *,
    idea: Idea,
    actor: Actor,
    progress: str,
    text: str,
    money_spent: int | None = None,
    done_on: datetime.date | None = None,
    photo: Any = None,
    photo_alt: str = "",
    reason: str = "",
) -> ProgressUpdate:
    """Publish one step of a funded project and bring the project's state up to date.

    `money_spent` is the total spent so far (kronor), kept from the last report when not
    given; `reason` is needed, and only read, when the step goes back (see the module)."""
    idea = Idea.objects.select_for_update(of=("self",)).select_related("round").get(pk=idea.pk)
    round = idea.round
    if not can_review(actor, round):
        raise PermissionDenied(
            _("Bara de som arbetar med omgången och den ansvariga förvaltningen kan rapportera.")
        )
    refused = refusal(idea)
    if refused:
        raise BudgetError(refused, code="not_reportable")

    errors: dict[str, str] = {}
    text = (text or "").strip()
    photo_alt = (photo_alt or "").strip()
    reason = (reason or "").strip()
    if progress not in ORDER:
        errors["progress"] = _("Välj projektets läge: planerat, påbörjat eller klart.")
    if not text:
        errors["text"] = _("Skriv vad som har hänt i projektet.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("Texten får vara högst %(max)s tecken.") % {"max": TEXT_MAX}
    if len(photo_alt) > ALT_MAX:
        errors["photo_alt"] = _("Bildbeskrivningen får vara högst %(max)s tecken.") % {
            "max": ALT_MAX
        }
    if money_spent is not None and money_spent < 0:
        errors["money_spent"] = _("Beloppet kan inte vara negativt.")
    going_back = progress in ORDER and is_back(idea, progress)
    if going_back and not reason:
        errors["reason"] = _(
            "Projektet går tillbaka ett steg. Förklara varför, så att invånarna förstår."
        )
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("Förklaringen får vara högst %(max)s tecken.") % {"max": REASON_MAX}
    if progress == Progress.DONE:
        if done_on is None:
            errors["done_on"] = _("Ange vilket datum projektet blev klart.")
        elif done_on > timezone.localdate():
            errors["done_on"] = _("Datumet kan inte vara i framtiden.")
        elif round.decided_on and done_on < round.decided_on:
            errors["done_on"] = _(
                "Projektet kan inte ha blivit klart före beslutet (%(date)s)."
            ) % {"date": round.decided_on.isoformat()}
        spent = money_spent if money_spent is not None else idea.money_spent
        if spent is None:
            errors["money_spent"] = _("Ange hur mycket projektet kostade när det blev klart.")
    stored_photo = _photo(photo, photo_alt, errors)
    if errors:
        raise BudgetError(errors)

    previous = idea.progress
    public_text = f"{reason}\n\n{text}" if going_back else text
    update = ProgressUpdate(
        idea=idea,
        progress=progress,
        text=public_text,
        money_spent=money_spent if money_spent is not None else idea.money_spent,
        photo_alt=photo_alt if stored_photo is not None else "",
        created_by=user_or_none(actor),
    )
    if stored_photo is not None:
        update.photo = stored_photo
    update.full_clean(exclude=["photo"])
    update.save()

    idea.progress = progress
    if money_spent is not None:
        idea.money_spent = money_spent
    # "Done" carries its date; a project taken back from done is no longer done on any date.
    idea.done_on = done_on if progress == Progress.DONE else None
    idea.save(update_fields=["progress", "money_spent", "done_on", "updated_at"])

    changes: dict[str, Any] = {
        "progress": progress,
        "from": previous,
        "money_spent": idea.money_spent,
        "update": update.pk,
    }
    if idea.done_on:
        changes["done_on"] = idea.done_on.isoformat()
    if going_back:
        changes["reason"] = reason
    audit.record(actor=actor, action="budget.progress", obj=idea, changes=changes)
    if progress != previous:
        notify(
            template="budget.progress",
            context={
                "title": round.title,
                "project": idea.title,
                "progress": str(Progress(progress).label),
                "text": public_text,
                "url": idea.get_absolute_url(),
            },
            followers_of=[round],
        )
    return update


def all_done(round: Any) -> bool:
    """Every funded project of the round is done (and there is at least one)."""
    funded = round.ideas.filter(funded=True)
    return funded.exists() and not funded.exclude(progress=Progress.DONE).exists()
