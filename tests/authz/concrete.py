"""Every URL pattern of the URL conf, and a concrete address for each from the demo's objects.

The patterns come from the resolver, never from a list kept by hand: a new view is in the
matrix the moment it is routed. Its arguments are filled from the demo municipality (and the
few objects the matrix adds, see test_matrix.py); a pattern whose object the demo lacks (an
uploaded document, a one-time link) gets an address that names no object, and must answer 404.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# A number and a token that name nothing: for objects the demo has none of.
NO_PK = 999999
NO_TOKEN = "x" * 32


@dataclasses.dataclass(frozen=True)
class Target:
    name: str  # the URL pattern's name, "app:name"
    url: str
    variant: str = ""  # which of the pattern's objects, when it is requested for more than one

    @property
    def key(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


def pattern_names(patterns: list[Any] | None = None, namespace: str = "") -> list[str]:
    """Every named pattern under the root URL conf, but Django's admin (its own permission
    system) and the DEBUG-only media pattern (unnamed, and absent in CI)."""
    names: list[str] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else None
            names += pattern_names(entry.url_patterns, inner or entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                if "document_root" in entry.default_args:  # static(): DEBUG media
                    continue
                raise AssertionError(f"URL pattern {entry.pattern} has no name")
            names.append(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def _first(model: Any, **filters: Any) -> Any:
    return model.objects.filter(**filters).order_by("pk").first()


def demo_budget_round(phase: str = "ideer", **values: Any) -> Any:
    """A citizen budget round in `phase` (budget.models.Phase) for the budget's rows, shared by
    the matrix and the fuzz tests: the demo's first in that phase, else one added on the
    demo's school yard dialogue (the one with the web forum), which the official, the
    elected official (its process leader) and the administrators work with; the citizen
    budget is added to its plan. `values` go to the factory (budget.tests.factories
    .budget_round) when a round is added."""
    from torget.budget.models import BudgetRound
    from torget.budget.tests.factories import budget_round
    from torget.dialogues.catalogue import CITIZEN_BUDGET
    from torget.dialogues.models import Method, PlannedMethod
    from torget.forum.models import Forum

    found = _first(BudgetRound, phase=phase)
    if found is not None:
        return found
    dialogue = _first(Forum).dialogue
    if not dialogue.methods.filter(method__code=CITIZEN_BUDGET).exists():
        PlannedMethod.objects.create(
            dialogue=dialogue,
            method=Method.objects.get(code=CITIZEN_BUDGET),
            order=dialogue.methods.count() + 1,
        )
    values.setdefault("title", f"Matrisens medborgarbudget ({phase})")
    return budget_round(dialogue, phase=phase, **values)


def budget_ideas_objects(citizen: Any, dialogue: Any) -> dict[str, Any]:
    """For the ideas of a citizen budget (the demo has none): a round taking ideas on the demo
    forum's dialogue (those who work with it review the ideas), the demo citizen's idea with an
    image and a comment, another idea, and a merge of the citizen's idea into the other that
    waits for the authors' consent."""
    import datetime
    import io

    from django.core.files.base import ContentFile
    from django.utils import timezone
    from PIL import Image

    from torget.accounts.models import User
    from torget.budget.models import BudgetRound, Comment, Merge, Phase
    from torget.budget.tests.factories import idea

    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    round = BudgetRound.objects.create(
        dialogue=dialogue,
        phase=Phase.IDEAS,
        title="Matrisens medborgarbudget",
        amount=1_000_000,
        criteria="Idén ska gynna många.",
        approved_by_body=dialogue.responsible_body,
        approved_on=today - 10 * day,
        ideas_open_on=today - 5 * day,
        ideas_close_on=today + 10 * day,
        review_ends_on=today + 30 * day,
        voting_opens_on=today + 35 * day,
        voting_closes_on=today + 50 * day,
    )
    jpeg = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(jpeg, "JPEG")
    own = idea(round, author=citizen, image_alt="En gräsmatta")
    own.image.save("idea.jpg", ContentFile(jpeg.getvalue()), save=True)
    other = idea(round, title="En liknande idé")
    comment = Comment.objects.create(idea=own, shown_name="Kim", text="Bra idé!")
    staff = User.objects.filter(is_superuser=True).order_by("pk").first() or citizen
    merge = Merge.objects.create(
        source=own, target=other, reason="Idéerna liknar varandra.", proposed_by=staff
    )
    return {"round": round, "idea": own, "comment": comment, "merge": merge}


def targets(*, citizen: Any, subscription: Any, survey_token: str) -> list[Target]:
    """A concrete address for every pattern (some for two of its objects). `citizen` is the
    demo citizen who owns the draft proposal and the subscription; `survey_token` is an
    unused survey link's."""
    from torget.consultations.models import Alternative, Consultation
    from torget.consultations.models import Status as ConsultationStatus
    from torget.councils.models import Council, CouncilMeeting, CouncilMember
    from torget.dialogues import staff_views as dialogue_staff_views
    from torget.dialogues.models import NOT_PUBLIC, Dialogue
    from torget.evaluation.models import TemplateQuestion
    from torget.feedback import staff_views as feedback_staff_views
    from torget.feedback.models import OPINION_KINDS, Case, CasePhoto
    from torget.geo.models import Area
    from torget.inspections.models import Action as InspectionAction
    from torget.inspections.models import (
        Cause,
        FindingPhoto,
        FollowUp,
        GroupContact,
        Inspection,
        InspectionStatus,
    )
    from torget.meetings.models import AgendaQuestion, Attachment, Meeting, Photo, Registration
    from torget.notifications.models import Delivery, Subscription
    from torget.notifications.selectors import stop_code
    from torget.organisation.models import Body, BodyKind
    from torget.proposals import staff_views as proposal_staff_views
    from torget.proposals.models import Event, Proposal, Status
    from torget.results import views as result_views
    from torget.results.models import FeedbackPoint, PointKind, ResultItem
    from torget.safety.models import CitizensPromise
    from torget.surveys.models import Option as SurveyOption
    from torget.surveys.models import Survey

    public_proposal = _first(Proposal, status=Status.SIGNING)
    draft = _first(Proposal, author=citizen, status=Status.SUBMITTED)
    event = _first(Event, proposal=public_proposal)
    dialogue = _first(Dialogue, meetings__isnull=False)

    sms_survey = _first(Survey, channel="sms")
    # The demo dialogue that has published its feedback points (corrections need them).
    published = _first(Dialogue, feedback_points__kind=PointKind.DECISION_PROPOSAL)
    meeting = _first(Meeting, dialogue__isnull=False)
    utskott_meeting = _first(Meeting, body__abbreviation="UMD1", status="publicerat")
    question = _first(AgendaQuestion)
    case = _first(Case, is_public=True)
    private_case = _first(Case, is_public=False)
    photo = _first(CasePhoto, case=case, is_public=True)
    hidden_photo = _first(CasePhoto, case=case, is_public=False)
    item = _first(ResultItem, utskott__isnull=False)
    utskott = _first(Body, abbreviation="UMD1")  # Utskott Centrum, which the demo politician chairs
    body = _first(Body, kind=BodyKind.COUNCIL) or _first(Body)
    area = _first(Area)
    council = _first(Council, name="Trygghetsrådet Innerstaden")
    council_meeting = _first(CouncilMeeting, council=council)
    council_member = _first(CouncilMember, council=council)
    promise = _first(CitizensPromise)
    inspection = (
        Inspection.objects.filter(council=council)
        .exclude(status=InspectionStatus.CANCELLED)
        .order_by("pk")
        .first()
    )
    # A finding with a photo, on an inspection whose protocol is not done (new ones may come).
    finding_photo = _first(
        FindingPhoto, finding__inspection__council=council, finding__inspection__status="genomford"
    )
    finding = finding_photo.finding
    # An action of that finding, and an open spring action followed up at the autumn walk.
    inspection_action = _first(InspectionAction, finding=finding)
    finding_cause = _first(Cause, finding=finding)
    follow_up = _first(FollowUp, inspection=finding.inspection)
    published_inspection = _first(Inspection, council=council, published_at__isnull=False)
    group_contact = _first(GroupContact, group__inspection__council=council)
    public_finding_photo = _first(
        FindingPhoto, finding__inspection=published_inspection, is_public=True
    )
    hidden_finding_photo = _first(
        FindingPhoto, finding__inspection=published_inspection, is_public=False
    )
    # Uploaded files: the matrix adds one on a public object and one on an object that is not
    # public (yet) for each kind the site serves (test_matrix._add_files).
    public_file = {"meeting__documentation__approved_at__isnull": False}
    attachment = _first(Attachment, **public_file)
    draft_attachment = Attachment.objects.exclude(**public_file).order_by("pk").first()
    meeting_photo = _first(Photo, **public_file)
    draft_photo = Photo.objects.exclude(**public_file).order_by("pk").first()
    point = FeedbackPoint.objects.exclude(document="").exclude(dialogue__status__in=NOT_PUBLIC)
    draft_point = FeedbackPoint.objects.exclude(document="").filter(dialogue__status__in=NOT_PUBLIC)
    draft_event = _first(Event, proposal=draft)

    published_survey = _first(Survey, status="publicerad")  # answer
    survey_pk = published_survey.pk if published_survey else NO_PK
    # surveys (build): the demo's draft, and its first choice question and option.
    draft_survey = _first(Survey, status="utkast")
    published_survey = _first(Survey, status="publicerad")
    survey_option = _first(SurveyOption, question__survey=draft_survey)
    from torget.surveys.models import Answer as SurveyAnswer
    from torget.surveys.models import AnswerTag, Survey

    survey = _first(Survey, dialogue=dialogue, status="publicerad")
    survey_answer = _first(SurveyAnswer, response__survey=survey, text__gt="")
    survey_tag = _first(AnswerTag, survey=survey)
    # An open consultation and a draft, each with an alternative that has an image and a
    # document (test_matrix._add_files).
    consultation = _first(Consultation, status=ConsultationStatus.OPEN)
    draft_consultation = _first(Consultation, status=ConsultationStatus.DRAFT)
    from torget.mapinput.models import Map as StaffMap

    staff_map = StaffMap.objects.order_by("pk").first()
    staff_point = staff_map.points.order_by("pk").first()
    alternative = _first(Alternative, consultation=consultation)
    draft_alternative = _first(Alternative, consultation=draft_consultation)

    # The demo map (torget/mapinput/demo.py) and its most agreed published point (the demo
    # has no photo: mapinput:photo answers 404 for everyone).
    from torget.mapinput.models import Map as DialogueMap
    from torget.mapinput.models import Point as MapPoint

    dialogue_map = DialogueMap.objects.order_by("pk").first()
    map_point = MapPoint.objects.filter(status="publicerad").order_by("-agree_count", "pk").first()
    # forum (public): the demo forum, its starting question, the demo citizen's post there
    # and a post by someone else (the elected official's answer) to agree with.
    from torget.forum.models import Forum as DemoForum
    from torget.forum.models import Post as ForumPost

    forum = _first(DemoForum)
    forum_post = _first(ForumPost, author=citizen, status="publicerat")
    other_post = (
        ForumPost.objects.filter(thread=forum_post.thread, status="publicerat")
        .exclude(author=citizen)
        .order_by("pk")
        .first()
    )
    # forum (moderation and staff side): the demo's school yard forum, its flagged post and
    # its hidden one.
    from torget.forum.models import Forum, Post
    from torget.forum.models import PostStatus as ForumPostStatus

    forum = _first(Forum)
    flagged_post = _first(Post, flags__isnull=False, status=ForumPostStatus.PUBLISHED)
    hidden_post = _first(Post, status=ForumPostStatus.HIDDEN)

    budget_ideas = budget_ideas_objects(citizen, _first(Forum).dialogue)
    # budget (count, result and decision): a round with a published result, if the demo has one
    from torget.budget.models import BudgetRound

    budget_result = _first(BudgetRound, phase__in=["resultat", "beslutad", "avslutad"])
    budget_result_pk = budget_result.pk if budget_result else NO_PK

    def one(name: str, *args: Any, variant: str = "") -> Target:
        return Target(name, reverse(name, args=args), variant)

    budget_round = demo_budget_round("ideer")
    draft_budget_round = demo_budget_round("utkast")

    found = [
        one("set_language"),
        one("public_media", "municipality/finns-inte.png", variant="missing"),
        # A case photo's folder is not public by address, whether or not the file exists.
        one("public_media", "feedback/photos/finns-inte.jpg", variant="private"),
        # accounts
        one("accounts:signup"),
        one("accounts:signup_done"),
        one("accounts:verify_email", NO_TOKEN),
        one("accounts:resend_verification"),
        one("accounts:login"),
        one("accounts:logout"),
        one("accounts:password_reset"),
        one("accounts:password_reset_done"),
        one("accounts:password_reset_confirm", "MQ", "set-password"),
        one("accounts:password_reset_complete"),
        one("accounts:account_closed"),
        one("accounts:two_factor_setup"),
        one("accounts:two_factor_verify"),
        one("accounts:two_factor_recovery_codes"),
        one("accounts:reauthenticate"),
        one("admin_login"),
        one("accounts:my_pages"),
        one("accounts:profile_edit"),
        one("accounts:password_change"),
        one("accounts:data_export"),
        one("accounts:account_close"),
        # core
        one("core:home"),
        one("core:about"),
        one("core:privacy"),
        one("core:accessibility"),
        one("core:backoffice"),
        one("core:safety"),
        # organisation, geo
        one("organisation:overview"),
        one("organisation:body_detail", body.slug),
        one("geo:area_list"),
        one("geo:areas_geojson"),
        one("core:area_detail", area.slug),
        one("geo:area_geojson", area.slug),
        one("geo:population"),
        # notifications
        one("notifications:follow", "omrade", area.pk),
        one("notifications:confirm", subscription.token),
        one("notifications:manage", subscription.token),
        one("notifications:unsubscribe", subscription.token),
        one("notifications:phone_code", subscription.token),
        one(
            "notifications:phone_code",
            _first(Subscription, by_sms=True, phone_confirmed_at__isnull=True).token,
            variant="waiting",
        ),
        one("notifications:stop", stop_code(subscription)),
        one("notifications:my_subscriptions"),
        one("notifications:outbox"),
        one("notifications:retry", _first(Delivery).pk),
        # identity
        one("identity:choose"),
        one("identity:demo"),
        one("identity:oidc_callback"),
        one("identity:start", "demo"),
        one("identity:resident_register"),
        # feedback
        one("feedback:start"),
        one("feedback:opinion_create", next(iter(OPINION_KINDS)).value),
        one("feedback:fault_create"),
        one("feedback:fault_map"),
        one("feedback:fault_geojson"),
        one("feedback:public_detail", case.number),
        one("feedback:public_detail", private_case.number, variant="private"),
        one("feedback:public_photo", case.number, photo.pk, photo.key),
        one(
            "feedback:public_photo",
            case.number,
            hidden_photo.pk,
            hidden_photo.key,
            variant="hidden",
        ),
        one("feedback:follow", case.token),
        one("feedback:follow", private_case.token, variant="private"),
        one("feedback:follow_photo", case.token, hidden_photo.pk, hidden_photo.key),
        one("feedback:receipt", case.token),
        one("feedback:statistics"),
        one("feedback:staff_inbox"),
        one("feedback:staff_register"),
        one("feedback:staff_detail", case.pk),
        one("feedback:staff_act", case.pk, next(iter(feedback_staff_views.ACTIONS))),
        one("feedback:staff_photo", case.pk, hidden_photo.pk, hidden_photo.key),
        one("feedback:staff_statistics"),
        one("feedback:staff_area_cases"),
        one("feedback:staff_statistics_csv"),
        Target("feedback:open311:root", reverse("feedback:open311:root")),
        Target("feedback:open311:discovery", reverse("feedback:open311:discovery") + ".json"),
        Target("feedback:open311:services", reverse("feedback:open311:services") + ".json"),
        Target(
            "feedback:open311:service",
            reverse("feedback:open311:service", kwargs={"code": case.category.code}) + ".json",
        ),
        Target("feedback:open311:requests", reverse("feedback:open311:requests") + ".json"),
        Target(
            "feedback:open311:request",
            reverse("feedback:open311:request", kwargs={"number": case.number}) + ".json",
        ),
        Target(
            "feedback:open311:request",
            reverse("feedback:open311:request", kwargs={"number": private_case.number}) + ".json",
            "private",
        ),
        Target(
            "feedback:open311:token",
            reverse("feedback:open311:token", kwargs={"token": NO_TOKEN}) + ".json",
        ),
        # dialogues
        one("dialogues:list"),
        one("dialogues:request"),
        one("dialogues:request_thanks"),
        one("dialogues:year_wheel"),
        one("dialogues:detail", dialogue.pk),
        one("dialogues:calendar"),
        one("dialogues:ical"),
        one("dialogues:staff_index"),
        one("dialogues:staff_initiate"),
        one("dialogues:annual_plans"),
        one("dialogues:staff_detail", dialogue.pk),
        one("insight:representation_dialogue", dialogue.pk),
        one("insight:representation_dialogue_staff", dialogue.pk),
        one("insight:representation_overall"),
        one("dialogues:staff_edit", dialogue.pk),
        one("dialogues:staff_step", dialogue.pk, "start-planning"),
        one("dialogues:staff_plan", dialogue.pk, next(iter(dialogue_staff_views.PLAN_ACTIONS))),
        # meetings
        one("meetings:detail", meeting.pk),
        one("meetings:register", meeting.pk),
        one("meetings:question", meeting.pk),
        one("meetings:attachment", attachment.meeting_id, attachment.pk),
        one(
            "meetings:attachment",
            draft_attachment.meeting_id,
            draft_attachment.pk,
            variant="not approved",
        ),
        one("meetings:attachment", meeting.pk, NO_PK, variant="missing"),
        one("meetings:photo", meeting_photo.meeting_id, meeting_photo.pk),
        one("meetings:photo", draft_photo.meeting_id, draft_photo.pk, variant="not approved"),
        one("meetings:registration", _first(Registration).token),
        one("meetings:staff_index"),
        one("meetings:staff_create_for_dialogue", dialogue.pk),
        one("meetings:staff_create_for_body", utskott.pk),
        one("meetings:staff_detail", meeting.pk),
        one("meetings:staff_detail", utskott_meeting.pk, variant="utskott"),
        one("meetings:staff_edit", meeting.pk),
        one("meetings:staff_edit", utskott_meeting.pk, variant="utskott"),
        one("meetings:staff_agenda", meeting.pk, "add"),
        one("meetings:staff_moderate", question.meeting_id, question.pk, "godkann"),
        one("meetings:staff_registrations", meeting.pk),
        one("meetings:staff_cancel", meeting.pk),
        one("meetings:staff_forward", utskott_meeting.pk),
        one("meetings:staff_forwarded_document", utskott_meeting.pk, NO_PK),
        one("meetings:staff_mark_held", meeting.pk),
        one("meetings:staff_documentation", meeting.pk),
        one("meetings:staff_documentation_action", meeting.pk, "spara"),
        # councils
        one("councils:list"),
        one("councils:detail", council.slug),
        one("councils:staff_index"),
        one("councils:staff_create"),
        one("councils:staff_detail", council.pk),
        one("councils:staff_edit", council.pk),
        one("councils:staff_member", council.pk, council_member.pk),
        one("councils:staff_meeting_plan", council.pk),
        one("councils:staff_meeting", council.pk, council_meeting.pk),
        one("councils:staff_meeting_action", council.pk, council_meeting.pk, "narvaro"),
        one("councils:staff_action", council.pk, "ledamot"),
        # safety
        one("safety:promise", promise.pk),
        one("safety:current_promise"),
        one("safety:staff_index"),
        one("safety:survey_import"),
        one("safety:promise_create"),
        one("safety:staff_promise", promise.pk),
        one("safety:promise_edit", promise.pk),
        one("safety:commitment_add", promise.pk),
        one("safety:follow_up", promise.pk),
        # inspections
        one("inspections:staff_plan"),
        one("inspections:staff_create"),
        one("inspections:staff_detail", inspection.pk),
        one("inspections:staff_edit", inspection.pk),
        one("inspections:staff_action", inspection.pk, "narvaro"),
        one("inspections:staff_finding_create", finding.inspection_id),
        one("inspections:staff_finding", finding.inspection_id, finding.pk),
        one("inspections:staff_finding_action", finding.inspection_id, finding.pk, "foto"),
        one("inspections:staff_photo", finding.inspection_id, finding_photo.pk, finding_photo.key),
        one("inspections:staff_action_step", finding.inspection_id, inspection_action.pk),
        one("inspections:staff_finding_edit", finding.inspection_id, finding.pk),
        one("inspections:staff_cause_edit", finding.inspection_id, finding_cause.pk),
        one("inspections:staff_action_edit", finding.inspection_id, inspection_action.pk),
        one("inspections:staff_follow_up", follow_up.inspection_id, follow_up.action_id),
        one(
            "inspections:staff_contact_remove",
            group_contact.group.inspection_id,
            group_contact.pk,
        ),
        one("inspections:staff_protocol", inspection.pk),
        one("inspections:staff_protocol_pdf", inspection.pk),
        one("inspections:public_protocol", published_inspection.pk),
        one("inspections:public_protocol", finding.inspection_id, variant="unpublished"),
        one("inspections:public_protocol_pdf", published_inspection.pk),
        one("inspections:public_protocol_pdf", finding.inspection_id, variant="unpublished"),
        one(
            "inspections:public_photo",
            published_inspection.pk,
            public_finding_photo.pk,
            public_finding_photo.key,
        ),
        one(
            "inspections:public_photo",
            published_inspection.pk,
            hidden_finding_photo.pk,
            hidden_finding_photo.key,
            variant="not approved",
        ),
        # proposals
        one("proposals:list"),
        one("proposals:create"),
        one("proposals:from_meetings"),
        one("proposals:detail", public_proposal.pk),
        one("proposals:detail", draft.pk, variant="draft"),
        one("proposals:support", public_proposal.pk),
        one("proposals:withdraw", public_proposal.pk),
        one("proposals:mine"),
        one("proposals:draft_image"),
        one("proposals:image", public_proposal.pk),
        one("proposals:image", draft.pk, variant="draft"),
        one("proposals:image", NO_PK, variant="missing"),
        one("proposals:decision_document", public_proposal.pk),
        one("proposals:decision_document", draft.pk, variant="draft"),
        one("proposals:event_document", public_proposal.pk, event.pk),
        one("proposals:event_document", draft.pk, draft_event.pk, variant="draft"),
        one("proposals:staff_index"),
        one("proposals:staff_export"),
        one("proposals:staff_register"),
        one("proposals:staff_register_meeting"),
        one("proposals:staff_detail", public_proposal.pk),
        one("proposals:staff_detail", draft.pk, variant="draft"),
        one(
            "proposals:staff_step",
            public_proposal.pk,
            next(iter(proposal_staff_views.ACTIONS)),
        ),
        one("proposals:staff_support", public_proposal.pk),
        one("proposals:staff_supporters", public_proposal.pk),
        # results
        one("results:point_document", point.order_by("pk").first().pk),
        one("results:point_document", draft_point.order_by("pk").first().pk, variant="draft"),
        one("results:point_document", NO_PK, variant="missing"),
        one("results:item", item.pk),
        one("results:item_action", item.pk, next(iter(result_views.ACTIONS))),
        one("results:item_new", dialogue.pk),
        one("results:summary_publish", dialogue.pk),
        one("results:decision_proposal_publish", dialogue.pk),
        one("results:decision_proposal_skip", dialogue.pk),
        one("results:summary_correct", published.pk),
        one("results:decision_proposal_correct", published.pk),
        one("results:utskott", utskott.slug),
        # mapinput (public)
        *[
            one(f"mapinput:{name}", dialogue_map.dialogue_id, dialogue_map.pk)
            for name in ("map", "place", "list", "geojson")
        ],
        *[one(f"mapinput:{name}", map_point.pk) for name in ("point", "agree", "comment", "photo")],
        # consultations
        one("consultations:detail", consultation.dialogue_id, consultation.pk),
        one(
            "consultations:detail",
            draft_consultation.dialogue_id,
            draft_consultation.pk,
            variant="draft",
        ),
        *[
            one(
                f"consultations:{kind}",
                of.consultation.dialogue_id,
                of.consultation_id,
                of.pk,
                variant=variant,
            )
            for kind in ("image", "document")
            for of, variant in ((alternative, ""), (draft_alternative, "draft"))
        ],
        one("consultations:staff_new", consultation.dialogue_id),
        one("consultations:staff_detail", consultation.pk),
        one("consultations:staff_edit", draft_consultation.pk),
        one("consultations:alternative_new", draft_consultation.pk),
        one("consultations:alternative_edit", draft_consultation.pk, draft_alternative.pk),
        one("consultations:alternative_remove", draft_consultation.pk, draft_alternative.pk),
        one("consultations:staff_action", draft_consultation.pk, "godkann"),
        # mapinput (staff)
        one("mapinput:staff_new", staff_map.dialogue_id),
        one("mapinput:queue"),
        one("mapinput:staff_detail", staff_map.pk),
        one("mapinput:staff_edit", staff_map.pk),
        one("mapinput:categories", staff_map.pk),
        one("mapinput:export_geojson", staff_map.pk),
        one("mapinput:export_csv", staff_map.pk),
        one("mapinput:staff_point", staff_point.pk),
        one("mapinput:staff_photo", staff_point.pk),
        one("mapinput:point_action", staff_point.pk, "dolj"),
        # forum (moderation and staff side)
        one("forum:flag", flagged_post.pk),
        one("forum:flag", hidden_post.pk, variant="hidden"),
        one("forum:staff_new", forum.dialogue_id),
        one("forum:staff_detail", forum.pk),
        one("forum:staff_edit", forum.pk),
        one("forum:summary", forum.pk),
        one("forum:staff_thread", flagged_post.thread_id),
        one("forum:post_action", flagged_post.pk, "dolj"),
        one("forum:queue"),
        one("forum:bans"),
        # budget (count, result and decision): the demo's first round with a published result
        *[
            one(f"budget:{name}", budget_result_pk)
            for name in ("result", "staff_count", "staff_decision")
        ],
        # evaluation
        one("evaluation:thanks"),
        one("evaluation:answer", survey_token),
        one("evaluation:answer", NO_TOKEN, variant="unknown"),
        one("evaluation:staff", dialogue.pk),
        one("evaluation:send", dialogue.pk),
        one("evaluation:internal", dialogue.pk),
        one("evaluation:template"),
        # surveys: sms
        one("surveys:sms_send", sms_survey.pk),
        one("surveys:sms_remind", sms_survey.pk),
        one("surveys:sms_inbound", NO_TOKEN),
        one("evaluation:question_add"),
        one("evaluation:question_edit", _first(TemplateQuestion).pk),
        one("evaluation:question_remove", _first(TemplateQuestion).pk),
        one("evaluation:question_move", _first(TemplateQuestion).pk),
        # surveys (answer): the demo's first published survey; links that name nothing
        one("surveys:public_detail", survey_pk),
        one("surveys:answer_start", survey_pk),
        one("surveys:answer_resume", survey_pk, NO_TOKEN),
        one("surveys:answer_page", survey_pk, NO_TOKEN, 1),
        one("surveys:answer_confirm", survey_pk, NO_TOKEN),
        one("surveys:answer_send_link", survey_pk, NO_TOKEN),
        one("surveys:answer_receipt", survey_pk, NO_TOKEN),
        one("surveys:answer_paper", survey_pk),
        # surveys (build)
        one("surveys:staff_list"),
        one("surveys:staff_create", draft_survey.dialogue_id),
        one("surveys:staff_copy", draft_survey.dialogue_id),
        one("surveys:staff_detail", draft_survey.pk),
        one("surveys:staff_edit", draft_survey.pk),
        one("surveys:staff_preview", draft_survey.pk),
        one("surveys:staff_section_add", draft_survey.pk),
        one("surveys:staff_section_edit", draft_survey.pk, survey_option.question.section_id),
        one(
            "surveys:staff_section_action",
            draft_survey.pk,
            survey_option.question.section_id,
            "ned",
        ),
        one("surveys:staff_question_add", draft_survey.pk, survey_option.question.section_id),
        one("surveys:staff_question", draft_survey.pk, survey_option.question_id),
        one(
            "surveys:staff_question_action",
            draft_survey.pk,
            survey_option.question_id,
            "alternativ",
        ),
        one("surveys:staff_option", draft_survey.pk, survey_option.pk),
        one("surveys:staff_option_action", draft_survey.pk, survey_option.pk, "ned"),
        one("surveys:staff_action", draft_survey.pk, "publicera"),
        # surveys: results (of the survey the matrix adds to the dialogue, _add_survey_answers)
        one("surveys:results_staff", survey.pk),
        one("surveys:results_free_text", survey.pk),
        one("surveys:results_answer_tag", survey.pk, survey_answer.pk),
        one("surveys:results_answer_untag", survey.pk, survey_answer.pk, survey_tag.pk),
        one("surveys:results_tag_item", survey.pk, survey_tag.pk),
        one("surveys:results_cross", survey.pk),
        one("surveys:results_places", survey.pk),
        one("surveys:results_geojson", survey.pk),
        one("surveys:results_csv", survey.pk),
        one("surveys:results_xlsx", survey.pk),
        one("surveys:results_summary", survey.pk),
        one("surveys:results_public", survey.pk),
        # forum (public)
        one("forum:rules"),
        one("forum:forum", forum.dialogue_id, forum.pk),
        one("forum:new_thread", forum.dialogue_id, forum.pk),
        one("forum:feed", forum.dialogue_id, forum.pk),
        one("forum:thread", forum_post.thread_id),
        one("forum:reply", forum_post.thread_id),
        one("forum:edit", forum_post.pk),
        one("forum:agree", other_post.pk),
        # budget (the round): one taking ideas and a draft (demo_budget_round)
        one("budget:index"),
        one("budget:round", budget_round.pk),
        one("budget:round", draft_budget_round.pk, variant="draft"),
        one("budget:staff_index"),
        Target(
            "budget:staff_new",
            reverse("budget:staff_new") + f"?dialog={budget_round.dialogue_id}",
        ),
        one("budget:staff_round", budget_round.pk),
        one("budget:staff_edit", draft_budget_round.pk),
        one("budget:staff_approve", draft_budget_round.pk),
        one("budget:staff_step", budget_round.pk, "start_review"),
        # budget (ideas): objects of budget_ideas_objects
        *[one(f"budget:{name}", budget_ideas["round"].pk) for name in ("ideas", "idea_new")],
        *[
            one(f"budget:{name}", budget_ideas["round"].pk, budget_ideas["idea"].number)
            for name in ("idea", "idea_image", "comment", "interest")
        ],
        one(
            "budget:merge_consent",
            budget_ideas["round"].pk,
            budget_ideas["idea"].number,
            budget_ideas["merge"].pk,
        ),
        one("budget:staff_ideas", budget_ideas["round"].pk),
        *[
            one(f"budget:{name}", budget_ideas["round"].pk, budget_ideas["idea"].number)
            for name in ("staff_idea", "staff_review", "staff_merge")
        ],
        one(
            "budget:staff_merge_consent",
            budget_ideas["round"].pk,
            budget_ideas["idea"].number,
            budget_ideas["merge"].pk,
        ),
        one("budget:staff_comment_hide", budget_ideas["round"].pk, budget_ideas["comment"].pk),
        # insight (dashboards and the area report): the demo's Utskottsområde Centrum
        one("insight:dashboard"),
        one("insight:staff_dashboard"),
        one("insight:area_report", "utskottsomrade-centrum"),
        one("insight:area_report_pdf", "utskottsomrade-centrum"),
        one("insight:area_report_attach", "utskottsomrade-centrum"),
        one("insight:area_report_forward", "utskottsomrade-centrum"),
        # privacy: the staff register and the rights tool (no arguments)
        one("privacy:register_staff"),
        one("privacy:rights"),
        one("privacy:rights_export"),
        one("privacy:rights_erase"),
        # retention: the public plan and the administrators' run log
        one("retention:plan"),
        one("retention:runs"),
        # operations: the health check and the metrics
        one("operations:healthz"),
        one("operations:metrics"),
    ]
    found += _budget_voting_targets()
    found += _budget_progress_targets(one)
    found += _api_targets(private_case=private_case)
    found += _opendata_targets()
    return found


def _opendata_targets() -> list[Target]:
    """opendata: the exports built into the matrix's media folder, and the first dataset's
    CSV. Before the API registers its datasets (a branch without them), one of the open data
    tests' own is registered so that a file exists to ask for."""
    from torget.api import datasets
    from torget.opendata import exports, feeds

    if next(datasets.all_datasets(), None) is None:
        from torget.opendata.tests.datasets import areas_dataset

        # A slug of its own: the open data tests register theirs for a test at a time.
        datasets.register(dataclasses.replace(areas_dataset(), slug="matrisens-omraden"))
    exports.build_all()
    slug = next(datasets.all_datasets()).slug
    found = [
        Target(name, reverse(name))
        for name in ("opendata:index", "opendata:catalogue_ttl", "opendata:catalogue_jsonld")
    ]
    found += [
        Target(
            "opendata:download", reverse("opendata:download", kwargs={"slug": slug, "fmt": "csv"})
        ),
        Target(
            "opendata:download",
            reverse("opendata:download", kwargs={"slug": "finns-inte", "fmt": "csv"}),
            "missing",
        ),
    ]
    found += [
        Target(f"opendata:{stem}_{flavour}", reverse(f"opendata:{stem}_{flavour}"))
        for stem, _word, _class in feeds.FEEDS
        for flavour in ("rss", "atom")
    ]
    return found


def _budget_voting_targets() -> list[Target]:
    """budget (voting): a round open for voting, built with the budget's test factories (the
    demo has no citizen budget)."""
    from torget.budget.models import Phase as BudgetPhase
    from torget.budget.tests.factories import budget_round, project

    round = budget_round(phase=BudgetPhase.VOTING, title="Medborgarbudget (röstning)")
    project(round, 100_000)
    return [
        Target(name, reverse(name, args=[round.pk]))
        for name in (
            "budget:ballot",
            "budget:ballot_confirm",
            "budget:ballot_done",
            "budget:staff_assisted",
        )
    ]


def _budget_progress_targets(one: Any) -> list[Target]:
    """budget (implementation): the demo's decided round (torget/budget/demo.py), a funded
    project of it and the progress report that has a photo."""
    from torget.budget.demo import ROUND_DONE
    from torget.budget.models import BudgetRound, ProgressUpdate

    round = BudgetRound.objects.get(title=ROUND_DONE)
    funded = round.ideas.filter(funded=True).order_by("number").first()
    photo = (
        ProgressUpdate.objects.filter(idea__round=round).exclude(photo="").order_by("pk").first()
    )
    # The demo stored the photo before the matrix gave MEDIA_ROOT a folder of its own
    # (test_matrix.media_root): put its bytes where the matrix serves from.
    storage = photo.photo.storage
    if not storage.exists(photo.photo.name):
        import io

        from django.core.files.base import ContentFile
        from PIL import Image

        data = io.BytesIO()
        Image.new("RGB", (8, 8), "green").save(data, "JPEG")
        storage.save(photo.photo.name, ContentFile(data.getvalue()))
    return [
        one("budget:projects", round.pk),
        one("budget:update_photo", photo.pk),
        one("budget:update_photo", NO_PK, variant="missing"),
        one("budget:staff_projects", round.pk),
        one("budget:staff_project", round.pk, funded.number),
    ]


def _api_targets(*, private_case: Any) -> list[Target]:
    """The public read API: each dataset's list and its first row, and two rows that are not
    public (an initiative not decided on, a fault report kept private)."""
    from torget.api.registry import ENDPOINTS
    from torget.dialogues.models import NOT_PUBLIC, Dialogue

    found = [
        Target("api:index", reverse("api:index")),
        Target("api:schema", reverse("api:schema")),
        Target("api:docs", reverse("api:docs")),
        Target("api:omraden-geojson", reverse("api:omraden-geojson")),
    ]
    for slug, endpoint in ENDPOINTS.items():
        found.append(Target(f"api:{slug}-list", reverse(f"api:{slug}-list")))
        row = endpoint.dataset.rows().order_by("pk").first()
        value = getattr(row, endpoint.lookup_field) if row is not None else NO_PK
        found.append(Target(f"api:{slug}-detail", reverse(f"api:{slug}-detail", args=[value])))
    hidden_dialogue = _first(Dialogue, status__in=NOT_PUBLIC)
    found.append(
        Target(
            "api:dialoger-detail",
            reverse("api:dialoger-detail", args=[hidden_dialogue.pk if hidden_dialogue else NO_PK]),
            "private",
        )
    )
    found.append(
        Target(
            "api:felanmalningar-detail",
            reverse("api:felanmalningar-detail", args=[private_case.number]),
            "private",
        )
    )
    return found
