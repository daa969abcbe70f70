"""Nothing personal in the open data: the exports of every registered dataset (the real ones
once torget.api registers them, and this test's own), the catalogue and every feed, built
from the demo municipality, scanned for e-mail addresses, mobile numbers, personal identity
numbers and the names of private persons."""

import pytest
from django.urls import reverse

from torget.opendata import exports, feeds
from torget.opendata.tests.datasets import areas_dataset, proposals_dataset, registered
from torget.organisation.selectors import municipality_get
from torget.testing.privacy import private_names, scan

pytestmark = pytest.mark.django_db


def _names_typed_by_citizens() -> list[str]:
    """Names citizens gave without an account behind them: the shown name of a proposal
    registered on paper or at the service desk, a meeting registration's name. (A proposal
    from a dialogue meeting is shown under the meeting's participants, no one's name.)"""
    from torget.meetings.models import Registration
    from torget.proposals.models import Origin, Proposal

    assisted = Proposal.objects.filter(origin=Origin.ASSISTED)
    return list(assisted.values_list("author_name", flat=True)) + list(
        Registration.objects.values_list("name", flat=True)
    )


def test_exports_catalogue_and_feeds_of_the_demo_hold_nothing_personal(
    demo, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with registered(areas_dataset(), proposals_dataset()):
        exports.build_all()
        names = private_names(_names_typed_by_citizens())
        assert len(names) > 3  # the demo has citizens, so the scan looks for something
        allowed = [
            email for email in (municipality_get().email, settings.OPEN_DATA_CONTACT_EMAIL) if email
        ]
        findings = []
        files = sorted(exports.folder().iterdir())
        assert len(files) >= 7  # three files per dataset and the manifest
        for path in files:
            findings += scan(
                path.read_text(encoding="utf-8"),
                where=path.name,
                names=names,
                allowed_emails=allowed,
            )
        pages = [
            reverse("opendata:index"),
            reverse("opendata:catalogue_ttl"),
            reverse("opendata:catalogue_jsonld"),
        ]
        pages += [
            reverse(f"opendata:{stem}_{flavour}")
            for stem, _word, _cls in feeds.FEEDS
            for flavour in ("rss", "atom")
        ]
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            findings += scan(
                response.content.decode(), where=url, names=names, allowed_emails=allowed
            )
    assert findings == [], "\n".join(str(finding) for finding in findings)
