"""Every URL that takes a POST, also those no page of the demo leads to (a question waiting
for moderation, one-time links that arrive by e-mail, a support that needs an e-ID step),
sent hostile bodies with the field names Torget uses: never a server error.

test_forms.py fills the forms a page offers; this covers what is posted without one, and
checks that no POST endpoint is left out: every URL pattern is either sent here, filled as a
form there, or named in NOT_POSTED with the reason.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import EXAMPLES, Tally, rolled_back
from tests.fuzz.invariants import problems, saved_instances
from tests.fuzz.strategies import hostile

# One worker runs the whole module: its demo is loaded once (tests/fuzz/harness.py).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("fuzz-endpoints")]

# Names that Torget's views read from request.POST beyond their forms' fields.
FIELD_NAMES = [
    # two-factor and the "confirm it is you" step
    "code",
    "password",
    "item",
    "numbers",
    "area",
    "skicka",
    "message",
    "from",
    "id",
    "attachment",
    "photo",
    "riktning",
    "confirm",
    "text",
    "email",
    "phone",
    "by_email",
    "by_sms",
    "frequency",
    "pin",
    "evidence",
    "next",
    "answer",
    "reason",
    "title",
    "description",
    "q_1",
    "comment",
    "tillbaka",
    "note",
    "meeting",
    "fran",
    "till",
    "typ",
    "options",
    "condition_question",
    "condition_value",
    "source",
    "method",
    "name",
    "kind",
    "publicera",
    "avpublicera",
    "alternative",
    # the map's placing form
    "category",
    "place",
    "geometry",
    "address",
    "shown_name",
    "age_band",
    # forum (public)
    "badge",
    "parent",
    "quote_of",
    "starting_question",
    "atgard",
    # mapinput (staff): the categories page's step, a point's steps by their prefixes
    "op",
    "categories",
    "dolj-reason",
    "kommentar-dolj-comment",
    "kommentar-godkann-comment",
    "resultat-kind",
    "felanmalan-category",
    "ban",
    "summary",
    "until",
    "planned_method",
    # budget (the round's set-up and the presidium's approval)
    "amount",
    "areas",
    "criteria",
    "responsible_administration",
    "min_age",
    "residence",
    "voting_rule",
    "votes_per_ballot",
    "counting_method",
    "ideas_open_on",
    "ideas_close_on",
    "review_ends_on",
    "voting_opens_on",
    "voting_closes_on",
    "body",
    "names",
    "approved_on",
    "reference",
    # budget (ideas): the idea form, and the staff forms by their prefixes
    "estimated_cost",
    "image_alt",
    "lat",
    "lon",
    "action",
    "review-feasible",
    "review-cost",
    "review-reason",
    "breach-reason",
    "merge-target",
    "merge-reason",
    "consent-side",
    "consent-answer",
    "consent-note",
    "hide-reason",
    # budget (voting): the ballot, its confirmation and the assisted vote
    "projects",
    "choices",
    "plats-1",
    "lives_in_area",
    "change",
    "evidence_detail",
    # budget (count, result and decision)
    "body",
    "decided_on",
    "reference",
    "funded_numbers",
    # budget (implementation): the progress report
    "progress",
    "money_spent",
    "done_on",
    "photo_alt",
    # privacy: the rights tool's search, export and erasure
    "searched_by",
    "value",
    "subject",
    "format",
    "confirm",
]
# URL patterns that only answer GET (pages, files, feeds): they are walked by the crawler,
# and their query parameters fuzzed through the GET forms that lead to them.
GET_ONLY = {
    # the public read API: GET only by design (a POST is a 405, tested in torget/api/tests)
    "api:index",
    "api:schema",
    "api:docs",
    "api:omraden-geojson",
    "api:besiktningar-list",
    "api:besiktningar-detail",
    "api:dialoger-list",
    "api:dialoger-detail",
    "api:felanmalningar-list",
    "api:felanmalningar-detail",
    "api:forslag-list",
    "api:forslag-detail",
    "api:medborgarbudget-list",
    "api:medborgarbudget-detail",
    "api:medborgarbudget-projekt-list",
    "api:medborgarbudget-projekt-detail",
    "api:moten-list",
    "api:moten-detail",
    "api:omraden-list",
    "api:omraden-detail",
    "api:rad-list",
    "api:rad-detail",
    "api:resultat-list",
    "api:resultat-detail",
    "insight:representation_dialogue",
    "insight:representation_dialogue_staff",
    "insight:representation_overall",
    "budget:result",
    "mapinput:map",
    "mapinput:list",
    "mapinput:geojson",
    "mapinput:point",
    "mapinput:photo",
    "core:home",
    "core:about",
    "core:privacy",
    "core:accessibility",
    "core:backoffice",
    "core:safety",
    # the municipality's logo under /media/municipality/ (torget.core.media.public_media)
    "public_media",
    "accounts:signup_done",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "accounts:account_closed",
    "accounts:my_pages",
    "accounts:data_export",
    "accounts:two_factor_recovery_codes",
    "admin_login",  # a redirect to accounts:login
    "organisation:overview",
    "organisation:body_detail",
    "geo:area_list",
    "geo:areas_geojson",
    "core:area_detail",
    "geo:area_geojson",
    "notifications:my_subscriptions",
    "notifications:outbox",
    "identity:choose",
    "identity:oidc_callback",
    "feedback:start",
    "feedback:fault_map",
    "feedback:fault_geojson",
    "feedback:public_detail",
    "feedback:receipt",
    "feedback:statistics",
    "insight:dashboard",
    "insight:staff_dashboard",
    "insight:area_report",
    "insight:area_report_pdf",
    "feedback:staff_inbox",
    "feedback:staff_statistics",
    "feedback:staff_area_cases",
    "feedback:staff_statistics_csv",
    "dialogues:list",
    "dialogues:request_thanks",
    "dialogues:year_wheel",
    "dialogues:detail",
    "dialogues:calendar",
    "dialogues:ical",
    "dialogues:staff_index",
    "dialogues:annual_plans",
    "meetings:detail",
    "meetings:staff_index",
    "meetings:staff_registrations",
    "proposals:list",
    "proposals:from_meetings",
    "proposals:detail",
    "proposals:mine",
    "proposals:staff_index",
    "proposals:staff_export",
    "proposals:staff_supporters",
    "results:utskott",
    "evaluation:thanks",
    "evaluation:staff",
    "dialogues:staff_detail",
    "meetings:staff_detail",
    "proposals:staff_detail",
    "results:item",
    "feedback:staff_detail",
    "councils:list",
    "councils:detail",
    "councils:staff_index",
    "councils:staff_detail",
    "councils:staff_meeting",
    "safety:promise",
    "safety:current_promise",
    "safety:staff_index",
    "safety:staff_promise",
    "inspections:staff_plan",
    "inspections:staff_detail",
    "inspections:staff_finding",
    "inspections:staff_protocol",
    "inspections:staff_protocol_pdf",
    "inspections:public_protocol",
    "inspections:public_protocol_pdf",
    "surveys:public_detail",
    "surveys:answer_resume",
    "surveys:staff_list",
    "surveys:staff_detail",
    "surveys:staff_preview",
    "surveys:results_staff",
    "surveys:results_free_text",
    "surveys:results_cross",
    "surveys:results_places",
    "surveys:results_geojson",
    "surveys:results_csv",
    "surveys:results_xlsx",
    "surveys:results_public",
    "consultations:staff_detail",
    "forum:rules",
    "forum:forum",
    "forum:feed",
    "forum:thread",
    "mapinput:queue",
    "mapinput:staff_detail",
    "mapinput:export_geojson",
    "mapinput:export_csv",
    "mapinput:staff_point",
    "forum:staff_detail",
    "forum:staff_thread",
    "forum:queue",
    "budget:index",
    "budget:round",
    "budget:staff_index",
    "budget:staff_round",
    "budget:ideas",
    "budget:idea",
    "budget:staff_ideas",
    "budget:staff_idea",
    "budget:ballot_done",
    "budget:projects",
    "budget:staff_projects",
    # privacy: the register with model and field names (the rights tool is posted to below)
    "privacy:register_staff",
    # opendata: files, the catalogue and feeds; nothing is posted
    "opendata:index",
    "opendata:catalogue_ttl",
    "opendata:catalogue_jsonld",
    "opendata:download",
    "opendata:dialogues_rss",
    "opendata:dialogues_atom",
    "opendata:proposals_rss",
    "opendata:proposals_atom",
    "opendata:decisions_rss",
    "opendata:decisions_atom",
    "opendata:results_rss",
    "opendata:results_atom",
    # retention: the public plan and the run log; edited in the admin
    "retention:plan",
    "retention:runs",
    # operations: the health check and the metrics only answer GET
    "operations:healthz",
    "operations:metrics",
}
# Not posted here, and why.
NOT_POSTED = {
    "set_language": "Django's own view; switching language is all it can do",
    "accounts:logout": "ends the session the other examples need",
    "accounts:verify_email": "its one-time token is tested in accounts' own tests",
    "accounts:password_reset_confirm": "Django's own view behind a signed token",
    "identity:start": "redirects to the e-ID broker; nothing is read from the body",
}


def _walk(patterns: list, namespace: str = "") -> list[str]:
    names = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            inner = entry.namespace or namespace
            names += _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def _media_or_file(name: str) -> bool:
    return name.startswith("open311:") or any(
        part in name
        for part in ("photo", "image", "document", "attachment", "draft_image", "point_document")
    )


def _budget_idea_endpoints() -> dict[str, list[str]]:
    """The ideas' forms on a round taking ideas, on the demo forum's dialogue, with the demo
    citizen's idea, a comment and a merge of it waiting for consent (tests/authz/concrete)."""
    from tests.authz.concrete import budget_ideas_objects
    from torget.accounts.models import User
    from torget.forum.models import Forum

    citizen = User.objects.get(email="medborgare@demo.storeby.example")
    found = budget_ideas_objects(citizen, Forum.objects.order_by("pk").first().dialogue)
    round, idea = found["round"].pk, found["idea"].number
    merge = found["merge"].pk
    return {
        "budget:idea_new": [reverse("budget:idea_new", args=[round])],
        **{
            f"budget:{name}": [reverse(f"budget:{name}", args=[round, idea])]
            for name in ("comment", "interest", "staff_review", "staff_merge")
        },
        "budget:merge_consent": [reverse("budget:merge_consent", args=[round, idea, merge])],
        "budget:staff_merge_consent": [
            reverse("budget:staff_merge_consent", args=[round, idea, merge])
        ],
        "budget:staff_comment_hide": [
            reverse("budget:staff_comment_hide", args=[round, found["comment"].pk])
        ],
    }


def _mapinput_staff_endpoints() -> dict[str, list[str]]:
    """The map's staff forms and every step on a point (and an unknown one)."""
    from torget.mapinput.models import Map, Point

    map_ = Map.objects.order_by("pk").first()
    points = list(Point.objects.filter(map=map_).order_by("status", "pk")[:3])
    return {
        "mapinput:staff_new": [reverse("mapinput:staff_new", args=[map_.dialogue_id])],
        "mapinput:staff_edit": [reverse("mapinput:staff_edit", args=[map_.pk])],
        "mapinput:categories": [reverse("mapinput:categories", args=[map_.pk])],
        "mapinput:point_action": [
            reverse("mapinput:point_action", args=[point.pk, action])
            for point in points
            for action in (
                "godkann",
                "dolj",
                "kommentar-godkann",
                "kommentar-dolj",
                "resultat",
                "felanmalan",
                "x",
            )
        ],
    }


def _budget_result_urls() -> dict[str, list[str]]:
    """The count and the decision of the demo's rounds (an address naming none without)."""
    from torget.budget.models import BudgetRound

    pks = list(BudgetRound.objects.order_by("pk").values_list("pk", flat=True)[:3]) or [999999]
    return {
        name: [reverse(name, args=[pk]) for pk in pks]
        for name in ("budget:staff_count", "budget:staff_decision")
    }


def endpoints() -> dict[str, list[str]]:
    """Concrete URLs for every POST endpoint, from the demo's own objects."""
    from torget.surveys.models import Survey

    sms_survey = Survey.objects.filter(channel="sms").order_by("pk").first()
    from torget.consultations.models import Consultation
    from torget.councils.models import Council, CouncilMeeting
    from torget.dialogues.models import Dialogue
    from torget.evaluation.models import TemplateQuestion
    from torget.feedback.models import Case
    from torget.inspections.models import Action as InspectionAction
    from torget.inspections.models import Finding, FollowUp, GroupContact, Inspection
    from torget.meetings.models import AgendaQuestion, Meeting, Registration
    from torget.notifications.models import Delivery, Subscription
    from torget.notifications.selectors import stop_code
    from torget.proposals.models import Proposal
    from torget.results.models import ResultItem
    from torget.safety.models import CitizensPromise
    from torget.surveys.models import Answer as SurveyAnswer
    from torget.surveys.models import AnswerTag, Survey
    from torget.surveys.models import Option as SurveyOption

    text_answer = SurveyAnswer.objects.filter(text__gt="").order_by("pk").first()
    survey_tag = AnswerTag.objects.order_by("pk").first()
    results_survey = text_answer.response.survey_id if text_answer else 999999
    results_answer = text_answer.pk if text_answer else 999999
    results_tag = survey_tag.pk if survey_tag else 999999
    meeting = Meeting.objects.order_by("pk").first()
    utskott_meeting = Meeting.objects.filter(body__isnull=False).order_by("pk").first()
    question = AgendaQuestion.objects.order_by("pk").first()
    dialogue = Dialogue.objects.order_by("-pk").first()
    proposal = Proposal.objects.order_by("pk").first()
    case = Case.objects.order_by("pk").first()
    item = ResultItem.objects.order_by("pk").first()
    survey_question = TemplateQuestion.objects.order_by("pk").first()
    subscription = Subscription.objects.order_by("pk").first()
    registration = Registration.objects.order_by("pk").first()
    delivery = Delivery.objects.order_by("pk").first()
    council_meeting = CouncilMeeting.objects.order_by("pk").first()
    council = council_meeting.council if council_meeting else Council.objects.first()
    promise = CitizensPromise.objects.order_by("pk").first()
    inspection = Inspection.objects.exclude(status="installd").order_by("pk").first()
    finding = Finding.objects.filter(inspection__status="genomford").order_by("pk").first()
    action = InspectionAction.objects.filter(status="foreslagen").order_by("pk").first()
    follow_up = FollowUp.objects.order_by("pk").first()
    contact = GroupContact.objects.select_related("group").order_by("pk").first()

    published_survey = Survey.objects.filter(status="publicerad").order_by("pk").first()
    answer_survey = published_survey.pk if published_survey else 999999
    consultation = Consultation.objects.filter(status="oppet").order_by("pk").first()
    draft_consultation = Consultation.objects.filter(status="utkast").order_by("pk").first()
    draft_alternative = draft_consultation.alternatives.order_by("pk").first()
    from torget.mapinput.models import Map as DialogueMap
    from torget.mapinput.models import Point as MapPoint

    dialogue_map = DialogueMap.objects.order_by("pk").first()
    map_point = MapPoint.objects.filter(status="publicerad").order_by("pk").first()
    map_point_pk = map_point.pk if map_point else 999999
    from torget.forum.models import Forum as DemoForum
    from torget.forum.models import Post as ForumPost

    forum = DemoForum.objects.order_by("pk").first()
    forum_posts = list(ForumPost.objects.order_by("pk"))
    urls: dict[str, list[str]] = {
        "mapinput:place": [
            reverse("mapinput:place", args=[dialogue_map.dialogue_id, dialogue_map.pk])
        ],
        "mapinput:agree": [reverse("mapinput:agree", args=[map_point_pk])],
        "mapinput:comment": [reverse("mapinput:comment", args=[map_point_pk])],
        "forum:new_thread": [reverse("forum:new_thread", args=[forum.dialogue_id, forum.pk])],
        "forum:reply": sorted({reverse("forum:reply", args=[p.thread_id]) for p in forum_posts}),
        "forum:edit": [reverse("forum:edit", args=[p.pk]) for p in forum_posts],
        "forum:agree": [reverse("forum:agree", args=[p.pk]) for p in forum_posts],
        "consultations:detail": [consultation.get_absolute_url()],
        "consultations:staff_new": [
            reverse("consultations:staff_new", args=[consultation.dialogue_id])
        ],
        "consultations:staff_edit": [
            reverse("consultations:staff_edit", args=[draft_consultation.pk])
        ],
        "consultations:alternative_new": [
            reverse("consultations:alternative_new", args=[draft_consultation.pk])
        ],
        "consultations:alternative_edit": [
            reverse(
                "consultations:alternative_edit",
                args=[draft_consultation.pk, draft_alternative.pk],
            )
        ],
        "consultations:alternative_remove": [
            reverse(
                "consultations:alternative_remove",
                args=[draft_consultation.pk, draft_alternative.pk],
            )
        ],
        "consultations:staff_action": [
            reverse("consultations:staff_action", args=[c.pk, a])
            for c in (draft_consultation, consultation)
            for a in ("godkann", "oppna", "stang", "publicera", "x")
        ],
        **_mapinput_staff_endpoints(),
        # insight: the area report's two actions, on the demo's Utskottsområde Centrum
        "insight:area_report_attach": [
            reverse("insight:area_report_attach", args=["utskottsomrade-centrum"])
        ],
        "insight:area_report_forward": [
            reverse("insight:area_report_forward", args=["utskottsomrade-centrum"])
        ],
        # forum (moderation and staff side): the demo's school yard forum
        **_forum_moderation_urls(),
        # budget (the round): a draft's set-up and approval, a round's steps
        **_budget_round_urls(),
        # budget (ideas): a round taking ideas, built here (the demo has none)
        **_budget_idea_endpoints(),
        # budget (voting): a round open for voting (the demo has none)
        **_budget_voting_urls(),
        # budget (count, result and decision)
        **_budget_result_urls(),
        "safety:survey_import": [reverse("safety:survey_import")],
        "safety:promise_create": [reverse("safety:promise_create")],
        "safety:promise_edit": [reverse("safety:promise_edit", args=[promise.pk])],
        "safety:commitment_add": [reverse("safety:commitment_add", args=[promise.pk])],
        "safety:follow_up": [reverse("safety:follow_up", args=[promise.pk])],
        "inspections:staff_create": [reverse("inspections:staff_create")],
        "inspections:staff_edit": [reverse("inspections:staff_edit", args=[inspection.pk])],
        "inspections:staff_action": [
            reverse("inspections:staff_action", args=[inspection.pk, action])
            for action in (
                "narvaro",
                "genomford",
                "protokoll-klart",
                "publicera",
                "installd",
                "kontakt",
                "inbjudan",
                "andrad-inbjudan",
                "x",
            )
        ],
        "inspections:staff_contact_remove": [
            reverse(
                "inspections:staff_contact_remove",
                args=[contact.group.inspection_id, contact.pk],
            )
        ],
        "inspections:staff_finding_create": [
            reverse("inspections:staff_finding_create", args=[finding.inspection_id])
        ],
        "inspections:staff_action_step": [
            reverse("inspections:staff_action_step", args=[action.finding.inspection_id, action.pk])
        ],
        "inspections:staff_follow_up": [
            reverse(
                "inspections:staff_follow_up", args=[follow_up.inspection_id, follow_up.action_id]
            )
        ],
        "inspections:staff_finding_edit": [
            reverse("inspections:staff_finding_edit", args=[finding.inspection_id, finding.pk])
        ],
        "inspections:staff_cause_edit": [
            reverse("inspections:staff_cause_edit", args=[finding.inspection_id, cause.pk])
            for cause in finding.causes.order_by("pk")[:1]
        ],
        "inspections:staff_action_edit": [
            reverse("inspections:staff_action_edit", args=[finding.inspection_id, a.pk])
            for a in finding.actions.order_by("pk")[:1]
        ],
        "inspections:staff_finding_action": [
            reverse("inspections:staff_finding_action", args=[finding.inspection_id, finding.pk, a])
            for a in ("foto", "problem", "orsak", "atgard", "felanmalan", "x")
        ],
        "councils:staff_create": [reverse("councils:staff_create")],
        "councils:staff_edit": [reverse("councils:staff_edit", args=[council.pk])],
        "councils:staff_member": [
            reverse("councils:staff_member", args=[council.pk, council.members.first().pk])
        ],
        "councils:staff_meeting_plan": [reverse("councils:staff_meeting_plan", args=[council.pk])],
        "councils:staff_action": [
            reverse("councils:staff_action", args=[council.pk, action])
            for action in ("ledamot", "ordforande", "stod", "deltagande", "avsluta", "x")
        ],
        "councils:staff_meeting_action": [
            reverse("councils:staff_meeting_action", args=[council.pk, council_meeting.pk, a])
            for a in ("sekreterare", "narvaro", "x")
        ]
        if council_meeting
        else [],
        "accounts:signup": [reverse("accounts:signup")],
        "accounts:resend_verification": [reverse("accounts:resend_verification")],
        "accounts:login": [reverse("accounts:login")],
        "accounts:password_reset": [reverse("accounts:password_reset")],
        "accounts:profile_edit": [reverse("accounts:profile_edit")],
        "accounts:password_change": [reverse("accounts:password_change")],
        "accounts:account_close": [reverse("accounts:account_close")],
        "accounts:two_factor_setup": [reverse("accounts:two_factor_setup")],
        "accounts:two_factor_verify": [reverse("accounts:two_factor_verify")],
        "accounts:reauthenticate": [reverse("accounts:reauthenticate")],
        "notifications:follow": [reverse("notifications:follow", args=["omrade", 1])],
        "notifications:confirm": [reverse("notifications:confirm", args=["x" * 20])],
        "notifications:manage": [reverse("notifications:manage", args=["x" * 20])],
        "notifications:unsubscribe": [reverse("notifications:unsubscribe", args=["x" * 20])],
        "notifications:phone_code": [reverse("notifications:phone_code", args=["x" * 20])],
        "notifications:stop": [reverse("notifications:stop", args=["1-" + "x" * 10])],
        "notifications:retry": [
            reverse("notifications:retry", args=[delivery.pk if delivery else 1])
        ],
        "identity:demo": [reverse("identity:demo")],
        "identity:resident_register": [reverse("identity:resident_register")],
        "geo:population": [reverse("geo:population")],
        "privacy:rights": [reverse("privacy:rights")],
        "privacy:rights_export": [reverse("privacy:rights_export")],
        "privacy:rights_erase": [reverse("privacy:rights_erase")],
        "feedback:opinion_create": [reverse("feedback:opinion_create", args=["fraga"])],
        "feedback:fault_create": [reverse("feedback:fault_create")],
        "feedback:follow": [reverse("feedback:follow", args=[case.token])],
        "feedback:staff_register": [reverse("feedback:staff_register")],
        "feedback:staff_act": [
            reverse("feedback:staff_act", args=[case.pk, action])
            for action in ("reply", "status", "assign", "note", "merge", "photo_hide")
        ],
        "dialogues:request": [reverse("dialogues:request")],
        "dialogues:staff_initiate": [reverse("dialogues:staff_initiate")],
        "dialogues:staff_edit": [reverse("dialogues:staff_edit", args=[dialogue.pk])],
        "dialogues:staff_step": [reverse("dialogues:staff_step", args=[dialogue.pk, "x"])],
        "dialogues:staff_plan": [reverse("dialogues:staff_plan", args=[dialogue.pk, "x"])],
        "meetings:register": [reverse("meetings:register", args=[meeting.pk])],
        "meetings:question": [reverse("meetings:question", args=[meeting.pk])],
        "meetings:registration": [reverse("meetings:registration", args=[registration.token])],
        "meetings:staff_create_for_dialogue": [
            reverse("meetings:staff_create_for_dialogue", args=[dialogue.pk])
        ],
        "meetings:staff_create_for_body": [reverse("meetings:staff_create_for_body", args=[1])],
        "meetings:staff_edit": [reverse("meetings:staff_edit", args=[meeting.pk])],
        "meetings:staff_agenda": [
            reverse("meetings:staff_agenda", args=[meeting.pk, action])
            for action in ("add", "remove", "up", "down", "publish")
        ],
        "meetings:staff_moderate": [
            reverse("meetings:staff_moderate", args=[question.meeting_id, question.pk, verdict])
            for verdict in ("godkann", "avvisa")
        ]
        if question
        else [],
        "meetings:staff_cancel": [reverse("meetings:staff_cancel", args=[meeting.pk])],
        "meetings:staff_forward": [
            reverse("meetings:staff_forward", args=[(utskott_meeting or meeting).pk])
        ],
        "meetings:staff_mark_held": [reverse("meetings:staff_mark_held", args=[meeting.pk])],
        "meetings:staff_documentation": [
            reverse("meetings:staff_documentation", args=[meeting.pk])
        ],
        "meetings:staff_documentation_action": [
            reverse("meetings:staff_documentation_action", args=[meeting.pk, action])
            for action in (
                "spara",
                "bilaga",
                "foto",
                "aterkoppling",
                "ta-bort-bilaga",
                "ta-bort-foto",
                "godkann",
            )
        ],
        "proposals:create": [reverse("proposals:create")],
        "proposals:support": [reverse("proposals:support", args=[proposal.pk])],
        "proposals:withdraw": [reverse("proposals:withdraw", args=[proposal.pk])],
        "proposals:staff_register": [reverse("proposals:staff_register")],
        "proposals:staff_register_meeting": [reverse("proposals:staff_register_meeting")],
        "proposals:staff_step": [reverse("proposals:staff_step", args=[proposal.pk, "x"])],
        "proposals:staff_support": [reverse("proposals:staff_support", args=[proposal.pk])],
        "results:item_new": [reverse("results:item_new", args=[dialogue.pk])],
        "results:item_action": [
            reverse("results:item_action", args=[item.pk, "x"]) if item else "/"
        ],
        "results:summary_publish": [reverse("results:summary_publish", args=[dialogue.pk])],
        "results:decision_proposal_publish": [
            reverse("results:decision_proposal_publish", args=[dialogue.pk])
        ],
        "results:decision_proposal_skip": [
            reverse("results:decision_proposal_skip", args=[dialogue.pk])
        ],
        "results:summary_correct": [reverse("results:summary_correct", args=[dialogue.pk])],
        "results:decision_proposal_correct": [
            reverse("results:decision_proposal_correct", args=[dialogue.pk])
        ],
        "evaluation:answer": [reverse("evaluation:answer", args=["x" * 20])],
        "evaluation:send": [reverse("evaluation:send", args=[dialogue.pk])],
        "evaluation:internal": [reverse("evaluation:internal", args=[dialogue.pk])],
        "evaluation:template": [reverse("evaluation:template")],
        "evaluation:question_add": [reverse("evaluation:question_add")],
        "evaluation:question_edit": [
            reverse("evaluation:question_edit", args=[survey_question.pk])
        ],
        "evaluation:question_remove": [
            reverse("evaluation:question_remove", args=[survey_question.pk])
        ],
        "evaluation:question_move": [
            reverse("evaluation:question_move", args=[survey_question.pk])
        ],
        # surveys (answer)
        "surveys:answer_start": [reverse("surveys:answer_start", args=[answer_survey])],
        "surveys:answer_page": [
            reverse("surveys:answer_page", args=[answer_survey, "x" * 32, page])
            for page in (1, 2, 99)
        ],
        "surveys:answer_confirm": [
            reverse("surveys:answer_confirm", args=[answer_survey, "x" * 32])
        ],
        "surveys:answer_send_link": [
            reverse("surveys:answer_send_link", args=[answer_survey, "x" * 32])
        ],
        "surveys:answer_receipt": [
            reverse("surveys:answer_receipt", args=[answer_survey, "XXXX-XXXX"])
        ],
        "surveys:answer_paper": [reverse("surveys:answer_paper", args=[answer_survey])],
        # surveys (build): on the demo's draft; moves only, nothing removed.
        **_survey_builder_urls(Survey, SurveyOption),
        # budget (implementation): a progress report on each funded project of the demo's
        # decided round, and on an idea that got no money.
        **_budget_progress_urls(),
        # The survey results' writes (on a survey of the demo, or one that does not exist).
        "surveys:results_answer_tag": [
            reverse("surveys:results_answer_tag", args=[results_survey, results_answer])
        ],
        "surveys:results_answer_untag": [
            reverse(
                "surveys:results_answer_untag", args=[results_survey, results_answer, results_tag]
            )
        ],
        "surveys:results_tag_item": [
            reverse("surveys:results_tag_item", args=[results_survey, results_tag])
        ],
        "surveys:results_summary": [reverse("surveys:results_summary", args=[results_survey])],
        # surveys: sms (the gateway's webhook with a secret that is not the configured one)
        "surveys:sms_send": [reverse("surveys:sms_send", args=[sms_survey.pk])],
        "surveys:sms_remind": [reverse("surveys:sms_remind", args=[sms_survey.pk])],
        "surveys:sms_inbound": [reverse("surveys:sms_inbound", args=["x" * 20])],
    }
    if subscription:
        for name in (
            "notifications:confirm",
            "notifications:manage",
            "notifications:unsubscribe",
            "notifications:phone_code",
        ):
            urls[name].append(reverse(name, args=[subscription.token]))
        urls["notifications:stop"].append(
            reverse("notifications:stop", args=[stop_code(subscription)])
        )
    waiting = Subscription.objects.filter(by_sms=True, phone_confirmed_at__isnull=True).first()
    if waiting:
        urls["notifications:phone_code"].append(
            reverse("notifications:phone_code", args=[waiting.token])
        )
    return urls


def _budget_voting_urls() -> dict[str, list[str]]:
    """The ballot, its confirmation and the assisted vote, on a round open for voting built
    with the budget's test factories (rolled back with the test)."""
    from torget.budget.models import Phase as BudgetPhase
    from torget.budget.tests.factories import budget_round, project

    round = budget_round(phase=BudgetPhase.VOTING)
    project(round, 100_000)
    return {
        name: [reverse(name, args=[round.pk])]
        for name in ("budget:ballot", "budget:ballot_confirm", "budget:staff_assisted")
    }


def _forum_moderation_urls() -> dict[str, list[str]]:
    from torget.forum.models import Forum, Post

    forum = Forum.objects.order_by("pk").first()
    posts = list(Post.objects.filter(thread__forum=forum).order_by("pk")[:3])
    post_actions = (
        "dolj",
        "godkann",
        "behall",
        "etikett",
        "etikett-bort",
        "citat",
        "citat-bort",
        "resultat",
        "trad-resultat",
        "avstang",
        "x",
    )
    return {
        "forum:flag": [reverse("forum:flag", args=[post.pk]) for post in posts],
        "forum:staff_new": [reverse("forum:staff_new", args=[forum.dialogue_id])],
        "forum:staff_edit": [reverse("forum:staff_edit", args=[forum.pk])],
        "forum:summary": [reverse("forum:summary", args=[forum.pk])],
        "forum:post_action": [
            reverse("forum:post_action", args=[post.pk, action])
            for post in posts
            for action in post_actions
        ],
        "forum:bans": [reverse("forum:bans")],
    }


def _budget_round_urls() -> dict[str, list[str]]:
    from tests.authz.concrete import demo_budget_round

    taking_ideas = demo_budget_round("ideer")
    draft = demo_budget_round("utkast")
    steps = ("approve", "open_ideas", "start_review", "open_voting", "close_voting", "finish", "x")
    return {
        "budget:staff_new": [
            reverse("budget:staff_new") + f"?dialog={taking_ideas.dialogue_id}",
            reverse("budget:staff_new") + "?dialog=x",
        ],
        "budget:staff_edit": [reverse("budget:staff_edit", args=[draft.pk])],
        "budget:staff_approve": [reverse("budget:staff_approve", args=[draft.pk])],
        "budget:staff_step": [
            reverse("budget:staff_step", args=[r.pk, step])
            for r in (taking_ideas, draft)
            for step in steps
        ],
    }


def _budget_progress_urls() -> dict[str, list[str]]:
    from torget.budget.demo import ROUND_DONE
    from torget.budget.models import BudgetRound

    round = BudgetRound.objects.get(title=ROUND_DONE)
    numbers = round.ideas.order_by("-funded", "number").values_list("number", flat=True)
    return {
        "budget:staff_project": [
            reverse("budget:staff_project", args=[round.pk, number]) for number in numbers
        ]
    }


def _survey_builder_urls(survey_model: Any, option_model: Any) -> dict[str, list[str]]:
    survey = survey_model.objects.filter(status="utkast").order_by("pk").first()
    option = option_model.objects.filter(question__survey=survey).order_by("pk").first()
    pk, question, section = survey.pk, option.question_id, option.question.section_id
    return {
        "surveys:staff_create": [reverse("surveys:staff_create", args=[survey.dialogue_id])],
        "surveys:staff_copy": [reverse("surveys:staff_copy", args=[survey.dialogue_id])],
        "surveys:staff_edit": [reverse("surveys:staff_edit", args=[pk])],
        "surveys:staff_section_add": [reverse("surveys:staff_section_add", args=[pk])],
        "surveys:staff_section_edit": [reverse("surveys:staff_section_edit", args=[pk, section])],
        "surveys:staff_section_action": [
            reverse("surveys:staff_section_action", args=[pk, section, "ned"])
        ],
        "surveys:staff_question_add": [
            reverse("surveys:staff_question_add", args=[pk, section]) + "?typ=ett-val"
        ],
        "surveys:staff_question": [reverse("surveys:staff_question", args=[pk, question])],
        "surveys:staff_question_action": [
            reverse("surveys:staff_question_action", args=[pk, question, "alternativ"])
        ],
        "surveys:staff_option": [reverse("surveys:staff_option", args=[pk, option.pk])],
        "surveys:staff_option_action": [
            reverse("surveys:staff_option_action", args=[pk, option.pk, "ned"])
        ],
        "surveys:staff_action": [reverse("surveys:staff_action", args=[pk, "publicera"])],
    }


def test_every_url_pattern_is_posted_to_or_named_with_a_reason(demo_site):
    posted = set(endpoints())
    left = [
        name
        for name in _walk(get_resolver().url_patterns)
        if name not in posted
        and name not in GET_ONLY
        and name not in NOT_POSTED
        and not _media_or_file(name)
    ]
    assert left == [], "POST endpoints that no fuzz test sends anything to"


ROLES = {
    "anonym": None,
    "medborgare": "medborgare@demo.storeby.example",
    "administrator": "admin@demo.storeby.example",
}
bodies = st.dictionaries(
    st.sampled_from(FIELD_NAMES),
    st.one_of(hostile, st.lists(hostile, max_size=3)),
    max_size=6,
)


@pytest.mark.parametrize("role", ROLES)
def test_no_post_to_any_endpoint_gives_a_server_error(demo_site, role):
    from torget.accounts.models import User

    user = User.objects.get(email=ROLES[role]) if ROLES[role] else None
    failures = []
    for name, urls in endpoints().items():
        for url in urls:
            Tally.forms += 1
            try:
                _fuzz_endpoint(url, user)
            except Exception as error:  # noqa: BLE001 — all endpoints' failures together
                Tally.failures += 1
                failures.append(f"POST {url} ({name}): {str(error)[:400]}")
    assert not failures, "\n\n".join(failures)


def _fuzz_endpoint(url: str, user: Any) -> None:
    @settings(
        max_examples=max(EXAMPLES // 2, 3),
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(body=bodies)
    def run(body: dict[str, Any]) -> None:
        Tally.cases += 1
        with rolled_back():
            client = Client()
            if user:
                client.force_login(user)
            with saved_instances() as saved:
                response = client.post(url, body)
            assert response.status_code < 500, f"{response.status_code} for {body!r:.200}"
            bad = [p for row in saved.stored() for p in problems(row)]
            assert not bad, f"stored invalid input {bad} from {body!r:.200}"

    run()
