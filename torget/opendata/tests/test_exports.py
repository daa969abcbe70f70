import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from torget.geo.tests.factories import AreaFactory
from torget.opendata import exports
from torget.opendata.tests.datasets import areas_dataset, proposals_dataset, registered
from torget.proposals.tests.factories import ProposalFactory, SigningProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def data(media):
    area = AreaFactory(name="Berga", slug="berga")
    published = SigningProposalFactory(title='Cykelbana, "säker" längs ån', area=area)
    waiting = ProposalFactory(title="Väntar på granskning")
    with registered(areas_dataset(), proposals_dataset()):
        yield {"area": area, "published": published, "waiting": waiting}


class TestBuild:
    def test_each_dataset_gets_csv_json_and_readme_and_the_manifest_lists_them(self, data, media):
        built = exports.build_all()
        folder = media / "opendata"
        for slug in ("test-omraden", "test-forslag"):
            for suffix in ("csv", "json", "md"):
                assert (folder / f"{slug}.{suffix}").is_file()
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest == json.loads(json.dumps(built))
        entry = manifest["datasets"]["test-forslag"]
        assert entry["rows"] == 1
        assert entry["built_at"]
        for fmt, file in entry["files"].items():
            content = (folder / file["name"]).read_bytes()
            assert file["bytes"] == len(content), fmt
            assert file["sha256"] == hashlib.sha256(content).hexdigest(), fmt
        assert entry["bytes"] == sum(file["bytes"] for file in entry["files"].values())
        # No temporary file is left behind.
        assert not [path for path in folder.iterdir() if path.name.startswith(".")]

    def test_csv_has_a_header_and_flattens_nested_values(self, data, media):
        exports.build_all()
        text = (media / "opendata" / "test-forslag.csv").read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert list(rows[0]) == [
            "id",
            "title",
            "body",
            "status",
            "published_at",
            "support_count",
            "area.slug",
            "area.name",
            "area.kind",
            "topic.slug",
            "topic.name",
            "tags",
        ]
        assert len(rows) == 1
        row = rows[0]
        assert row["title"] == 'Cykelbana, "säker" längs ån'
        assert row["area.slug"] == "berga"
        assert json.loads(row["tags"]) == ["cykel", "skola"]
        assert row["id"] == str(data["published"].pk)

    def test_json_is_the_serializers_output_and_only_public_rows(self, data, media):
        exports.build_all()
        rows = json.loads((media / "opendata" / "test-forslag.json").read_text(encoding="utf-8"))
        assert [row["id"] for row in rows] == [data["published"].pk]
        assert rows[0]["area"] == {"slug": "berga", "name": "Berga", "kind": data["area"].kind}
        assert "Väntar på granskning" not in json.dumps(rows, ensure_ascii=False)

    def test_empty_dataset_gives_a_header_and_an_empty_list(self, media):
        from torget.opendata.tests.datasets import proposals_dataset as make

        with registered(make()):
            exports.build_all()
        assert (
            (media / "opendata" / "test-forslag.csv")
            .read_text(encoding="utf-8")
            .startswith("id,title,")
        )
        assert (
            json.loads((media / "opendata" / "test-forslag.json").read_text(encoding="utf-8")) == []
        )

    def test_readme_describes_every_field_and_the_licence(self, data, media, settings):
        settings.OPEN_DATA_LICENSE = "https://example.org/licens"
        exports.build_all()
        text = (media / "opendata" / "test-forslag.md").read_text(encoding="utf-8")
        assert text.startswith("# Medborgarförslag (test)")
        for field in ("`id`", "`title`", "`area.slug`", "`topic.name`", "`tags`"):
            assert field in text
        assert "Ämnets namn" in text
        assert "med streck" in text and "\\|" in text  # a | in a help text does not break the table
        assert "https://example.org/licens" in text
        assert "Antal rader: 1" in text
        assert f"Byggd: {timezone.localdate().isoformat()}" in text

    def test_a_second_build_replaces_the_files(self, data, media):
        exports.build_all()
        SigningProposalFactory(title="Ett till förslag")
        exports.build_all()
        assert exports.manifest()["datasets"]["test-forslag"]["rows"] == 2

    def test_first_build_time_is_kept(self, data, media):
        first = exports.build_all()
        second = exports.build_all()
        assert second["first_built_at"] == first["first_built_at"]

    def test_files_of_a_dataset_no_longer_registered_are_removed(self, media):
        with registered(areas_dataset()):
            exports.build_all()
        assert (media / "opendata" / "test-omraden.csv").exists()
        exports.build_all()
        assert not (media / "opendata" / "test-omraden.csv").exists()
        assert "test-omraden" not in exports.manifest()["datasets"]

    def test_a_failed_build_leaves_the_old_file(self, data, media, monkeypatch):
        exports.build_all()
        path = media / "opendata" / "test-forslag.json"
        before = path.read_bytes()

        def broken(dataset):
            yield {"id": 1}
            raise RuntimeError("the database went away")

        monkeypatch.setattr(exports, "serialised_rows", broken)
        with pytest.raises(RuntimeError):
            exports.build_all()
        assert path.read_bytes() == before
        assert not [p for p in Path(path.parent).iterdir() if p.name.startswith(".")]

    def test_unreadable_manifest_reads_as_never_built(self, media):
        (media / "opendata").mkdir()
        (media / "opendata" / "manifest.json").write_text("{not json")
        assert exports.manifest() == {"built_at": None, "datasets": {}}

    def test_rows_are_serialised_in_chunks(self, data, media, monkeypatch):
        monkeypatch.setattr(exports, "CHUNK", 2)
        for number in range(4):
            SigningProposalFactory(title=f"Förslag {number}")
        exports.build_all()
        rows = json.loads((media / "opendata" / "test-forslag.json").read_text(encoding="utf-8"))
        assert len(rows) == 5


class TestCommandAndSchedule:
    def test_command_builds_and_reports(self, data, media):
        out = io.StringIO()
        call_command("build_open_data", stdout=out)
        assert "test-forslag" in out.getvalue()
        assert (media / "opendata" / "manifest.json").exists()

    def test_worker_sweep_builds_once_a_night(self, data, media):
        from django.apps import apps

        from torget.testing.worker import run_queued_tasks

        config = apps.get_app_config("opendata")
        assert config.on_tick() == {"queued": True}
        run_queued_tasks()
        assert "test-forslag" in exports.manifest()["datasets"]
        (media / "opendata" / "manifest.json").unlink()
        assert config.on_tick() == {}  # not due again until the build hour
        run_queued_tasks()
        assert not (media / "opendata" / "manifest.json").exists()

    def test_next_build_is_at_the_configured_hour(self, settings):
        settings.OPEN_DATA_BUILD_HOUR = 3
        now = timezone.make_aware(timezone.datetime(2026, 12, 4, 2, 0))
        assert exports.next_build_time(now) == timezone.make_aware(
            timezone.datetime(2026, 12, 4, 3, 0)
        )
        later = timezone.make_aware(timezone.datetime(2026, 12, 4, 3, 0))
        assert exports.next_build_time(later) == timezone.make_aware(
            timezone.datetime(2026, 12, 5, 3, 0)
        )

    def test_demo_builds_the_exports_after_every_other_loader(self):
        from torget.core import demo

        assert demo.loaders()[-1].name == "opendata"
