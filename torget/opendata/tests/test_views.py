import pytest
from django.urls import reverse

from torget.geo.tests.factories import AreaFactory
from torget.opendata import exports
from torget.opendata.tests.datasets import areas_dataset, proposals_dataset, registered
from torget.proposals.tests.factories import SigningProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def data(media):
    SigningProposalFactory(title="Cykelbana längs ån", area=AreaFactory(slug="berga"))
    with registered(areas_dataset(), proposals_dataset()):
        yield


class TestIndex:
    def test_empty_state_before_the_first_build(self, client, media):
        with registered(areas_dataset()):
            response = client.get(reverse("opendata:index"))
        assert response.status_code == 200
        text = response.content.decode()
        assert "Inga exporter byggda ännu" in text
        assert "Områden (test)" in text
        assert reverse("opendata:catalogue_ttl") in text

    def test_lists_each_dataset_with_rows_date_and_links(self, client, data):
        exports.build_all()
        response = client.get(reverse("opendata:index"))
        text = response.content.decode()
        assert "Medborgarförslag (test)" in text
        assert "Publicerade medborgarförslag." in text
        assert "1 rad" in text
        for fmt in ("csv", "json", "md"):
            assert reverse("opendata:download", kwargs={"slug": "test-forslag", "fmt": fmt}) in text
        assert reverse("opendata:catalogue_jsonld") in text
        assert reverse("opendata:proposals_atom") in text
        assert 'rel="alternate"' in text
        assert "Inga exporter byggda ännu." not in text

    def test_query_count_does_not_grow_with_datasets(
        self, client, data, django_assert_max_num_queries
    ):
        exports.build_all()
        # The municipality (context processor) and the session; nothing per dataset.
        with django_assert_max_num_queries(4):
            client.get(reverse("opendata:index"))

    def test_footer_links_to_open_data(self, client):
        response = client.get("/")
        assert reverse("opendata:index") in response.content.decode()


class TestDownload:
    @pytest.mark.parametrize(
        ("fmt", "content_type", "disposition"),
        [
            ("csv", "text/csv; charset=utf-8", "attachment"),
            ("json", "application/json", "attachment"),
            ("md", "text/markdown; charset=utf-8", "inline"),
        ],
    )
    def test_file_with_type_date_and_name(self, client, data, fmt, content_type, disposition):
        exports.build_all()
        response = client.get(
            reverse("opendata:download", kwargs={"slug": "test-forslag", "fmt": fmt})
        )
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Last-Modified"]
        assert response["Content-Disposition"].startswith(disposition)
        assert f'filename="test-forslag.{fmt}"' in response["Content-Disposition"]
        body = b"".join(response.streaming_content)
        assert body == exports.path_of("test-forslag", fmt).read_bytes()

    def test_unknown_dataset_is_404(self, client, data):
        exports.build_all()
        assert client.get("/oppna-data/finns-inte.csv").status_code == 404

    def test_registered_but_not_built_is_404(self, client, data):
        assert client.get("/oppna-data/test-forslag.csv").status_code == 404

    def test_other_suffix_or_path_tricks_are_404(self, client, data):
        exports.build_all()
        for url in (
            "/oppna-data/test-forslag.exe",
            "/oppna-data/..%2Fmanifest.json",
            "/oppna-data/manifest.json",
        ):
            assert client.get(url).status_code == 404, url

    def test_post_is_refused(self, client, data):
        exports.build_all()
        assert client.post("/oppna-data/test-forslag.csv").status_code == 405
