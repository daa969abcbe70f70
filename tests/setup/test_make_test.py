"""A fresh machine: `make test` installs what the suite needs itself (Debian's chromium for the
browser journeys) when it may, and otherwise stops with one line that names the one command.

`id`, `sudo` and `apt-get` are stand-ins on PATH, so nothing is installed for real."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


def _make_chromium(tmp_path: Path, *, uid: int, sudo_ok: bool) -> subprocess.CompletedProcess:
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    log = tmp_path / "apt.log"
    _stub(bin_, "id", f"echo {uid}")
    _stub(
        bin_,
        "sudo",
        'if [ "$1" = -n ] && [ "$2" = true ]; then exit '
        + ("0" if sudo_ok else "1")
        + '; fi\nshift; exec "$@"',
    )
    _stub(bin_, "apt-get", f'echo "$@" >> {log}')
    env = {**os.environ, "PATH": f"{bin_}:{os.environ['PATH']}"}
    env.pop("MAKEFLAGS", None)
    env.pop("TORGET_E2E_CHROMIUM", None)
    return subprocess.run(  # noqa: S603 (our own Makefile, fixed arguments)
        ["make", "-s", "--no-print-directory", "chromium", f"CHROMIUM={tmp_path / 'none'}"],  # noqa: S607
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(("uid", "sudo_ok"), [(0, False), (1000, True)])
def test_make_test_installs_debian_chromium_when_missing_and_allowed(tmp_path, uid, sudo_ok):
    result = _make_chromium(tmp_path, uid=uid, sudo_ok=sudo_ok)
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert calls == ["update -qq", "install -y -qq chromium"]


def test_make_test_without_chromium_or_rights_stops_with_one_line_naming_the_command(tmp_path):
    result = _make_chromium(tmp_path, uid=1000, sudo_ok=False)
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "sudo apt-get install -y chromium" in lines[0]
    assert not (tmp_path / "apt.log").exists()


def test_make_test_depends_on_chromium_and_the_readme_keeps_two_commands():
    makefile = (ROOT / "Makefile").read_text()
    assert "\ntest: install chromium pango\n" in makefile
    readme = (ROOT / "README.md").read_text()
    setup = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in setup.splitlines() if line.strip()] == [
        ["make", "run"],
        ["make", "test"],
    ]


def test_make_test_spreads_the_suite_over_the_cores_and_pytest_args_come_last():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ntest: install chromium pango\n", 1)[1].split("\n\n", 1)[0]
    # Tests go to the workers one by one in pytest-django's order (the tests that flush the
    # database last), but a module marked xdist_group (fuzz, authz: one demo per module) whole.
    assert "-m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)\n" in recipe + "\n"
    # PYTEST_ARGS="-n 0 -k foo" runs a few tests in one process: the last -n wins.
    assert "\nTEST_WORKERS ?= " in makefile
