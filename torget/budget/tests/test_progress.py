"""Implementation of the funded projects: the rules of a progress report, what followers are
told, and the pages that show it (public and staff)."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.budget import progress
from torget.budget.models import BudgetRound, Idea, Phase, Progress, ProgressUpdate
from torget.budget.tests.factories import budget_dialogue, budget_round, idea, project
from torget.notifications.models import Notification
from torget.organisation.models import Employment
from torget.organisation.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _jpeg(name: str = "bygge.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#2f6f3e").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def world():
    """A decided round with two funded projects and one that lost the vote."""
    dialogue, people = budget_dialogue()
    round = budget_round(dialogue, people=people, phase=Phase.DECIDED)
    gym = project(round, 400_000, title="Utegym vid Bergaskolan", funded=True, progress="planerad")
    benches = project(round, 150_000, title="Bänkar längs ån", funded=True, progress="planerad")
    lost = project(round, 300_000, title="Skatepark")
    return round, people, gym, benches, lost


def report(idea, actor, progress_value=Progress.STARTED, **values):
    values.setdefault("text", "Markarbetet har börjat.")
    return progress.progress_report(idea=idea, actor=actor, progress=progress_value, **values)


class TestWhoAndWhen:
    def test_a_funded_project_of_a_decided_round_takes_a_report(self, world):
        round, people, gym, *_ = world
        update = report(gym, people.official, money_spent=50_000)
        gym.refresh_from_db()
        assert gym.progress == Progress.STARTED
        assert gym.money_spent == 50_000
        assert update.idea == gym and update.money_spent == 50_000
        entry = AuditEntry.objects.get(action="budget.progress")
        assert entry.changes["progress"] == "paborjad" and entry.changes["from"] == "planerad"

    def test_an_idea_without_money_has_no_progress(self, world):
        round, people, _gym, _benches, lost = world
        with pytest.raises(ValidationError):
            report(lost, people.official)
        assert not ProgressUpdate.objects.exists()

    @pytest.mark.parametrize("phase", [Phase.RESULT, Phase.FINISHED])
    def test_only_after_the_decision_and_before_the_round_is_finished(self, phase):
        dialogue, people = budget_dialogue()
        round = budget_round(dialogue, people=people, phase=phase)
        funded = project(round, 100_000, funded=True, progress="planerad")
        with pytest.raises(ValidationError) as error:
            report(funded, people.official)
        assert error.value.code == "not_reportable"
        assert not ProgressUpdate.objects.exists()

    def test_a_citizen_may_not_report(self, world):
        _round, _people, gym, *_ = world
        with pytest.raises(PermissionDenied):
            report(gym, user_with_role(Role.CITIZEN))

    def test_the_responsible_administrations_official_may_report(self, world):
        round, _people, gym, *_ = world
        administration = AdministrationFactory()
        BudgetRound.objects.filter(pk=round.pk).update(responsible_administration=administration)
        worker = user_with_role(Role.CITIZEN)
        Employment.objects.create(person=worker, administration=administration)
        report(gym, worker)
        gym.refresh_from_db()
        assert gym.progress == Progress.STARTED


class TestSteps:
    def test_forward_moves_and_a_further_report_at_the_same_step(self, world):
        _round, people, gym, *_ = world
        report(gym, people.official, Progress.STARTED)
        report(gym, people.official, Progress.STARTED, text="Halva utegymmet står på plats.")
        report(
            gym,
            people.official,
            Progress.DONE,
            money_spent=380_000,
            done_on=timezone.localdate(),
        )
        gym.refresh_from_db()
        assert gym.progress == Progress.DONE and gym.done_on == timezone.localdate()
        assert gym.updates.count() == 3

    def test_a_step_back_needs_a_reason_which_opens_the_report(self, world):
        _round, people, gym, *_ = world
        report(gym, people.official, Progress.DONE, money_spent=1, done_on=timezone.localdate())
        with pytest.raises(ValidationError) as error:
            report(gym, people.official, Progress.STARTED, text="Vi lagar underlaget.")
        assert "reason" in error.value.message_dict
        update = report(
            gym,
            people.official,
            Progress.STARTED,
            text="Vi lagar underlaget.",
            reason="Gummiunderlaget släppte efter första frosten.",
        )
        assert update.text.startswith("Gummiunderlaget släppte")
        gym.refresh_from_db()
        assert gym.progress == Progress.STARTED and gym.done_on is None

    def test_done_needs_a_date_and_the_money_spent(self, world):
        _round, people, gym, *_ = world
        with pytest.raises(ValidationError) as error:
            report(gym, people.official, Progress.DONE)
        assert {"done_on", "money_spent"} <= set(error.value.message_dict)
        gym.refresh_from_db()
        assert gym.progress == Progress.PLANNED

    def test_done_may_use_the_money_reported_before(self, world):
        _round, people, gym, *_ = world
        report(gym, people.official, Progress.STARTED, money_spent=200_000)
        report(gym, people.official, Progress.DONE, done_on=timezone.localdate())
        gym.refresh_from_db()
        assert gym.money_spent == 200_000

    def test_the_done_date_is_not_in_the_future_nor_before_the_decision(self, world):
        round, people, gym, *_ = world
        for day in (timezone.localdate() + DAY, round.decided_on - DAY):
            with pytest.raises(ValidationError) as error:
                report(gym, people.official, Progress.DONE, money_spent=1, done_on=day)
            assert "done_on" in error.value.message_dict

    def test_text_and_a_known_step_are_needed(self, world):
        _round, people, gym, *_ = world
        with pytest.raises(ValidationError) as error:
            report(gym, people.official, "halvvags", text="  ")
        assert {"progress", "text"} <= set(error.value.message_dict)

    def test_a_photo_is_cleaned_and_needs_a_description(self, world):
        _round, people, gym, *_ = world
        with pytest.raises(ValidationError) as error:
            report(gym, people.official, photo=_jpeg())
        assert "photo_alt" in error.value.message_dict
        update = report(gym, people.official, photo=_jpeg(), photo_alt="Grävmaskin vid skolan")
        assert update.photo.name.endswith(".jpg") and update.photo_alt == "Grävmaskin vid skolan"

    def test_a_file_that_is_not_a_photo_is_refused(self, world):
        _round, people, gym, *_ = world
        with pytest.raises(ValidationError) as error:
            report(
                gym,
                people.official,
                photo=SimpleUploadedFile("x.jpg", b"not an image"),
                photo_alt="x",
            )
        assert "photo" in error.value.message_dict


class TestFollowers:
    def test_followers_of_the_round_are_told_of_a_new_step(self, world):
        round, people, gym, *_ = world
        report(gym, people.official, Progress.STARTED)
        notice = Notification.objects.get(template="budget.progress")
        assert notice.context["project"] == "Utegym vid Bergaskolan"
        assert notice.context["progress"] == "Påbörjad"
        assert notice.context["url"] == gym.get_absolute_url()
        round_type = ContentType.objects.get_for_model(BudgetRound).pk
        assert [round_type, round.pk] in notice.audience

    def test_a_further_report_at_the_same_step_tells_nobody(self, world):
        _round, people, gym, *_ = world
        report(gym, people.official, Progress.STARTED)
        report(gym, people.official, Progress.STARTED, text="Mer nytt.")
        assert Notification.objects.filter(template="budget.progress").count() == 1

    def test_a_refused_report_tells_nobody(self, world):
        _round, people, gym, *_ = world
        with pytest.raises(ValidationError):
            report(gym, people.official, Progress.DONE)
        assert not Notification.objects.filter(template="budget.progress").exists()


class TestPublicPages:
    def _every_state(self, world):
        round, people, gym, benches, lost = world
        third = project(round, 90_000, title="Lekplats i parken", funded=True, progress="planerad")
        report(gym, people.official, Progress.STARTED, money_spent=120_000, text="Grundläggning.")
        report(
            benches,
            people.official,
            Progress.DONE,
            money_spent=140_000,
            done_on=timezone.localdate() - DAY,
            text="Bänkarna är på plats.",
            photo=_jpeg(),
            photo_alt="Nya bänkar längs ån",
        )
        return round, gym, benches, third, lost

    def test_the_projects_page_shows_every_state_in_words(self, client, world):
        round, gym, benches, third, lost = self._every_state(world)
        response = client.get(reverse("budget:projects", args=[round.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        for title in (gym.title, benches.title, third.title):
            assert title in page
        assert lost.title not in page
        assert "Läge: Planerad" in page and "Läge: Påbörjad" in page and "Läge: Klar" in page
        assert 'aria-current="step"' in page
        assert "steg 3 av 3" in page
        assert "1 av 3 projekt är klart." in page
        assert "140\xa0000 kr" in page and "150\xa0000 kr" in page  # spent vs cost
        assert "Bänkarna är på plats." in page
        update = benches.updates.get()
        assert reverse("budget:update_photo", args=[update.pk]) in page
        assert 'alt="Nya bänkar längs ån"' in page

    def test_the_projects_page_queries_do_not_grow_with_projects(
        self, client, world, django_assert_max_num_queries
    ):
        round, *_ = self._every_state(world)
        with django_assert_max_num_queries(12):
            client.get(reverse("budget:projects", args=[round.pk]))

    def test_before_the_decision_the_page_says_what_will_come(self, client):
        round = budget_round(phase=Phase.VOTING)
        response = client.get(reverse("budget:projects", args=[round.pk]))
        assert response.status_code == 200
        assert "När beslutet är fattat" in response.content.decode()

    def test_a_draft_round_has_no_projects_page(self, client):
        round = budget_round(phase=Phase.DRAFT)
        assert client.get(reverse("budget:projects", args=[round.pk])).status_code == 404

    def test_an_update_photo_is_served_to_everyone(self, client, world):
        round, gym, benches, *_ = self._every_state(world)
        update = benches.updates.get()
        response = client.get(reverse("budget:update_photo", args=[update.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"

    def test_an_update_without_a_photo_or_none_at_all_is_404(self, client, world):
        _round, people, gym, *_ = world
        update = report(gym, people.official)
        assert client.get(reverse("budget:update_photo", args=[update.pk])).status_code == 404
        assert client.get(reverse("budget:update_photo", args=[999999])).status_code == 404

    def test_the_idea_partial_shows_the_updates(self, world):
        from django.template.loader import render_to_string

        _round, people, gym, _benches, lost = world
        report(gym, people.official, text="Markarbetet har börjat.")
        gym = Idea.objects.get(pk=gym.pk)
        html = render_to_string("budget/_idea_progress.html", {"idea": gym})
        assert "Genomförande" in html and "Markarbetet har börjat." in html
        assert render_to_string("budget/_idea_progress.html", {"idea": lost}).strip() == ""

    def test_the_round_section_lists_the_projects(self, rf, world):
        from django.template.loader import render_to_string

        from torget.budget import progress_views

        round, people, gym, benches, _lost = world
        request = rf.get("/")
        request.user = people.official
        context = progress_views.round_context(request, round)
        html = render_to_string("budget/_round_projects.html", {"round": round, **context})
        assert gym.title in html and benches.title in html
        assert reverse("budget:projects", args=[round.pk]) in html
        early = budget_round(phase=Phase.VOTING)
        assert progress_views.round_context(request, early) == {"progress_followed": False}


class TestStaffPages:
    def test_the_report_form_publishes_and_confirms(self, client, world):
        round, people, gym, *_ = world
        client.force_login(people.official)
        url = reverse("budget:staff_project", args=[round.pk, gym.number])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "progress": "paborjad",
                "text": "Markarbetet har börjat.",
                "money_spent": "25000",
                "photo": _jpeg(),
                "photo_alt": "Grävmaskin",
            },
            follow=True,
        )
        assert response.redirect_chain[-1][0].endswith(f"#projekt-{gym.number}")
        assert "Lägesrapporten är publicerad och projektet är nu påbörjad" in (
            response.content.decode()
        )
        gym.refresh_from_db()
        assert gym.progress == Progress.STARTED and gym.money_spent == 25000
        assert gym.updates.get().photo

    def test_errors_are_shown_in_the_form_not_a_server_error(self, client, world):
        round, people, gym, *_ = world
        client.force_login(people.official)
        url = reverse("budget:staff_project", args=[round.pk, gym.number])
        response = client.post(url, {"progress": "klar", "text": "Klart!"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "Det finns fel i formuläret" in page
        assert "Ange vilket datum projektet blev klart." in page
        response = client.post(url, {"progress": "x", "money_spent": "-5", "done_on": "99999"})
        assert response.status_code == 400
        assert not ProgressUpdate.objects.exists()

    def test_an_idea_without_money_has_no_staff_project_page(self, client, world):
        round, people, _gym, _benches, lost = world
        client.force_login(people.official)
        url = reverse("budget:staff_project", args=[round.pk, lost.number])
        assert client.get(url).status_code == 404

    def test_a_finished_round_shows_no_form(self, client):
        dialogue, people = budget_dialogue()
        round = budget_round(dialogue, people=people, phase=Phase.FINISHED)
        done = project(
            round,
            10_000,
            funded=True,
            progress="klar",
            done_on=timezone.localdate(),
            money_spent=9_000,
        )
        client.force_login(people.official)
        url = reverse("budget:staff_project", args=[round.pk, done.number])
        response = client.get(url)
        assert response.status_code == 200
        assert "Omgången är avslutad" in response.content.decode()
        assert '<form method="post" enctype' not in response.content.decode()
        response = client.post(url, {"progress": "klar", "text": "x"})
        assert response.status_code == 302
        assert not ProgressUpdate.objects.exists()

    def test_staff_pages_are_for_those_who_review(self, client, world):
        round, _people, gym, *_ = world
        urls = [
            reverse("budget:staff_projects", args=[round.pk]),
            reverse("budget:staff_project", args=[round.pk, gym.number]),
        ]
        for url in urls:
            assert client.get(url).status_code == 302  # to log in
        client.force_login(user_with_role(Role.CITIZEN))
        for url in urls:
            assert client.get(url).status_code == 403
        response = client.post(urls[1], {"progress": "paborjad", "text": "x"})
        assert response.status_code == 403
        assert not ProgressUpdate.objects.exists()

    def test_when_all_are_done_the_staff_page_offers_finish_and_the_evaluation(self, client, world):
        round, people, gym, benches, _lost = world
        client.force_login(people.official)
        url = reverse("budget:staff_projects", args=[round.pk])
        finish = reverse("budget:staff_step", args=[round.pk, "finish"])
        evaluation = reverse("evaluation:staff", args=[round.dialogue_id])
        page = client.get(url).content.decode()
        assert finish not in page
        assert evaluation in page
        for funded in (gym, benches):
            report(funded, people.official, Progress.DONE, money_spent=1, done_on=round.decided_on)
        page = client.get(url).content.decode()
        assert finish in page and "Alla projekt är klara" in page
        assert evaluation in page

    def test_the_staff_round_section_offers_the_same(self, rf, world):
        from django.template.loader import render_to_string

        from torget.budget import progress_views

        round, people, gym, benches, _lost = world
        for funded in (gym, benches):
            report(funded, people.official, Progress.DONE, money_spent=1, done_on=round.decided_on)
        request = rf.get("/")
        request.user = people.official
        context = progress_views.staff_round_context(request, round)
        assert context["progress_can_finish"] is True
        html = render_to_string(
            "budget/staff/_round_projects.html", {"round": round, **context}, request=request
        )
        assert reverse("budget:staff_step", args=[round.pk, "finish"]) in html
        assert reverse("evaluation:staff", args=[round.dialogue_id]) in html


def test_a_round_without_funded_projects_is_not_all_done():
    round = budget_round(phase=Phase.DECIDED)
    idea(round)
    assert progress.all_done(round) is False
