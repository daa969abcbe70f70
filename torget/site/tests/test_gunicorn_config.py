"""deploy/gunicorn.conf.py: sound values by default, each one changeable from the environment."""

import os
import re
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[3]
CONFIG = CHECKOUT / "deploy" / "gunicorn.conf.py"


def printed_config(**environment: str) -> dict[str, str]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "-c", str(CONFIG), "--print-config", "torget.wsgi"],
        env={"PATH": os.environ.get("PATH", ""), "TORGET_ENV": "test", **environment},
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return dict(
        re.match(r"(\w+)\s+= (.*)", line).groups()  # type: ignore[union-attr]
        for line in result.stdout.splitlines()
        if re.match(r"\w+\s+= ", line)
    )


def test_defaults_bind_to_the_loopback_with_timeouts_and_worker_recycling() -> None:
    config = printed_config()
    assert config["bind"] == "['127.0.0.1:8000']"
    assert 3 <= int(config["workers"]) <= 12
    assert config["timeout"] == "30"
    assert config["graceful_timeout"] == "30"
    assert int(config["max_requests"]) > 0 < int(config["max_requests_jitter"])
    assert config["forwarded_allow_ips"] == "['127.0.0.1', '::1']"
    assert "{x-request-id}i" in config["access_log_format"]


def test_the_environment_changes_bind_workers_and_timeout() -> None:
    config = printed_config(
        GUNICORN_BIND="127.0.0.1:8001", GUNICORN_WORKERS="3", GUNICORN_TIMEOUT="60"
    )
    assert config["bind"] == "['127.0.0.1:8001']"
    assert config["workers"] == "3"
    assert config["timeout"] == "60"
