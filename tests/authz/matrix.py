"""The authorisation matrix: what every URL of Torget answers each role, declared once.

Rows are URL pattern names (with `[variant]` where one pattern is asked for two objects);
a row says what a GET answers each role. The groups below are named after the permission or
rule that the view checks, so a row reads as the rule it enforces. test_matrix.py fails for
any pattern of the URL conf without a row here.

Outcomes:
    OK        200
    LOGIN     302 to the log-in page (not signed in)
    DENIED    403
    MISSING   404 (an object the role may not know of, or one that does not exist)
    POST_ONLY 405 (the address only takes a POST; that POST is checked in ACTORS)
    ELSEWHERE 302 somewhere else, by design (signed in already, the language switch …)
    BAD       400 (a one-time link whose token names nothing)
"""

from __future__ import annotations

OK, LOGIN, DENIED, MISSING, POST_ONLY, ELSEWHERE, BAD = (
    "200",
    "login",
    "403",
    "404",
    "405",
    "302",
    "400",
)

ANON = "anonym"
CITIZEN = "medborgare"  # the demo citizen, who owns the draft proposal and the subscription
OTHER = "annan medborgare"  # a second citizen, created by the test
OFFICIAL = "tjansteperson"
ELECTED = "fortroendevald"  # chairs Utskott Centrum
CONTACT = "kontaktcenter"
SAFETY = "trygghet"  # covers Utskottsområde Centrum, Norr och väster, Söder
COORDINATOR = "koordinator"  # the utskott coordinator at the kommunkansli
ADMIN = "admin"

ROLES = (ANON, CITIZEN, OTHER, OFFICIAL, ELECTED, CONTACT, SAFETY, COORDINATOR, ADMIN)
SIGNED_IN = ROLES[1:]
STAFF = (OFFICIAL, ELECTED, CONTACT, SAFETY, COORDINATOR, ADMIN)

# Who holds which permission or passes which rule in the demo (torget/*/apps.py
# role_permissions and torget/*/permissions.py).
HANDLE_CASES = (OFFICIAL, CONTACT, ADMIN)  # feedback.handle_case
CASE_STATISTICS = (OFFICIAL, ELECTED, CONTACT, SAFETY, ADMIN)  # feedback.view_feedback_statistics
VIEW_DELIVERIES = (OFFICIAL, CONTACT, SAFETY, COORDINATOR, ADMIN)  # notifications.view_delivery
RETRY_DELIVERIES = (CONTACT, ADMIN)  # notifications.retry_delivery
VIEW_DIALOGUES = (OFFICIAL, ELECTED, CONTACT, SAFETY, COORDINATOR, ADMIN)  # dialogues.view_dialogue
MANAGE_DIALOGUES = (OFFICIAL, ADMIN)  # dialogues.manage_dialogue
# dialogues.selectors.can_work_with: the dialogue's officials, its body's presidium, admins.
WORK_WITH_DIALOGUE = (OFFICIAL, ELECTED, ADMIN)
# meetings.services.can_plan: a dialogue's meetings by those who work with the dialogue
# (dialogue managers, the presidium, admins) ...
PLAN_MEETINGS = (OFFICIAL, ELECTED, ADMIN)
# ... and an utskott's (Utskott Centrum's in the demo) also by the utskott coordinator
# (meetings.prepare_utskott_meetings) and the safety coordinator of its area.
PLAN_UTSKOTT_MEETINGS = (OFFICIAL, ELECTED, SAFETY, COORDINATOR, ADMIN)
VIEW_PROPOSALS = (OFFICIAL, ELECTED, CONTACT, ADMIN)  # proposals.view_proposal
# proposals.permissions.is_proposal_staff: moderates, registers steps or on behalf.
PROPOSAL_STAFF = (OFFICIAL, CONTACT, ADMIN)
REGISTER_ON_BEHALF = (OFFICIAL, CONTACT, ADMIN)  # proposals.register_on_behalf
REGISTER_STEPS = (OFFICIAL, ADMIN)  # proposals.register_proposal_step
# results.permissions.can_view_item: workers, staff pages, the named politician, members.
VIEW_RESULTS = (OFFICIAL, ELECTED, CONTACT, SAFETY, COORDINATOR, ADMIN)
ADMINS = (ADMIN,)
# councils.permissions.edits_councils: the safety coordinators and the administrators.
EDIT_COUNCILS = (SAFETY, ADMIN)
# councils.permissions.reads_council on Trygghetsrådet Innerstaden: the editors and the
# utskott of its area (the elected official chairs Utskott Centrum).
READ_COUNCIL = (ELECTED, SAFETY, ADMIN)
# councils.permissions.reads_any_council: also the official, support to the advisory councils.
READ_COUNCILS = (OFFICIAL, ELECTED, SAFETY, ADMIN)
# safety.permissions.edits_safety: the safety coordinators and the administrators import the
# survey results and keep the citizens' promise; the rest of the staff is refused.
EDIT_SAFETY = (SAFETY, ADMIN)
# inspections.permissions.reads_inspection: the council's readers and the utskott coordinator,
# through whom the protocols go to the utskott.
READ_INSPECTION = (ELECTED, SAFETY, COORDINATOR, ADMIN)
# budget.permissions.can_assist: budget.vote_assisted (the contact centre and officials) or
# working with the round's dialogue.
ASSIST_VOTES = (OFFICIAL, CONTACT, ADMIN)
# insight.forward_area_report: the utskott coordinator (meetings.prepare_utskott_meetings) and
# the administrators attach an area report to an utskott meeting and send it on to KF.
FORWARD_AREA_REPORTS = (COORDINATOR, ADMIN)

Row = dict[str, str]


def everyone(outcome: str = OK) -> Row:
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome: str = OK, anonymous: str = LOGIN) -> Row:
    """Any account: a visitor is sent to log in."""
    return {ANON: anonymous} | dict.fromkeys(SIGNED_IN, outcome)


def hidden(allowed: tuple[str, ...]) -> Row:
    """Files and pages of something not public (yet): the roles named get it, for everyone
    else it does not exist (404), so nobody learns what is waiting to be published."""
    return {role: OK if role in allowed else MISSING for role in ROLES}


def only(allowed: tuple[str, ...], refused: str = DENIED, anonymous: str = LOGIN) -> Row:
    """Staff pages: the roles named answer 200, other accounts `refused`, visitors log in."""
    return {
        role: OK if role in allowed else anonymous if role == ANON else refused for role in ROLES
    }


def post_only(anonymous: str = LOGIN) -> Row:
    """A GET to an address that only takes a POST."""
    return {ANON: anonymous} | dict.fromkeys(SIGNED_IN, POST_ONLY)


# The API's datasets (torget.api.registry): a list and a detail pattern each.
API_DATASETS = (
    "besiktningar",
    "dialoger",
    "felanmalningar",
    "forslag",
    "medborgarbudget",
    "medborgarbudget-projekt",
    "moten",
    "omraden",
    "rad",
    "resultat",
)

# A GET to every pattern of the URL conf, as each role.
EXPECTED: dict[str, Row] = {
    # The language switch sends everyone back where they came from.
    "set_language": everyone(ELSEWHERE),
    # -- accounts
    # Sign-up and log-in send someone already signed in on to the site.
    "accounts:signup": {ANON: OK} | dict.fromkeys(SIGNED_IN, ELSEWHERE),
    "accounts:signup_done": everyone(),
    "accounts:verify_email": everyone(BAD),
    "accounts:resend_verification": post_only(),
    "accounts:login": {ANON: OK} | dict.fromkeys(SIGNED_IN, ELSEWHERE),
    "accounts:logout": everyone(POST_ONLY),
    "accounts:password_reset": everyone(),
    "accounts:password_reset_done": everyone(),
    "accounts:password_reset_confirm": everyone(),  # says the link is invalid
    "accounts:password_reset_complete": everyone(),
    "accounts:account_closed": everyone(),
    "accounts:my_pages": signed_in(),
    "accounts:profile_edit": signed_in(),
    "accounts:password_change": signed_in(),
    "accounts:data_export": signed_in(),
    "accounts:account_close": signed_in(),
    # Two-factor set-up and the "confirm your password" step: any account (two-factor is
    # required of staff where STAFF_REQUIRE_2FA is on); the code step without an app set up
    # sends on to the set-up.
    "accounts:two_factor_setup": signed_in(),
    "accounts:two_factor_verify": signed_in(ELSEWHERE),
    "accounts:two_factor_recovery_codes": signed_in(),
    "accounts:reauthenticate": signed_in(),
    # The admin's log-in is the site's own (the same lock-out and two-factor step).
    "admin_login": everyone(LOGIN),
    # -- core
    "core:home": everyone(),
    "core:about": everyone(),
    "core:privacy": everyone(),
    "core:accessibility": everyone(),
    "core:backoffice": only(STAFF),
    "core:safety": everyone(),
    # The public media folders (the logo) by address; a file that does not exist is a 404,
    # and no other folder under MEDIA_ROOT is reachable this way.
    "public_media[missing]": everyone(MISSING),
    "public_media[private]": everyone(MISSING),
    # -- organisation, geo
    "organisation:overview": everyone(),
    "organisation:body_detail": everyone(),
    "geo:area_list": everyone(),
    "geo:areas_geojson": everyone(),
    "core:area_detail": everyone(),
    "geo:area_geojson": everyone(),
    # The population figures that surveys and consultations are compared with.
    "geo:population": only(ADMINS),
    # -- notifications: the token in a subscription's link is the key to it, whoever holds it.
    "notifications:follow": everyone(),
    "notifications:confirm": everyone(),
    "notifications:manage": everyone(),
    "notifications:unsubscribe": everyone(),
    # The code page of a number that is confirmed sends on to the subscription; of one that
    # waits for its code, it asks for the code.
    "notifications:phone_code": everyone(ELSEWHERE),
    "notifications:phone_code[waiting]": everyone(),
    # The short link at the end of an SMS: its code ends the subscription, and opens nothing else.
    "notifications:stop": everyone(),
    "notifications:my_subscriptions": signed_in(),
    "notifications:outbox": only(VIEW_DELIVERIES),
    "notifications:retry": post_only(),
    # -- identity
    "identity:choose": everyone(ELSEWHERE),  # one method only in the demo: straight to it
    "identity:demo": everyone(),
    "identity:oidc_callback": everyone(MISSING),  # no OIDC broker configured in tests
    "identity:start": everyone(),
    "identity:resident_register": only(ADMINS),
    # -- feedback: a case's private link (/arende/<token>/) is the key to it, whoever holds it.
    "feedback:start": everyone(),
    "feedback:opinion_create": everyone(),
    "feedback:fault_create": everyone(),
    "feedback:fault_map": everyone(),
    "feedback:fault_geojson": everyone(),
    "feedback:public_detail": everyone(),
    # A case that is not public (an opinion, or a fault report kept private) is not on the
    # public page or in the API, for anyone: staff read it on their own pages.
    "feedback:public_detail[private]": everyone(MISSING),
    # Photos of a public fault report (the matrix adds one shown and one that staff hid):
    # a hidden photo only by the reporter's link and on the staff pages.
    "feedback:public_photo": everyone(),
    "feedback:public_photo[hidden]": everyone(MISSING),
    "feedback:follow": everyone(),
    "feedback:follow[private]": everyone(),
    "feedback:follow_photo": everyone(),
    "feedback:receipt": everyone(),
    "feedback:statistics": everyone(),
    "feedback:staff_inbox": only(HANDLE_CASES),
    "feedback:staff_register": only(HANDLE_CASES),
    "feedback:staff_detail": only(HANDLE_CASES),
    "feedback:staff_act": post_only(),
    "feedback:staff_photo": only(HANDLE_CASES, anonymous=DENIED),
    "feedback:staff_statistics": only(CASE_STATISTICS),
    # The cases in the areas one covers, to read: organisation.coordinate_safety_in_area.
    "feedback:staff_area_cases": only((SAFETY, ADMIN)),
    "feedback:staff_statistics_csv": only(CASE_STATISTICS),
    "feedback:open311:root": everyone(),
    "feedback:open311:discovery": everyone(),
    "feedback:open311:services": everyone(),
    "feedback:open311:service": everyone(),
    "feedback:open311:requests": everyone(),
    "feedback:open311:request": everyone(),
    "feedback:open311:request[private]": everyone(MISSING),
    "feedback:open311:token": everyone(MISSING),
    # -- dialogues
    "dialogues:list": everyone(),
    "dialogues:request": everyone(),
    "dialogues:request_thanks": everyone(),
    "dialogues:year_wheel": everyone(),
    "dialogues:detail": everyone(),
    "dialogues:calendar": everyone(),
    "dialogues:ical": everyone(),
    # -- insight (representativeness): a public dialogue's and the overall page are public (only
    # suppressed figures); the staff page with the plan's efforts follows the staff detail page.
    "insight:representation_dialogue": everyone(),
    "insight:representation_overall": everyone(),
    "insight:representation_dialogue_staff": only(VIEW_DIALOGUES),
    "dialogues:staff_index": only(VIEW_DIALOGUES),
    "dialogues:staff_initiate": only(MANAGE_DIALOGUES),
    "dialogues:annual_plans": only(VIEW_DIALOGUES),
    "dialogues:staff_detail": only(VIEW_DIALOGUES),
    "dialogues:staff_edit": only(WORK_WITH_DIALOGUE),
    "dialogues:staff_step": post_only(),
    "dialogues:staff_plan": post_only(),
    # -- meetings: a registration's link is the key to it, whoever holds it.
    "meetings:detail": everyone(),
    "meetings:register": everyone(POST_ONLY),
    "meetings:question": everyone(POST_ONLY),
    # A meeting's documents and photos: public once its documentation is approved; before
    # that only for those who plan the meeting (to check them before approving).
    "meetings:attachment": everyone(),
    "meetings:attachment[not approved]": hidden(PLAN_MEETINGS),
    "meetings:attachment[missing]": everyone(MISSING),
    "meetings:photo": everyone(),
    "meetings:photo[not approved]": hidden(PLAN_MEETINGS),
    "meetings:registration": everyone(),
    "meetings:staff_index": only(PLAN_UTSKOTT_MEETINGS),
    "meetings:staff_create_for_dialogue": only(PLAN_MEETINGS),
    "meetings:staff_create_for_body": only(PLAN_UTSKOTT_MEETINGS),
    "meetings:staff_detail": only(PLAN_MEETINGS),
    "meetings:staff_detail[utskott]": only(PLAN_UTSKOTT_MEETINGS),
    "meetings:staff_edit": only(PLAN_MEETINGS),
    "meetings:staff_edit[utskott]": only(PLAN_UTSKOTT_MEETINGS),
    "meetings:staff_agenda": post_only(),
    "meetings:staff_moderate": post_only(),
    "meetings:staff_registrations": only(PLAN_MEETINGS),
    "meetings:staff_cancel": only(PLAN_MEETINGS),  # asks to confirm
    # Documents forwarded to an utskott (the demo has none): its members and those who
    # prepare its meetings, after logging in.
    "meetings:staff_forward": only(PLAN_UTSKOTT_MEETINGS),
    "meetings:staff_forwarded_document": signed_in(MISSING),
    "meetings:staff_mark_held": post_only(),
    "meetings:staff_documentation": only(PLAN_MEETINGS),
    "meetings:staff_documentation_action": post_only(),
    # -- councils
    "councils:list": everyone(),
    "councils:detail": everyone(),
    "councils:staff_index": only(READ_COUNCILS),
    "councils:staff_create": only(EDIT_COUNCILS),
    "councils:staff_detail": only(READ_COUNCIL),
    "councils:staff_edit": only(EDIT_COUNCILS),
    "councils:staff_member": only(EDIT_COUNCILS),
    "councils:staff_meeting_plan": only(EDIT_COUNCILS),
    "councils:staff_meeting": only(READ_COUNCIL),
    "councils:staff_meeting_action": post_only(),
    "councils:staff_action": post_only(),
    # -- safety (surveys and the citizens' promise; /trygghet/ itself is core:safety)
    "safety:promise": everyone(),
    "safety:current_promise": everyone(),
    "safety:staff_index": only(EDIT_SAFETY),
    "safety:survey_import": only(EDIT_SAFETY),
    "safety:promise_create": only(EDIT_SAFETY),
    "safety:staff_promise": only(EDIT_SAFETY),
    "safety:promise_edit": only(EDIT_SAFETY),
    "safety:commitment_add": post_only(),
    "safety:follow_up": post_only(),
    # -- inspections: planned and edited by the councils' editors; an inspection is read by
    # those who read its council (Trygghetsrådet Innerstaden's, in Utskott Centrum's area) and
    # the utskott coordinator.
    "inspections:staff_plan": only(EDIT_COUNCILS),
    "inspections:staff_create": only(EDIT_COUNCILS),
    "inspections:staff_detail": only(READ_INSPECTION),
    "inspections:staff_edit": only(EDIT_COUNCILS),
    "inspections:staff_action": post_only(),
    "inspections:staff_finding_create": only(EDIT_COUNCILS),
    "inspections:staff_finding": only(READ_INSPECTION),
    "inspections:staff_finding_action": post_only(),
    "inspections:staff_photo": only(READ_INSPECTION),
    "inspections:staff_action_step": post_only(),
    "inspections:staff_finding_edit": only(EDIT_COUNCILS),
    "inspections:staff_cause_edit": only(EDIT_COUNCILS),
    "inspections:staff_action_edit": only(EDIT_COUNCILS),
    "inspections:staff_protocol": only(READ_INSPECTION),
    "inspections:staff_protocol_pdf": only(READ_INSPECTION),
    # The public sees published protocols (the public version) and the photos approved for
    # them, nothing else.
    "inspections:public_protocol": everyone(),
    "inspections:public_protocol[unpublished]": everyone(MISSING),
    "inspections:public_protocol_pdf": everyone(),
    "inspections:public_protocol_pdf[unpublished]": everyone(MISSING),
    "inspections:public_photo": everyone(),
    "inspections:public_photo[not approved]": everyone(MISSING),
    "inspections:staff_follow_up": post_only(),
    "inspections:staff_contact_remove": post_only(),
    # -- proposals
    "proposals:list": everyone(),
    "proposals:create": signed_in(),
    "proposals:from_meetings": everyone(),
    "proposals:detail": everyone(),
    # A proposal not yet published: its author and the staff who handle proposals; anyone
    # else is told there is no such proposal.
    "proposals:detail[draft]": only((CITIZEN, *PROPOSAL_STAFF), refused=MISSING, anonymous=MISSING),
    "proposals:support": everyone(),  # says what supporting takes, and asks to confirm
    "proposals:withdraw": everyone(),
    "proposals:mine": signed_in(),
    "proposals:draft_image": signed_in(MISSING),  # the visitor has no draft image
    # A proposal's files: public with the proposal; a draft's only for its author and staff.
    "proposals:image": everyone(),
    "proposals:image[draft]": hidden((CITIZEN, *VIEW_PROPOSALS)),
    "proposals:image[missing]": everyone(MISSING),
    "proposals:decision_document": everyone(),
    "proposals:decision_document[draft]": hidden((CITIZEN, *VIEW_PROPOSALS)),
    "proposals:event_document": everyone(),
    "proposals:event_document[draft]": hidden((CITIZEN, *VIEW_PROPOSALS)),
    "proposals:staff_index": only(VIEW_PROPOSALS),
    "proposals:staff_export": only(VIEW_PROPOSALS),
    "proposals:staff_register": only(REGISTER_ON_BEHALF),
    "proposals:staff_register_meeting": only(REGISTER_STEPS),
    "proposals:staff_detail": only(VIEW_PROPOSALS),
    "proposals:staff_detail[draft]": only(VIEW_PROPOSALS),
    "proposals:staff_step": post_only(),
    "proposals:staff_support": only(REGISTER_ON_BEHALF),
    # Supporters' names are personal data: proposals.view_supporters, administrators only.
    "proposals:staff_supporters": only(ADMINS),
    # -- results
    # A feedback point's document: public with the dialogue; before that only for those who
    # work with the dialogue.
    "results:point_document": everyone(),
    # (The initiative the matrix uses belongs to a body whose presidium the demo's elected
    # official is not in, so the official who prepares it and administrators get it.)
    "results:point_document[draft]": hidden((OFFICIAL, ADMIN)),
    "results:point_document[missing]": everyone(MISSING),
    "results:item": only(VIEW_RESULTS),
    "results:item_action": post_only(),
    "results:item_new": only(WORK_WITH_DIALOGUE),
    "results:summary_publish": only(WORK_WITH_DIALOGUE),
    "results:decision_proposal_publish": only(WORK_WITH_DIALOGUE),
    "results:decision_proposal_skip": only(WORK_WITH_DIALOGUE),
    # Corrections of what was published (the demo's dialogue that has reached its decision).
    "results:summary_correct": only(WORK_WITH_DIALOGUE),
    "results:decision_proposal_correct": only(WORK_WITH_DIALOGUE),
    # An utskott's items: its members, staff who work with dialogues, and those who prepare
    # its meetings.
    "results:utskott": only(PLAN_UTSKOTT_MEETINGS),
    # -- consultations: the public page once the politicians have approved the alternatives
    # (a draft does not exist for the public); its files likewise, a draft's only for those
    # who prepare it.
    "consultations:detail": everyone(),
    "consultations:detail[draft]": everyone(MISSING),
    "consultations:image": everyone(),
    "consultations:image[draft]": hidden(WORK_WITH_DIALOGUE),
    "consultations:document": everyone(),
    "consultations:document[draft]": hidden(WORK_WITH_DIALOGUE),
    "consultations:staff_new": only(WORK_WITH_DIALOGUE),
    "consultations:staff_detail": only(VIEW_DIALOGUES),
    "consultations:staff_edit": only(WORK_WITH_DIALOGUE),
    "consultations:alternative_new": only(WORK_WITH_DIALOGUE),
    "consultations:alternative_edit": only(WORK_WITH_DIALOGUE),
    "consultations:alternative_remove": post_only(),
    "consultations:staff_action": post_only(),
    # -- mapinput (staff): set up by those who work with the dialogue, read by the staff
    # who read the dialogues; the demo's points have no photo (404 for readers).
    "mapinput:staff_new": only(WORK_WITH_DIALOGUE),
    "mapinput:queue": only(WORK_WITH_DIALOGUE),
    "mapinput:staff_detail": only(VIEW_DIALOGUES),
    "mapinput:staff_edit": only(WORK_WITH_DIALOGUE),
    "mapinput:categories": only(WORK_WITH_DIALOGUE),
    "mapinput:export_geojson": only(VIEW_DIALOGUES),
    "mapinput:export_csv": only(VIEW_DIALOGUES),
    "mapinput:staff_point": only(VIEW_DIALOGUES),
    "mapinput:staff_photo": only(VIEW_DIALOGUES) | dict.fromkeys(VIEW_DIALOGUES, MISSING),
    "mapinput:point_action": post_only(),
    # -- forum (moderation and staff side): flagging a post is for anyone signed in (a
    # hidden post's page shows only the reason); the staff pages of the school yard forum
    # for those who read the dialogues' staff pages, its setup, moderation and results for
    # those who work with the dialogue; the queue and the bans for those who moderate a forum.
    "forum:flag": signed_in(),
    "forum:flag[hidden]": signed_in(),
    "forum:staff_new": only(WORK_WITH_DIALOGUE),
    "forum:staff_detail": only(VIEW_DIALOGUES),
    "forum:staff_edit": only(WORK_WITH_DIALOGUE),
    "forum:summary": only(WORK_WITH_DIALOGUE),
    "forum:staff_thread": only(VIEW_DIALOGUES),
    "forum:post_action": post_only(),
    "forum:queue": only(WORK_WITH_DIALOGUE),
    "forum:bans": only(WORK_WITH_DIALOGUE),
    # -- budget (count, result and decision): the demo's decided round in Berga; its result
    # is public, the count and the decision are for those who work with the dialogue.
    "budget:result": everyone(),
    "budget:staff_count": only(WORK_WITH_DIALOGUE),
    "budget:staff_decision": only(WORK_WITH_DIALOGUE),
    # -- evaluation: a survey's one-time link is the key to it.
    "evaluation:thanks": everyone(),
    "evaluation:answer": everyone(),
    "evaluation:answer[unknown]": everyone(MISSING),
    "evaluation:staff": only(WORK_WITH_DIALOGUE),
    "evaluation:send": post_only(),
    "evaluation:internal": post_only(),
    "evaluation:template": only(ADMINS),
    "evaluation:question_add": post_only(),
    "evaluation:question_edit": only(ADMINS),
    "evaluation:question_remove": post_only(),
    "evaluation:question_move": post_only(),
    # -- surveys (answer): a published survey's page is public; anyone may start answering
    # (the survey's own rule of who may answer is checked inside); a resume link or receipt
    # that names nothing is 404; paper answers are entered by those who work with it.
    "surveys:public_detail": everyone(),
    "surveys:answer_start": everyone(POST_ONLY),
    "surveys:answer_resume": everyone(MISSING),
    "surveys:answer_page": everyone(MISSING),
    "surveys:answer_confirm": everyone(MISSING),
    "surveys:answer_send_link": everyone(POST_ONLY),
    "surveys:answer_receipt": everyone(MISSING),
    "surveys:answer_paper": only(WORK_WITH_DIALOGUE),
    # -- surveys (build): the list for all staff (each sees the surveys of the dialogues they
    # work with); a survey's builder pages for those who work with its dialogue (the demo's
    # draft survey in the school yard dialogue, which the elected official leads).
    "surveys:staff_list": only(VIEW_DIALOGUES),
    "surveys:staff_create": only(WORK_WITH_DIALOGUE),
    "surveys:staff_copy": only(WORK_WITH_DIALOGUE),
    "surveys:staff_detail": only(WORK_WITH_DIALOGUE),
    "surveys:staff_edit": only(WORK_WITH_DIALOGUE),
    "surveys:staff_preview": only(WORK_WITH_DIALOGUE),
    "surveys:staff_section_add": only(WORK_WITH_DIALOGUE),
    "surveys:staff_section_edit": only(WORK_WITH_DIALOGUE),
    "surveys:staff_section_action": post_only(),
    "surveys:staff_question_add": only(WORK_WITH_DIALOGUE),
    "surveys:staff_question": only(WORK_WITH_DIALOGUE),
    "surveys:staff_question_action": post_only(),
    "surveys:staff_option": only(WORK_WITH_DIALOGUE),
    "surveys:staff_option_action": post_only(),
    "surveys:staff_action": post_only(),
    # -- surveys: results (those who work with the survey's dialogue; the public results page
    # of a published survey for everyone, showing its charts only once it is closed and its
    # summary published)
    "surveys:results_staff": only(WORK_WITH_DIALOGUE),
    "surveys:results_free_text": only(WORK_WITH_DIALOGUE),
    "surveys:results_answer_tag": post_only(),
    "surveys:results_answer_untag": post_only(),
    "surveys:results_tag_item": only(WORK_WITH_DIALOGUE),
    "surveys:results_cross": only(WORK_WITH_DIALOGUE),
    "surveys:results_places": only(WORK_WITH_DIALOGUE),
    "surveys:results_geojson": only(WORK_WITH_DIALOGUE),
    "surveys:results_csv": only(WORK_WITH_DIALOGUE),
    "surveys:results_xlsx": only(WORK_WITH_DIALOGUE),
    "surveys:results_summary": only(WORK_WITH_DIALOGUE),
    "surveys:results_public": everyone(),
    # -- surveys: sms. The staff page is for those who work with the survey's dialogue; the
    # gateway's webhook exists only for the address with the configured secret.
    "surveys:sms_send": only(WORK_WITH_DIALOGUE),
    "surveys:sms_remind": post_only(),
    "surveys:sms_inbound": everyone(MISSING),
    # -- mapinput (public): the map of a public dialogue, its list, feed and points for
    # everyone; placing shows a visitor why not (sign in) with 200. The demo has no photo.
    "mapinput:map": everyone(),
    "mapinput:place": everyone(),
    "mapinput:list": everyone(),
    "mapinput:geojson": everyone(),
    "mapinput:point": everyone(),
    "mapinput:agree": everyone(POST_ONLY),
    "mapinput:comment": everyone(POST_ONLY),
    "mapinput:photo": everyone(MISSING),
    # -- forum (public): the demo forum in the school yard dialogue is public; the new-thread
    # page explains to each visitor what they need (log in, a verified address, e-ID) or
    # shows the form; a post is changed by its author only (the demo citizen's post).
    "forum:rules": everyone(),
    "forum:forum": everyone(),
    "forum:new_thread": everyone(),
    "forum:feed": everyone(),
    "forum:thread": everyone(),
    "forum:reply": everyone(POST_ONLY),
    "forum:edit": only((CITIZEN,)),
    "forum:agree": post_only(),
    # -- budget (the round): the public list and a round once its presidium approved it (a
    # draft does not exist for the public); the staff pages for those who read the dialogues,
    # the set-up, approval and steps for those who work with the round's dialogue (the
    # school yard dialogue, not at ladder step 5: the new-round page says why, with 200).
    "budget:index": everyone(),
    "budget:round": everyone(),
    "budget:round[draft]": everyone(MISSING),
    "budget:staff_index": only(VIEW_DIALOGUES),
    "budget:staff_new": only(WORK_WITH_DIALOGUE),
    "budget:staff_round": only(VIEW_DIALOGUES),
    "budget:staff_edit": only(WORK_WITH_DIALOGUE),
    "budget:staff_approve": only(WORK_WITH_DIALOGUE),
    "budget:staff_step": post_only(),
    # -- budget (ideas): a round taking ideas; the form is for any account (a visitor logs
    # in); the demo citizen answers the merge proposed for their idea; those who work with
    # the dialogue review the ideas (budget.permissions.can_review).
    "budget:ideas": everyone(),
    "budget:idea_new": signed_in(),
    "budget:idea": everyone(),
    "budget:idea_image": everyone(),
    "budget:comment": everyone(POST_ONLY),
    "budget:interest": everyone(POST_ONLY),
    "budget:merge_consent": only((CITIZEN,)),
    "budget:staff_ideas": only(WORK_WITH_DIALOGUE),
    "budget:staff_idea": only(WORK_WITH_DIALOGUE),
    "budget:staff_review": post_only(),
    "budget:staff_merge": post_only(),
    "budget:staff_merge_consent": post_only(),
    "budget:staff_comment_hide": post_only(),
    # -- budget (voting): the ballot says what voting takes and sends the visitor to the
    # e-ID step; the vote itself is a POST after that step.
    "budget:ballot": everyone(),
    "budget:ballot_confirm": everyone(POST_ONLY),
    "budget:ballot_done": everyone(),
    "budget:staff_assisted": only(ASSIST_VOTES),
    # -- budget (implementation): the demo's decided round in Berga; its projects page and
    # the photo of a progress report are public (one that names nothing is 404); the staff
    # pages are for those who review the round (budget.permissions.can_review: those who work
    # with the dialogue and the responsible förvaltning, Samhällsbyggnadsförvaltningen, where
    # no demo log-in works).
    "budget:projects": everyone(),
    "budget:update_photo": everyone(),
    "budget:update_photo[missing]": everyone(MISSING),
    "budget:staff_projects": only(WORK_WITH_DIALOGUE),
    "budget:staff_project": only(WORK_WITH_DIALOGUE),
    # -- api (the public read API): anonymous and the same for everyone; a row that is not
    # public (an initiative not decided on, a fault report kept private) does not exist.
    "api:index": everyone(),
    "api:schema": everyone(),
    "api:docs": everyone(),
    "api:omraden-geojson": everyone(),
    **{f"api:{slug}-list": everyone() for slug in API_DATASETS},
    **{f"api:{slug}-detail": everyone() for slug in API_DATASETS},
    "api:dialoger-detail[private]": everyone(MISSING),
    "api:felanmalningar-detail[private]": everyone(MISSING),
    # -- opendata: the exports, the catalogue and the feeds are public and the same for all
    "opendata:index": everyone(),
    "opendata:catalogue_ttl": everyone(),
    "opendata:catalogue_jsonld": everyone(),
    "opendata:download": everyone(),
    "opendata:download[missing]": everyone(MISSING),  # a dataset that is not registered
    "opendata:dialogues_rss": everyone(),
    "opendata:dialogues_atom": everyone(),
    "opendata:proposals_rss": everyone(),
    "opendata:proposals_atom": everyone(),
    "opendata:decisions_rss": everyone(),
    "opendata:decisions_atom": everyone(),
    "opendata:results_rss": everyone(),
    "opendata:results_atom": everyone(),
    # -- operations: for the load balancer and Prometheus, the same for every role. No worker
    # runs beside this test, so /healthz says so (503); its 200 is tested in the app's tests.
    # /metrics answers the loopback (METRICS_ALLOWED_IPS), where the test client comes from.
    "operations:healthz": everyone("503"),
    "operations:metrics": everyone(),
    # -- insight (dashboards and the area report; insight.view_staff_dashboard: every staff role)
    "insight:dashboard": everyone(),
    "insight:staff_dashboard": only(STAFF),
    "insight:area_report": only(STAFF),
    "insight:area_report_pdf": only(STAFF),
    "insight:area_report_attach": post_only(),
    "insight:area_report_forward": post_only(),
    # -- privacy: the register with model and field names for every staff role
    # (privacy.view_register_staff); the rights tool for the administrators
    # (privacy.handle_rights_request). Its search, export and erasure are POSTs, so nothing
    # that identifies a person goes into an address.
    "privacy:register_staff": only(STAFF),
    "privacy:rights": only(ADMINS),
    "privacy:rights_export": post_only(),
    "privacy:rights_erase": post_only(),
    # -- retention: the plan is a public document; the run log is for administrators
    # (retention.view_retentionrun)
    "retention:plan": everyone(),
    "retention:runs": only((ADMIN,)),
}

# State-changing endpoints, and who may act (a row named "name[variant]" is for that object). Each is sent an empty POST by every role: the
# others must be refused (403, 404, or sent to log in) and nothing may be stored; those
# named must not be refused (what an empty form gets them, 200, 302 or 400, is the forms'
# own tests' business). Endpoints anyone may post to (sign-up, a fault report, a support)
# have nothing to refuse and are listed in OPEN_TO_ALL.
ACTORS: dict[str, tuple[str, ...]] = {
    # mapinput: signed in with a confirmed e-mail address (every demo log-in has one); a
    # visitor is sent to log in.
    "mapinput:place": SIGNED_IN,
    "mapinput:agree": SIGNED_IN,
    "mapinput:comment": SIGNED_IN,
    "surveys:results_answer_tag": WORK_WITH_DIALOGUE,
    "surveys:results_answer_untag": WORK_WITH_DIALOGUE,
    "surveys:results_tag_item": WORK_WITH_DIALOGUE,
    "surveys:results_summary": WORK_WITH_DIALOGUE,
    "accounts:resend_verification": SIGNED_IN,
    "accounts:profile_edit": SIGNED_IN,
    "accounts:password_change": SIGNED_IN,
    "accounts:two_factor_setup": SIGNED_IN,
    "accounts:two_factor_verify": SIGNED_IN,
    "accounts:reauthenticate": SIGNED_IN,
    "accounts:account_close": SIGNED_IN,
    "notifications:retry": RETRY_DELIVERIES,
    "identity:resident_register": ADMINS,
    "geo:population": ADMINS,
    "privacy:rights": ADMINS,
    "privacy:rights_export": ADMINS,
    "privacy:rights_erase": ADMINS,
    "feedback:staff_register": HANDLE_CASES,
    "feedback:staff_act": HANDLE_CASES,
    "dialogues:staff_initiate": MANAGE_DIALOGUES,
    "dialogues:staff_edit": WORK_WITH_DIALOGUE,
    # Start planning: dialogue managers and the dialogue's process leader (in the demo, the
    # elected official leads the first dialogue).
    "dialogues:staff_step": WORK_WITH_DIALOGUE,
    "dialogues:staff_plan": WORK_WITH_DIALOGUE,
    "meetings:staff_create_for_dialogue": PLAN_MEETINGS,
    "meetings:staff_create_for_body": PLAN_UTSKOTT_MEETINGS,
    "meetings:staff_edit": PLAN_MEETINGS,
    "meetings:staff_edit[utskott]": PLAN_UTSKOTT_MEETINGS,
    "meetings:staff_forward": PLAN_UTSKOTT_MEETINGS,
    "meetings:staff_agenda": PLAN_MEETINGS,
    "meetings:staff_moderate": PLAN_MEETINGS,
    "meetings:staff_cancel": PLAN_MEETINGS,
    "meetings:staff_mark_held": PLAN_MEETINGS,
    "meetings:staff_documentation_action": PLAN_MEETINGS,
    "councils:staff_create": EDIT_COUNCILS,
    "councils:staff_edit": EDIT_COUNCILS,
    "councils:staff_member": EDIT_COUNCILS,
    "councils:staff_meeting_plan": EDIT_COUNCILS,
    "councils:staff_meeting_action": EDIT_COUNCILS,
    "councils:staff_action": EDIT_COUNCILS,
    "safety:survey_import": EDIT_SAFETY,
    "safety:promise_create": EDIT_SAFETY,
    "safety:promise_edit": EDIT_SAFETY,
    "safety:commitment_add": EDIT_SAFETY,
    "safety:follow_up": EDIT_SAFETY,
    "inspections:staff_create": EDIT_COUNCILS,
    "inspections:staff_edit": EDIT_COUNCILS,
    "inspections:staff_action": EDIT_COUNCILS,
    "inspections:staff_finding_create": EDIT_COUNCILS,
    "inspections:staff_finding_action": EDIT_COUNCILS,
    "inspections:staff_action_step": EDIT_COUNCILS,
    "inspections:staff_finding_edit": EDIT_COUNCILS,
    "inspections:staff_cause_edit": EDIT_COUNCILS,
    "inspections:staff_action_edit": EDIT_COUNCILS,
    "inspections:staff_follow_up": EDIT_COUNCILS,
    "inspections:staff_contact_remove": EDIT_COUNCILS,
    "proposals:create": SIGNED_IN,
    "proposals:staff_register": REGISTER_ON_BEHALF,
    "proposals:staff_register_meeting": REGISTER_STEPS,
    "proposals:staff_step": REGISTER_STEPS,
    "proposals:staff_support": REGISTER_ON_BEHALF,
    "results:item_action": WORK_WITH_DIALOGUE,
    "results:item_new": WORK_WITH_DIALOGUE,
    "results:summary_publish": WORK_WITH_DIALOGUE,
    "results:decision_proposal_publish": WORK_WITH_DIALOGUE,
    "results:decision_proposal_skip": WORK_WITH_DIALOGUE,
    "results:summary_correct": WORK_WITH_DIALOGUE,
    "results:decision_proposal_correct": WORK_WITH_DIALOGUE,
    "consultations:staff_new": WORK_WITH_DIALOGUE,
    "consultations:staff_edit": WORK_WITH_DIALOGUE,
    "consultations:alternative_new": WORK_WITH_DIALOGUE,
    "consultations:alternative_edit": WORK_WITH_DIALOGUE,
    "consultations:alternative_remove": WORK_WITH_DIALOGUE,
    "consultations:staff_action": WORK_WITH_DIALOGUE,
    "mapinput:staff_new": WORK_WITH_DIALOGUE,
    "mapinput:staff_edit": WORK_WITH_DIALOGUE,
    "mapinput:categories": WORK_WITH_DIALOGUE,
    "mapinput:point_action": WORK_WITH_DIALOGUE,
    "forum:flag": SIGNED_IN,
    "forum:staff_new": WORK_WITH_DIALOGUE,
    "forum:staff_edit": WORK_WITH_DIALOGUE,
    "forum:summary": WORK_WITH_DIALOGUE,
    "forum:post_action": WORK_WITH_DIALOGUE,
    "forum:bans": WORK_WITH_DIALOGUE,
    # budget: those who work with the dialogue count, publish and record the decision.
    "budget:staff_count": WORK_WITH_DIALOGUE,
    "budget:staff_decision": WORK_WITH_DIALOGUE,
    "evaluation:send": WORK_WITH_DIALOGUE,
    "evaluation:internal": WORK_WITH_DIALOGUE,
    "evaluation:template": ADMINS,
    "evaluation:question_add": ADMINS,
    "evaluation:question_edit": ADMINS,
    "evaluation:question_remove": ADMINS,
    "evaluation:question_move": ADMINS,
    "surveys:answer_paper": WORK_WITH_DIALOGUE,  # answer
    # surveys (build)
    "surveys:staff_create": WORK_WITH_DIALOGUE,
    "surveys:staff_copy": WORK_WITH_DIALOGUE,
    "surveys:staff_edit": WORK_WITH_DIALOGUE,
    "surveys:staff_section_add": WORK_WITH_DIALOGUE,
    "surveys:staff_section_edit": WORK_WITH_DIALOGUE,
    "surveys:staff_section_action": WORK_WITH_DIALOGUE,
    "surveys:staff_question_add": WORK_WITH_DIALOGUE,
    "surveys:staff_question": WORK_WITH_DIALOGUE,
    "surveys:staff_question_action": WORK_WITH_DIALOGUE,
    "surveys:staff_option": WORK_WITH_DIALOGUE,
    "surveys:staff_option_action": WORK_WITH_DIALOGUE,
    "surveys:staff_action": WORK_WITH_DIALOGUE,
    "surveys:sms_send": WORK_WITH_DIALOGUE,
    "surveys:sms_remind": WORK_WITH_DIALOGUE,
    "forum:edit": (CITIZEN,),  # the demo citizen's own post
    "budget:staff_new": WORK_WITH_DIALOGUE,
    "budget:staff_edit": WORK_WITH_DIALOGUE,
    "budget:staff_approve": WORK_WITH_DIALOGUE,
    "budget:staff_step": WORK_WITH_DIALOGUE,
    # budget (ideas): any account with a confirmed address submits, comments and shows
    # interest; the demo citizen answers the merge of their idea; reviewers do the rest.
    "budget:idea_new": SIGNED_IN,
    "budget:comment": SIGNED_IN,
    "budget:interest": SIGNED_IN,
    "budget:merge_consent": (CITIZEN,),
    "budget:staff_review": WORK_WITH_DIALOGUE,
    "budget:staff_merge": WORK_WITH_DIALOGUE,
    "budget:staff_merge_consent": WORK_WITH_DIALOGUE,
    "budget:staff_comment_hide": WORK_WITH_DIALOGUE,
    "budget:staff_assisted": ASSIST_VOTES,
    "budget:staff_project": WORK_WITH_DIALOGUE,  # a progress report on a funded project
    "insight:area_report_attach": FORWARD_AREA_REPORTS,
    "insight:area_report_forward": FORWARD_AREA_REPORTS,
}
OPEN_TO_ALL = {
    "set_language",
    "accounts:signup",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
    "notifications:follow",
    "notifications:confirm",
    "notifications:manage",
    "notifications:unsubscribe",
    "notifications:phone_code",
    "notifications:stop",
    "identity:demo",
    "feedback:opinion_create",
    "feedback:fault_create",
    "feedback:open311:requests",  # refused without an API key, whoever is signed in
    "dialogues:request",
    "meetings:register",
    "meetings:question",
    "meetings:registration",
    "proposals:support",
    "proposals:withdraw",
    "evaluation:answer",
    # surveys (answer): who may answer is each survey's own rule, checked inside
    "surveys:answer_start",
    "surveys:answer_page",
    "surveys:answer_confirm",
    "surveys:answer_send_link",
    "surveys:answer_receipt",
    "surveys:sms_inbound",  # the gateway's; a wrong secret is 404 for everyone
    "consultations:detail",
    # forum (public): who may post is each forum's own rule, checked inside
    "forum:new_thread",
    "forum:reply",
    "forum:agree",
    # budget (voting): who may vote is the round's own rule, after a fresh e-ID step
    "budget:ballot",
    "budget:ballot_confirm",
}
