"""Citizens' ideas: submitted only while the round takes them and only with a confirmed e-mail
address, placed inside the round's area, an image stored without its metadata, interest
shown once per person, comments; and the public pages that show them."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from torget.accounts.tests.factories import CitizenFactory
from torget.audit.models import AuditEntry
from torget.budget import idea_services as services
from torget.budget.models import Idea, IdeaStatus, Interest, Phase
from torget.budget.tests.factories import budget_round, idea
from torget.geo.models import AreaKind
from torget.geo.tests.factories import AreaFactory, square

pytestmark = pytest.mark.django_db


def _submit(round, author=None, **values):
    values.setdefault("title", "Utegym vid Bergaskolan")
    values.setdefault("description", "Ett utegym med räckstänger och bänkar för alla åldrar.")
    return services.idea_submit(round=round, author=author or CitizenFactory(), **values)


def _jpeg_with_exif() -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "Telefonen"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("bild.jpg", buffer.getvalue(), content_type="image/jpeg")


class TestSubmit:
    def test_a_citizen_with_a_confirmed_address_submits_while_the_round_takes_ideas(self):
        round = budget_round()
        first = _submit(round)
        second = _submit(round, title="Bänkar i parken")
        assert (first.number, second.number) == (1, 2)
        assert first.status == IdeaStatus.SUBMITTED
        assert AuditEntry.objects.filter(action="budget.idea_submitted").count() == 2

    @pytest.mark.parametrize(
        "content",
        [
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
        ],
    )
    def test_a_page_or_drawing_named_as_a_photo_is_refused_and_nothing_saved(self, content):
        round = budget_round()
        with pytest.raises(ValidationError) as error:
            _submit(
                round,
                image=SimpleUploadedFile("bild.jpg", content, content_type="image/jpeg"),
                image_alt="Utegymmet",
            )
        assert "image" in error.value.message_dict
        assert not Idea.objects.exists()

    @pytest.mark.parametrize("phase", [Phase.APPROVED, Phase.REVIEW, Phase.VOTING])
    def test_refused_outside_the_ideas_phase(self, phase):
        round = budget_round(phase=phase)
        with pytest.raises(ValidationError):
            _submit(round)
        assert not Idea.objects.exists()

    def test_refused_after_the_last_day_even_in_the_ideas_phase(self):
        import datetime

        from django.utils import timezone

        today = timezone.localdate()
        round = budget_round(
            ideas_open_on=today - datetime.timedelta(days=10),
            ideas_close_on=today - datetime.timedelta(days=1),
        )
        with pytest.raises(ValidationError):
            _submit(round)

    def test_refused_without_a_confirmed_email_address(self):
        round = budget_round()
        with pytest.raises(ValidationError) as refused:
            _submit(round, author=CitizenFactory(email_verified_at=None))
        assert "e-postadress" in " ".join(refused.value.messages)
        assert not Idea.objects.exists()

    def test_refused_for_an_anonymous_visitor(self):
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(PermissionDenied):
            _submit(budget_round(), author=AnonymousUser())

    def test_a_point_outside_the_rounds_area_is_refused(self):
        round = budget_round()
        round.areas.add(AreaFactory(geometry=square(15.0, 58.0, 0.1)))
        with pytest.raises(ValidationError) as refused:
            _submit(round, lat=59.5, lon=16.5)
        assert "lat" in refused.value.message_dict
        inside = _submit(round, lat=58.05, lon=15.05)
        assert (inside.lat, inside.lon) == (58.05, 15.05)

    def test_a_round_of_the_whole_municipality_takes_points_in_the_municipality(self):
        AreaFactory(kind=AreaKind.MUNICIPALITY, geometry=square(15.0, 58.0, 1.0))
        round = budget_round()
        assert _submit(round, lat=58.5, lon=15.5).lat == 58.5
        with pytest.raises(ValidationError):
            _submit(round, lat=60.0, lon=18.0)

    def test_an_image_needs_a_description_and_is_stored_without_exif(self):
        round = budget_round()
        with pytest.raises(ValidationError) as refused:
            _submit(round, image=_jpeg_with_exif())
        assert "image_alt" in refused.value.message_dict
        created = _submit(round, image=_jpeg_with_exif(), image_alt="En röd skylt")
        with created.image.open("rb") as handle, Image.open(handle) as image:
            assert image.format == "JPEG"
            assert "exif" not in image.info
            assert not image.getexif()

    def test_a_file_that_is_no_image_is_a_form_error(self):
        junk = SimpleUploadedFile("bild.jpg", b"not an image", content_type="image/jpeg")
        with pytest.raises(ValidationError) as refused:
            _submit(budget_round(), image=junk, image_alt="Något")
        assert "image" in refused.value.message_dict

    def test_the_shown_name_is_never_an_email_address(self):
        with pytest.raises(ValidationError) as refused:
            _submit(budget_round(), shown_name="leila@example.se")
        assert "shown_name" in refused.value.message_dict

    def test_too_many_ideas_an_hour_are_refused(self, settings):
        settings.BUDGET_IDEAS_PER_HOUR = 2
        round = budget_round()
        author = CitizenFactory()
        _submit(round, author=author)
        _submit(round, author=author)
        with pytest.raises(ValidationError) as refused:
            _submit(round, author=author)
        assert refused.value.message_dict["title"]


class TestInterest:
    def test_once_per_person_and_idea(self):
        found = idea(budget_round())
        citizen = CitizenFactory()
        assert services.interest_add(idea=found, actor=citizen) is True
        assert services.interest_add(idea=found, actor=citizen) is False
        services.interest_add(idea=found, actor=CitizenFactory())
        found.refresh_from_db()
        assert found.interest_count == 2
        assert Interest.objects.filter(idea=found).count() == 2

    def test_the_database_refuses_a_second_interest(self):
        found = idea(budget_round())
        citizen = CitizenFactory()
        Interest.objects.create(idea=found, user=citizen)
        with pytest.raises(IntegrityError), transaction.atomic():
            Interest.objects.create(idea=found, user=citizen)

    def test_needs_a_confirmed_address(self):
        found = idea(budget_round())
        with pytest.raises(ValidationError):
            services.interest_add(idea=found, actor=CitizenFactory(email_verified_at=None))

    def test_the_button_counts_once_and_says_so(self, client):
        found = idea(budget_round())
        client.force_login(CitizenFactory())
        url = reverse("budget:interest", args=[found.round_id, found.number])
        client.post(url)
        response = client.post(url, follow=True)
        assert "Du har redan visat intresse" in response.content.decode()
        found.refresh_from_db()
        assert found.interest_count == 1

    def test_an_anonymous_visitor_is_sent_to_log_in(self, client):
        found = idea(budget_round())
        response = client.post(reverse("budget:interest", args=[found.round_id, found.number]))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


class TestComments:
    def test_comment_is_shown_on_the_idea(self, client):
        found = idea(budget_round())
        client.force_login(CitizenFactory())
        response = client.post(
            reverse("budget:comment", args=[found.round_id, found.number]),
            {"text": "Bra idé, det behövs!", "shown_name": "Kim"},
            follow=True,
        )
        page = response.content.decode()
        assert "Tack! Din kommentar visas nu." in page
        assert "Bra idé, det behövs!" in page

    def test_an_empty_comment_is_a_form_error_with_the_name_kept(self, client):
        found = idea(budget_round())
        client.force_login(CitizenFactory())
        response = client.post(
            reverse("budget:comment", args=[found.round_id, found.number]),
            {"text": "", "shown_name": "Kim Berga"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Skriv en kommentar." in page
        assert "Kim Berga" in page

    def test_no_comments_after_the_result(self):
        found = idea(budget_round(phase=Phase.RESULT))
        with pytest.raises(ValidationError):
            services.comment_add(idea=found, author=CitizenFactory(), text="Sent påkommet")

    def test_needs_a_confirmed_address(self):
        found = idea(budget_round())
        with pytest.raises(ValidationError):
            services.comment_add(
                idea=found, author=CitizenFactory(email_verified_at=None), text="Hej hej"
            )


class TestPages:
    def test_new_idea_needs_login(self, client):
        round = budget_round()
        response = client.get(reverse("budget:idea_new", args=[round.pk]))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_submitting_through_the_form_confirms_and_shows_the_idea(self, client):
        round = budget_round()
        client.force_login(CitizenFactory())
        response = client.post(
            reverse("budget:idea_new", args=[round.pk]),
            {
                "title": "Fler cykelställ",
                "description": "Cykelställ vid torget, under tak.",
                "place": "Torget",
                "estimated_cost": "40000",
                "shown_name": "Sam, Berga",
            },
            follow=True,
        )
        page = response.content.decode()
        assert "Tack! Din idé är inlämnad som idé 1." in page
        assert "Fler cykelställ" in page
        assert "40000 kronor" in page

    def test_errors_keep_the_text(self, client):
        round = budget_round()
        client.force_login(CitizenFactory())
        response = client.post(
            reverse("budget:idea_new", args=[round.pk]),
            {"title": "", "description": "Min långa beskrivning av idén", "shown_name": "Sam"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Det finns fel i formuläret" in page
        assert "Min långa beskrivning av idén" in page

    def test_an_unconfirmed_address_sees_why_and_no_form(self, client):
        round = budget_round()
        client.force_login(CitizenFactory(email_verified_at=None))
        page = client.get(reverse("budget:idea_new", args=[round.pk])).content.decode()
        assert "inte bekräftad" in page
        assert 'name="title"' not in page

    def test_a_closed_round_shows_no_form(self, client):
        round = budget_round(phase=Phase.REVIEW)
        client.force_login(CitizenFactory())
        page = client.get(reverse("budget:idea_new", args=[round.pk])).content.decode()
        assert "tar inte emot idéer" in page
        assert 'name="title"' not in page
        response = client.post(reverse("budget:idea_new", args=[round.pk]), {"title": "x"})
        assert response.status_code == 302
        assert not Idea.objects.exists()

    def test_list_filters_by_status_and_sorts_by_interest(self, client):
        round = budget_round()
        idea(round, title="Lugn idé")
        idea(round, title="Populär idé", interest_count=9)
        idea(round, title="Bryter mot kriterierna", status=IdeaStatus.BREACHES)
        url = reverse("budget:ideas", args=[round.pk])
        page = client.get(url, {"ordning": "intresse"}).content.decode()
        assert page.index("Populär idé") < page.index("Lugn idé")
        page = client.get(url, {"status": IdeaStatus.BREACHES}).content.decode()
        assert "Bryter mot kriterierna" in page
        assert "Lugn idé" not in page
        assert (
            client.get(url, {"status": "nonsense", "ordning": "x", "sida": "zz"}).status_code == 200
        )

    def test_the_lists_cost_the_same_queries_however_many_ideas(self, client):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        dialogue_round = budget_round()
        target = idea(dialogue_round)
        idea(dialogue_round, status=IdeaStatus.MERGED, merged_into=target)
        urls = [reverse("budget:ideas", args=[dialogue_round.pk])]

        def count() -> list[int]:
            found = []
            for url in urls:
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                found.append(len(queries))
            return found

        few = count()
        for _ in range(8):
            idea(dialogue_round, status=IdeaStatus.MERGED, merged_into=target)
        assert count() == few

    def test_a_draft_rounds_ideas_are_not_found(self, client):
        round = budget_round(phase=Phase.DRAFT)
        found = idea(round)
        assert client.get(reverse("budget:ideas", args=[round.pk])).status_code == 404
        assert client.get(found.get_absolute_url()).status_code == 404

    def test_the_image_is_served(self, client):
        round = budget_round()
        created = _submit(round, image=_jpeg_with_exif(), image_alt="En röd skylt")
        page = client.get(created.get_absolute_url()).content.decode()
        assert 'alt="En röd skylt"' in page
        response = client.get(reverse("budget:idea_image", args=[round.pk, created.number]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        without = idea(round)
        url = reverse("budget:idea_image", args=[round.pk, without.number])
        assert client.get(url).status_code == 404

    def test_round_context_counts_and_offers_the_form_while_open(self, rf):
        from django.contrib.auth.models import AnonymousUser
        from django.template.loader import render_to_string

        from torget.budget.idea_views import round_context

        round = budget_round()
        idea(round, title="Första idén")
        request = rf.get("/")
        request.user = AnonymousUser()
        context = round_context(request, round)
        assert context["ideas_count"] == 1
        html = render_to_string("budget/_round_ideas.html", context | {"round": round})
        assert "Lämna en idé" in html
        assert "Första idén" in html


@pytest.fixture
def open_round():
    return budget_round()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=st.text(max_size=200),
    description=st.text(max_size=500),
    place=st.text(max_size=250),
    cost=st.one_of(st.text(max_size=20), st.integers().map(str)),
    lat=st.one_of(st.text(max_size=10), st.floats().map(str)),
    lon=st.one_of(st.text(max_size=10), st.floats().map(str)),
    name=st.text(max_size=100),
)
def test_bad_input_to_the_idea_form_never_gives_a_server_error(
    client, open_round, title, description, place, cost, lat, lon, name
):
    round = open_round
    client.force_login(CitizenFactory())
    response = client.post(
        reverse("budget:idea_new", args=[round.pk]),
        {
            "title": title,
            "description": description,
            "place": place,
            "estimated_cost": cost,
            "lat": lat,
            "lon": lon,
            "shown_name": name,
            "image_alt": name,
        },
    )
    assert response.status_code in (200, 302, 400)


def _run_all(calls):
    """Each call in its own thread (its own database connection), all released together."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait()
            outcome: object = call()
        except Exception as error:  # noqa: BLE001 (reported by the assertions)
            outcome = error
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
class TestConcurrency:
    PARALLEL = 8

    def test_ideas_submitted_together_get_distinct_numbers(self, postgres_only):
        round = budget_round()
        people = [CitizenFactory() for _ in range(self.PARALLEL)]
        results = _run_all(
            [lambda person=person: _submit(round, author=person) for person in people]
        )
        assert all(isinstance(result, Idea) for result in results), results
        numbers = sorted(round.ideas.values_list("number", flat=True))
        assert numbers == list(range(1, self.PARALLEL + 1))

    def test_parallel_interest_by_one_person_counts_once(self, postgres_only):
        found = idea(budget_round())
        citizen = CitizenFactory()
        results = _run_all(
            [lambda: services.interest_add(idea=found, actor=citizen) for _ in range(self.PARALLEL)]
        )
        assert sorted(map(repr, results)) == ["False"] * (self.PARALLEL - 1) + ["True"]
        found.refresh_from_db()
        assert found.interest_count == 1
