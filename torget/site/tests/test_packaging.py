"""`pip install` of Torget works outside the checkout: the wheel carries what the site needs
besides its Python modules, and the site finds it there.

Builds the wheel once (some 10–30 s: pip sets up its own build environment), lists it, and
starts Django from the unpacked wheel in a folder far from the checkout.
"""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

# The wheel is the same whatever the database: built in the SQLite run only.
pytestmark = pytest.mark.database_independent

CHECKOUT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    # Built from a copy, so that setuptools' build/ and egg-info folders stay out of the
    # checkout (and an old build/ cannot put a deleted file in the wheel).
    source = folder / "source"
    shutil.copytree(
        CHECKOUT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", "build", "*.egg-info", "node_modules", "__pycache__", ".*_cache"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), "."],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = folder.glob("torget-*.whl")
    return built


def test_the_wheel_holds_templates_static_files_translations_migrations_and_demo_data(
    wheel: Path,
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in [
        "torget/templates/base.html",
        "torget/proposals/templates/proposals/create.html",
        "torget/core/static/torget/map.js",
        "torget/core/static/vendor/leaflet/leaflet.css",
        "torget/locale/en/LC_MESSAGES/django.po",
        "torget/accounts/migrations/0001_initial.py",
        "torget/geo/demo_data/areas.geojson",
    ]:
        assert expected in names, f"{expected} is not in the wheel"
    # Every tracked file under torget/ (the source of all the above) is in it.
    tracked = subprocess.run(
        ["git", "ls-files", "torget"], cwd=CHECKOUT, capture_output=True, text=True, check=False
    )
    if tracked.returncode == 0 and tracked.stdout:
        missing = sorted(set(tracked.stdout.split()) - names)
        assert missing == [], "tracked files left out of the wheel"


def test_the_wheel_offers_the_torget_command(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    (entry_points,) = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
    assert "torget = torget.__main__:main" in archive.read(entry_points).decode()


def test_the_site_finds_its_files_in_the_installed_package(wheel: Path, tmp_path: Path) -> None:
    installed = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(installed)
    code = """
import django, pathlib
django.setup()
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.migrations.loader import MigrationLoader
from django.template.loader import get_template
import torget
print("package", pathlib.Path(torget.__file__).parent)
print("template", get_template("base.html").origin.name)
print("static", finders.find("torget/map.js"))
print("locale", pathlib.Path(settings.LOCALE_PATHS[0], "en/LC_MESSAGES/django.po").is_file())
print("migrations", len(MigrationLoader(None, ignore_no_migrations=True).disk_migrations))
"""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(installed),
        "DJANGO_SETTINGS_MODULE": "torget.settings",
        "TORGET_ENV": "test",
        "TORGET_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    package = installed / "torget"
    assert lines["package"] == str(package)
    assert lines["template"].startswith(str(package))
    assert lines["static"].startswith(str(package))
    assert lines["locale"] == "True"
    assert int(lines["migrations"]) > 50
