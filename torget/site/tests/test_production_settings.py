"""Production start-up refuses a configuration that would quietly do the wrong thing.

Each case runs the settings module in a fresh interpreter, as gunicorn or `manage.py` would,
with one required variable missing or wrong, and reads the message it stops with.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[3]

# A complete production environment: every case below removes or spoils one variable.
PRODUCTION = {
    "TORGET_ENV": "production",
    "SECRET_KEY": "a-production-secret-for-this-test-only-" + "y" * 20,
    "ALLOWED_HOSTS": "torget.kommun.example",
    "CSRF_TRUSTED_ORIGINS": "https://torget.kommun.example",
    "SITE_URL": "https://torget.kommun.example",
    "EMAIL_URL": "smtp+tls://torget:secret@smtp.kommun.example:587",
    "DATABASE_URL": "postgres://torget:secret@127.0.0.1:5432/torget",
    "STATIC_ROOT": "/var/lib/torget/static",
    "MEDIA_ROOT": "/var/lib/torget/media",
}


def start(**changes: str | None) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")}
    environment |= PRODUCTION
    for name, value in changes.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    code = "import torget.settings as s; print('STARTED', s.DATABASES['default']['ENGINE'])"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=CHECKOUT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_complete_production_environment_starts() -> None:
    result = start()
    assert result.returncode == 0, result.stderr
    assert "STARTED django.db.backends.postgresql" in result.stdout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"DATABASE_URL": None}, "DATABASE_URL must be set when TORGET_ENV=production"),
        ({"SITE_URL": None}, "SITE_URL must be set to the site's public https:// address"),
        ({"SITE_URL": "http://torget.kommun.example"}, "it is http://torget.kommun.example"),
        ({"STATIC_ROOT": None}, "STATIC_ROOT must be set when TORGET_ENV=production"),
        ({"MEDIA_ROOT": None}, "MEDIA_ROOT must be set when TORGET_ENV=production"),
        ({"MEDIA_ROOT": str(CHECKOUT / "var" / "media")}, "is inside the installation"),
        ({"STATIC_ROOT": str(CHECKOUT / "static")}, "is inside the installation"),
        ({"CSRF_TRUSTED_ORIGINS": None}, "CSRF_TRUSTED_ORIGINS must be set"),
        ({"ADMINS": "Drift, IT"}, "ADMINS must be e-mail addresses"),
        ({"FILE_UPLOAD_PERMISSIONS": "rw-r--r--"}, "FILE_UPLOAD_PERMISSIONS must be octal"),
    ],
    ids=[
        "no-database",
        "no-site-url",
        "http-site-url",
        "no-static-root",
        "no-media-root",
        "media-in-checkout",
        "static-in-checkout",
        "no-csrf-origins",
        "admins-without-addresses",
        "permissions-not-octal",
    ],
)
def test_production_refuses_to_start(changes: dict[str, str | None], message: str) -> None:
    result = start(**changes)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_an_explicit_sqlite_database_is_allowed() -> None:
    result = start(DATABASE_URL="sqlite:////var/lib/torget/torget.sqlite3")
    assert result.returncode == 0, result.stderr
    assert "STARTED django.db.backends.sqlite3" in result.stdout


def test_development_keeps_its_defaults(tmp_path: Path) -> None:
    result = start(
        TORGET_ENV="dev",
        DATABASE_URL=None,
        SITE_URL=None,
        STATIC_ROOT=None,
        MEDIA_ROOT=None,
        CSRF_TRUSTED_ORIGINS=None,
        TORGET_VAR_DIR=str(tmp_path / "var"),
    )
    assert result.returncode == 0, result.stderr
    assert "STARTED django.db.backends.sqlite3" in result.stdout


def test_admins_get_server_errors_by_mail_and_log_file_adds_a_file(tmp_path: Path) -> None:
    log_file = tmp_path / "torget.log"
    code = (
        "import django, logging; django.setup();"
        "from django.conf import settings as s;"
        "print(s.ADMINS);"
        "print(sorted(type(h).__name__ for h in logging.getLogger('django.request').handlers));"
        "logging.getLogger('torget').warning('written to the file')"
    )
    environment = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "torget.settings"}
    environment |= PRODUCTION
    environment |= {"ADMINS": "Drift <drift@kommun.example>, IT <it@kommun.example>"}
    environment |= {"LOG_FILE": str(log_file), "LOG_LEVEL": "WARNING"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=CHECKOUT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    admins, handlers = result.stdout.splitlines()
    assert admins == "[('Drift', 'drift@kommun.example'), ('IT', 'it@kommun.example')]"
    assert handlers == "['AdminEmailHandler']"
    # In the production log format (JSON by default, see LOG_FORMAT).
    written = log_file.read_text()
    assert "written to the file" in written
    assert "WARNING" in written
