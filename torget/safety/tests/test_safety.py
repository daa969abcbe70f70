"""The rules of the safety surveys and the citizens' promise: each named after the rule."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.councils.tests.factories import place, safety_council
from torget.geo.tests.factories import AreaFactory
from torget.safety import selectors, services
from torget.safety.models import (
    FollowUp,
    FollowUpStatus,
    Party,
    SurveyAnswer,
    SurveyResult,
)
from torget.safety.survey_file import SurveyFileError

pytestmark = pytest.mark.django_db

HEADER = "område;år;fråga;svarsalternativ;andel"
QUESTION = "Känner du dig trygg ute på kvällen?"


def _csv(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode()


def _good(area: str, year: int, yes: str = "60", no: str = "40") -> list[str]:
    return [f"{area};{year};{QUESTION};Ja;{yes}", f"{area};{year};{QUESTION};Nej;{no}"]


@pytest.fixture
def coordinator():
    return user_with_role(Role.SAFETY_COORDINATOR)


@pytest.fixture
def berga():
    return AreaFactory(name="Berga", slug="berga")


def _refused(coordinator, data: bytes, **kwargs) -> list[str]:
    with pytest.raises(SurveyFileError) as caught:
        services.survey_import(actor=coordinator, data=data, filename="fil.csv", **kwargs)
    return [str(problem) for problem in caught.value.problems]


class TestSurveyImport:
    def test_survey_import_refuses_bad_file_with_line_and_reason(self, coordinator, berga):
        # Wrong columns.
        problems = _refused(coordinator, b"omrade;ar;fraga\nBerga;2025;x")
        assert problems[0].startswith("Rad 1:") and "andel" in problems[0]
        # A share that is no number, one outside 0-100, and shares not adding up to 100.
        problems = _refused(
            coordinator,
            _csv(
                f"Berga;2025;{QUESTION};Ja;mycket",
                f"Berga;2025;{QUESTION};Nej;140",
                "Berga;2025;Fråga två;Ja;50",
                "Berga;2025;Fråga två;Nej;20",
            ),
        )
        assert "Rad 2: andelen ”mycket” är inget tal." in problems
        assert "Rad 3: andelen 140 ligger inte mellan 0 och 100." in problems
        assert any(p.startswith("Rad 4:") and "70.0 procent, inte 100" in p for p in problems)
        # An area Torget does not know.
        problems = _refused(coordinator, _csv(*_good("Atlantis", 2025)))
        assert problems == ["Rad 2: området ”Atlantis” finns inte."]
        # A year the area already has, unless replacing is asked for.
        services.survey_import(actor=coordinator, data=_csv(*_good("Berga", 2025)))
        problems = _refused(coordinator, _csv(*_good("Berga", 2025, "70", "30")))
        assert problems[0].startswith("Rad 2: Berga har redan resultat för 2025.")
        services.survey_import(
            actor=coordinator, data=_csv(*_good("Berga", 2025, "70", "30")), replace=True
        )
        assert list(
            SurveyAnswer.objects.filter(result__area=berga).values_list("share", flat=True)
        ) == [70, 30]
        assert AuditEntry.objects.filter(action="safety.survey_replaced").count() == 1

    def test_survey_import_reads_xlsx_with_decimal_commas(self, coordinator, berga):
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(["fråga", "svarsalternativ", "andel", "område", "år"])
        sheet.append([QUESTION, "Ja", "62,5", "berga", 2024])
        sheet.append([QUESTION, "Nej", 37.5, "Berga", 2024])
        out = io.BytesIO()
        book.save(out)
        [result] = services.survey_import(
            actor=coordinator, data=out.getvalue(), filename="resultat.xlsx"
        )
        assert (result.area, result.year) == (berga, 2024)
        assert [str(a.share) for a in result.answers.all()] == ["62.5", "37.5"]

    def test_survey_import_is_all_or_nothing(self, coordinator, berga):
        AreaFactory(name="Ryd")
        # Berga's lines are good; Ryd's last line is not: nothing at all is stored.
        data = _csv(*_good("Berga", 2025), *_good("Ryd", 2025, "60", "4O"))
        with pytest.raises(SurveyFileError):
            services.survey_import(actor=coordinator, data=data)
        assert not SurveyResult.objects.exists()
        assert not SurveyAnswer.objects.exists()
        # A failure in the middle of the writes rolls back what was written before it.
        services.survey_import(actor=coordinator, data=_csv(*_good("Ryd", 2024)))
        before = SurveyAnswer.objects.count()
        broken = _csv(*_good("Berga", 2024), *_good("Ryd", 2024, "70", "30"))
        from unittest import mock

        with (
            mock.patch(
                "torget.safety.services.audit.record", side_effect=[None, RuntimeError("disk")]
            ),
            pytest.raises(RuntimeError),
        ):
            services.survey_import(actor=coordinator, data=broken, replace=True)
        assert SurveyAnswer.objects.count() == before
        assert not SurveyResult.objects.filter(area=berga).exists()

    def test_only_coordinators_and_administrators_import_and_edit(self, client, berga):
        for role in (Role.OFFICIAL, Role.ELECTED, Role.CONTACT_CENTRE):
            with pytest.raises(PermissionDenied):
                services.survey_import(actor=user_with_role(role), data=_csv(*_good("Berga", 2025)))
            with pytest.raises(PermissionDenied):
                services.promise_create(
                    actor=user_with_role(role),
                    title="x",
                    summary="",
                    valid_from=datetime.date(2025, 1, 1),
                    valid_to=datetime.date(2025, 12, 31),
                )
            client.force_login(user_with_role(role))
            assert client.get(reverse("safety:survey_import")).status_code == 403
        client.force_login(user_with_role(Role.ADMINISTRATOR))
        assert client.get(reverse("safety:survey_import")).status_code == 200

    def test_import_page_shows_each_refused_line_and_keeps_nothing(
        self, client, coordinator, berga
    ):
        client.force_login(coordinator)
        upload = SimpleUploadedFile("fil.csv", _csv(f"Berga;2025;{QUESTION};Ja;-3"))
        response = client.post(reverse("safety:survey_import"), {"file": upload})
        assert response.status_code == 200
        assert "Rad 2: andelen -3 ligger inte mellan 0 och 100." in response.content.decode()
        upload = SimpleUploadedFile("fil.csv", _csv(*_good("Berga", 2025)))
        response = client.post(reverse("safety:survey_import"), {"file": upload}, follow=True)
        assert "Resultaten är importerade: Berga 2025." in response.content.decode()

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.binary(max_size=600), name=st.sampled_from(["fil.csv", "fil.xlsx", "fil"]))
    def test_survey_import_of_any_bytes_never_gives_a_500(self, client, data, name):
        user = user_with_role(Role.SAFETY_COORDINATOR)
        client.force_login(user)
        upload = SimpleUploadedFile(name, data)
        response = client.post(reverse("safety:survey_import"), {"file": upload})
        assert response.status_code in (200, 302)


class TestTrends:
    def test_survey_trend_chart_is_svg_with_a_data_table(self, client, coordinator, berga):
        services.survey_import(actor=coordinator, data=_csv(*_good("Berga", 2024, "55", "45")))
        services.survey_import(actor=coordinator, data=_csv(*_good("Berga", 2025, "62,5", "37,5")))
        [area_trends] = selectors.survey_trends(berga)
        [trend] = area_trends.questions
        svg = str(trend.svg)
        assert svg.startswith("<svg") and 'role="img"' in svg
        assert f'<title id="{trend.chart_id}-title">{QUESTION} – Berga</title>' in svg
        assert "Ja: 2024: 55,0 %, 2025: 62,5 %" in svg  # in <desc>
        assert svg.count("<polyline") == 2  # one line per option
        page = client.get(reverse("core:safety")).content.decode()
        assert svg in page
        table = page.split(svg, 1)[1].split("</table>", 1)[0]
        assert "<caption>" in table
        cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))
        assert "Ja 55,0 % 62,5 %" in cells and "Nej 45,0 % 37,5 %" in cells

    def test_chart_text_from_the_file_is_escaped(self, coordinator, berga):
        bad = "<script>alert(1)</script>"
        services.survey_import(
            actor=coordinator,
            data=_csv(f"Berga;2025;{bad};Ja;50", f"Berga;2025;{bad};Nej & <b>;50"),
        )
        svg = str(selectors.survey_trends(berga)[0].questions[0].svg)
        assert "<script>" not in svg and "<b>" not in svg and "&lt;script&gt;" in svg

    def test_area_page_shows_its_council_and_survey_trend(self, client, coordinator):
        where = place()
        council = safety_council(where, coordinator)
        area = where.district
        services.survey_import(
            actor=coordinator, data=_csv(*_good(area.name, 2024), *_good(area.name, 2023))
        )
        page = client.get(area.get_absolute_url()).content.decode()
        assert council.get_absolute_url() in page and council.name in page
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page
        assert "områdets senaste trygghetsbesiktning" in page  # the inspections' place, empty
        # Another area's page shows neither.
        other = AreaFactory()
        page = client.get(other.get_absolute_url()).content.decode()
        assert council.name not in page and "<svg" not in page.split("<main", 1)[-1]


class TestCitizensPromise:
    def _promise(self, coordinator):
        promise = services.promise_create(
            actor=coordinator,
            title="Tryggare Storeby",
            summary="Det här lovar vi.",
            valid_from=datetime.date(2025, 1, 1),
            valid_to=datetime.date(2025, 12, 31),
        )
        commitment = services.commitment_add(
            actor=coordinator, promise=promise, text="Synliga poliser vid centrum."
        )
        return promise, commitment

    @freeze_time("2025-09-15")
    def test_citizens_promise_followed_up_each_tertial_by_both_parties(self, client, coordinator):
        promise, commitment = self._promise(coordinator)
        assert [t.label for t in promise.tertials()] == ["T1 2025", "T2 2025", "T3 2025"]
        # Two tertials have ended: each lacks both parties' follow-up.
        follow_ups = selectors.promise_follow_ups(promise)
        assert [(t.label, p) for t, p in follow_ups.missing] == [
            ("T1 2025", "Kommunen"),
            ("T1 2025", "Polisen"),
            ("T2 2025", "Kommunen"),
            ("T2 2025", "Polisen"),
        ]
        for tertial in (1, 2):
            for party, text in ((Party.MUNICIPALITY, "Kommunens text"), (Party.POLICE, "Polisens")):
                services.follow_up_record(
                    actor=coordinator,
                    commitment=commitment,
                    year=2025,
                    tertial=tertial,
                    party=party,
                    status=FollowUpStatus.ONGOING,
                    text=f"{text} T{tertial}",
                )
        assert selectors.promise_follow_ups(promise).missing == []
        # A second follow-up by the same party for the same tertial replaces the first.
        services.follow_up_record(
            actor=coordinator,
            commitment=commitment,
            year=2025,
            tertial=2,
            party=Party.POLICE,
            status=FollowUpStatus.DONE,
            text="Polisens nya text",
        )
        assert FollowUp.objects.count() == 4
        assert AuditEntry.objects.filter(action="safety.follow_up_changed").count() == 1
        # A tertial outside the period is refused.
        with pytest.raises(ValidationError):
            services.follow_up_record(
                actor=coordinator,
                commitment=commitment,
                year=2026,
                tertial=1,
                party=Party.POLICE,
                status=FollowUpStatus.DONE,
                text="x",
            )
        # Public: both parties' follow-ups of each tertial, on the promise's page and /trygghet/.
        page = client.get(promise.get_absolute_url()).content.decode()
        for text in ("Kommunens text T1", "Polisens T1", "Kommunens text T2", "Polisens nya text"):
            assert text in page
        assert "Polisens T2" not in page
        assert promise.get_absolute_url() in client.get(reverse("core:safety")).content.decode()
        assert "Polisens nya text" in client.get(reverse("safety:current_promise")).content.decode()

    def test_follow_up_is_recorded_through_the_staff_page(self, client, coordinator):
        promise, commitment = self._promise(coordinator)
        client.force_login(coordinator)
        response = client.post(
            reverse("safety:follow_up", args=[promise.pk]),
            {
                "uppfoljning-commitment": commitment.pk,
                "uppfoljning-tertial": "2025-1",
                "uppfoljning-party": Party.POLICE,
                "uppfoljning-status": FollowUpStatus.DONE,
                "uppfoljning-text": "Klart.",
            },
            follow=True,
        )
        assert "Uppföljningen är sparad och publicerad." in response.content.decode()
        assert FollowUp.objects.get().party == Party.POLICE
        response = client.post(
            reverse("safety:follow_up", args=[promise.pk]), {"uppfoljning-tertial": "x"}
        )
        assert response.status_code == 400

    def test_only_coordinators_edit_the_promise(self, client, coordinator):
        promise, commitment = self._promise(coordinator)
        client.force_login(user_with_role(Role.OFFICIAL))
        for name in ("safety:staff_promise", "safety:promise_edit"):
            assert client.get(reverse(name, args=[promise.pk])).status_code == 403
        response = client.post(
            reverse("safety:commitment_add", args=[promise.pk]), {"atagande-text": "Nytt"}
        )
        assert response.status_code == 403
        assert promise.commitments.count() == 1
        with pytest.raises(PermissionDenied):
            services.follow_up_record(
                actor=user_with_role(Role.OFFICIAL),
                commitment=commitment,
                year=2025,
                tertial=1,
                party=Party.POLICE,
                status=FollowUpStatus.DONE,
                text="x",
            )


def test_current_promise_page_says_what_will_come_without_one(client):
    response = client.get(reverse("safety:current_promise"))
    assert response.status_code == 200
    assert "Löftet och uppföljningarna publiceras här." in response.content.decode()


def test_demo_shows_two_years_of_surveys_and_a_followed_up_promise(client, demo):
    assert SurveyResult.objects.values("year").distinct().count() == 2
    assert SurveyResult.objects.values("area").distinct().count() >= 3
    promise = selectors.current_promise()
    follow_ups = selectors.promise_follow_ups(promise)
    assert follow_ups.missing == []
    assert len({(f.year, f.tertial) for f in FollowUp.objects.all()}) == 2
    assert set(FollowUp.objects.values_list("party", flat=True)) == {"kommunen", "polisen"}
    page = client.get(reverse("core:safety")).content.decode()
    assert "Trygghetsrådet Berga" in page and "<svg" in page and promise.title in page
