"""Gallring: the management command removes closed cases' personal data after the
municipality's retention period; the anonymous statistics stay the same."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from freezegun import freeze_time
from PIL import Image

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.feedback import services
from torget.feedback.models import Case, CasePhoto, CaseStatus, CaseUpdate, Kind, UpdateKind
from torget.feedback.statistics import case_statistics
from torget.feedback.tests.factories import CategoryFactory, OpinionCategoryFactory, make_case
from torget.geo.tests.factories import AreaFactory, square
from torget.organisation.models import Municipality

pytestmark = pytest.mark.django_db

NOW = "2026-11-30 03:00:00+01:00"


@pytest.fixture(autouse=True)
def municipality():
    municipality, _ = Municipality.objects.update_or_create(
        pk=Municipality.SINGLETON_PK,
        defaults={"name": "Storeby", "feedback_sla_days": 5, "feedback_retention_months": 24},
    )
    return municipality


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def handler():
    return user_with_role(Role.CONTACT_CENTRE)


def jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="foto.jpg")


def handled_case(handler, *, received, closed=None, **kwargs):
    """A case with everything personal a case can hold: a named reporter with contact
    details, free text, a photo, an internal note and answers."""
    kwargs.setdefault("category", CategoryFactory(name="Gatubelysning"))
    with freeze_time(received):
        case = make_case(
            reporter=CitizenFactory(),
            reporter_name="Anna Andersson",
            reporter_email="anna@example.se",
            reporter_phone="070-123 45 67",
            reply_channel="epost",
            description="Lampan utanför mitt hus på Storgatan 12 är släckt.",
            photos=[jpeg()],
            **kwargs,
        )
        services.case_note(case=case, actor=handler, text="Anna ringde också om grannen.")
        services.case_reply(case=case, actor=handler, text="Hej Anna, vi lagar den.")
    if closed:
        with freeze_time(closed):
            if case.is_public:
                services.case_reply(case=case, actor=handler, text="Lagad.", public=True)
            services.case_set_status(
                case=case, status=CaseStatus.objects.get(slug="atgardat"), actor=handler
            )
    case.refresh_from_db()
    return case


def run(*args):
    out = io.StringIO()
    with freeze_time(NOW):
        call_command("feedback_retention", *args, stdout=out)
    return out.getvalue()


def test_only_cases_closed_longer_ago_than_the_retention_period_are_anonymised(handler):
    # 24 months' retention, run on 30 November 2026.
    expired = handled_case(
        handler, received="2024-09-01 10:00+02:00", closed="2024-10-01 10:00+02:00"
    )
    recent = handled_case(
        handler, received="2024-12-01 10:00+01:00", closed="2025-01-15 10:00+01:00"
    )
    still_open = handled_case(handler, received="2023-01-10 10:00+01:00")

    assert run() == "Anonymised 1 case(s).\n"

    expired.refresh_from_db()
    assert expired.anonymized_at is not None
    assert expired.reporter_id is None
    assert (expired.reporter_name, expired.reporter_email, expired.reporter_phone) == ("", "", "")
    assert expired.description == "" and expired.reply_channel == "inget"
    texts = dict(CaseUpdate.objects.filter(case=expired).values_list("kind", "text"))
    assert texts[UpdateKind.NOTE] == "" and texts[UpdateKind.REPLY] == ""
    assert texts[UpdateKind.PUBLIC_REPLY] == "Lagad."  # was public anyway
    # What the statistics and the public page need stays.
    assert expired.category.name == "Gatubelysning" and expired.status.slug == "atgardat"
    assert expired.closed_at is not None and expired.first_response_at is not None

    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.anonymized_at is None
        assert kept.reporter_email == "anna@example.se"
        assert kept.description.startswith("Lampan")
        assert kept.photos.count() == 1

    assert run() == "Anonymised 0 case(s).\n"  # nothing twice


def test_the_period_is_the_municipalitys_setting(handler, municipality):
    case = handled_case(handler, received="2026-03-02 10:00+01:00", closed="2026-04-01 10:00+02:00")
    assert run() == "Anonymised 0 case(s).\n"
    municipality.feedback_retention_months = 6
    municipality.save()
    assert run() == "Anonymised 1 case(s).\n"
    case.refresh_from_db()
    assert case.anonymized_at is not None


def test_photos_files_are_deleted(handler, settings):
    case = handled_case(handler, received="2024-01-08 10:00+01:00", closed="2024-01-09 10:00+01:00")
    photo = case.photos.get()
    path = Path(settings.MEDIA_ROOT) / photo.image.name
    assert path.exists() and path.stat().st_size > 0

    run()

    assert not path.exists()
    assert not CasePhoto.objects.filter(case=case).exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.jpg"))


def test_opinions_lose_their_place_fault_reports_keep_theirs(handler):
    AreaFactory(name="Norrby", geometry=square(15.0, 58.0, 1.0))
    fault = handled_case(
        handler, received="2024-01-08 10:00+01:00", closed="2024-01-09 10:00+01:00"
    )
    opinion = handled_case(
        handler,
        received="2024-01-08 10:00+01:00",
        closed="2024-01-09 10:00+01:00",
        kind=Kind.COMPLAINT,
        category=OpinionCategoryFactory(),
        address="Hemma hos mig, Storgatan 12",
        lat=58.5,
        lon=15.5,
    )
    assert opinion.has_point and fault.has_point
    run()
    fault.refresh_from_db()
    opinion.refresh_from_db()
    assert fault.has_point and fault.area.name == "Norrby"
    assert opinion.address == "" and not opinion.has_point


def test_a_dry_run_counts_what_would_go_and_changes_nothing(handler, settings):
    handled_case(handler, received="2024-01-08 10:00+01:00", closed="2024-01-09 10:00+01:00")
    handled_case(handler, received="2024-02-08 10:00+01:00", closed="2024-03-09 10:00+01:00")
    handled_case(handler, received="2026-01-08 10:00+01:00", closed="2026-01-09 10:00+01:00")

    assert run("--dry-run") == "2 case(s) would be anonymised (dry run, nothing changed).\n"
    assert not Case.objects.filter(anonymized_at__isnull=False).exists()
    assert CasePhoto.objects.count() == 3
    assert len(list(Path(settings.MEDIA_ROOT).rglob("*.jpg"))) == 3
    # The real run agrees with the dry run.
    assert run() == "Anonymised 2 case(s).\n"


def test_statistics_are_the_same_before_and_after(handler):
    AreaFactory(name="Norrby", geometry=square(15.0, 58.0, 1.0))
    school = OpinionCategoryFactory(name="Skolmat")
    handled_case(handler, received="2024-01-08 10:00+01:00", closed="2024-01-19 15:00+01:00")
    handled_case(handler, received="2024-02-12 10:00+01:00", closed="2024-02-13 10:00+01:00")
    handled_case(
        handler,
        received="2024-02-15 10:00+01:00",
        closed="2024-03-01 10:00+01:00",
        kind=Kind.COMPLAINT,
        category=school,
    )
    handled_case(handler, received="2024-03-04 10:00+01:00")  # still open

    def figures():
        with freeze_time(NOW):
            return case_statistics(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31))

    before = figures()
    assert run() == "Anonymised 3 case(s).\n"
    after = figures()

    assert after == before
    assert before.total == 4 and before.closed == 3
    assert {row.label: row.count for row in after.per_area} == {"Norrby": 3, "Utan område": 1}
    assert after.resolution_days.count == 3
