"""A moderator in the browser: an official who works with the school yard dialogue opens the
moderators' queue, sees the demo's flagged post, opens it on the thread's staff page, and
hides it with a public reason; the original stays on the staff page with the reason, and the
post's log shows the step. Every page is checked by axe-core. (The public thread page's view of
the hidden post is checked in the forum's public journey.)"""

from __future__ import annotations

import re

from django.urls import reverse
from e2e_helpers import assert_accessible, log_in

from torget.audit.models import AuditEntry
from torget.forum.models import Flag, FlagOutcome, HideReason, Post, PostStatus

OFFICIAL = "tjansteperson@demo.storeby.example"
FLAGGED = "Det här är ju bara slöseri med skattepengar, som vanligt."  # the demo's flagged post
THREAD = "Cykelställ med tak"


def test_a_moderator_hides_a_flagged_post_from_the_queue(page, base_url, demo):
    post = Post.objects.get(text=FLAGGED)
    log_in(page, base_url, OFFICIAL)

    page.goto(base_url + reverse("forum:queue"))
    page.get_by_role("heading", level=1, name="Moderatorernas kö").wait_for()
    main = page.get_by_role("main")
    assert "Utanför ämnet" in main.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(re.escape(THREAD))).first.click()
    page.wait_for_url(re.compile(re.escape(reverse("forum:staff_thread", args=[post.thread_id]))))
    page.get_by_role("heading", level=1, name=THREAD).wait_for()
    assert_accessible(page)

    article = page.locator(f"#inlagg-{post.pk}")
    article.get_by_text("Dölj inlägget", exact=True).first.click()  # opens the panel
    article.get_by_role("radio", name="utanför ämnet").check()
    article.get_by_label("Förklaring till skribenten").fill("Håll dig till skolgården.")
    assert_accessible(page)
    article.get_by_role("button", name="Dölj inlägget").click()

    page.wait_for_url(re.compile(re.escape(reverse("forum:staff_thread", args=[post.thread_id]))))
    assert "Inlägget är dolt. Skribenten får veta skälet." in page.content()
    article = page.locator(f"#inlagg-{post.pk}")
    assert "Dolt av moderator: utanför ämnet" in article.inner_text()
    assert FLAGGED in article.inner_text()  # the original, kept for the record
    article.locator("summary", has_text="Inläggets logg").click()
    assert "Inlägget doldes av moderator" in article.inner_text()
    assert_accessible(page)

    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN
    assert post.hidden_reason == HideReason.OFF_TOPIC
    assert post.text == FLAGGED
    assert not Flag.objects.filter(post=post, outcome=FlagOutcome.OPEN).exists()
    assert AuditEntry.objects.filter(action="forum.post_hidden", object_id=str(post.pk)).exists()

    # The queue is empty again.
    page.goto(base_url + reverse("forum:queue"))
    assert "Kön är tom" in page.get_by_role("main").inner_text()
    assert_accessible(page)
