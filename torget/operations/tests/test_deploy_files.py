"""The files in deploy/ are checked by the tools that will read them: nginx (`nginx -t`, and a
real nginx run against a stand-in app server), systemd-analyze, and a YAML parser for the
compose file. Debian's nginx is at /usr/sbin/nginx (CI installs it, see .ci/run)."""

import http.client
import http.server
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
DEPLOY = REPO / "deploy"
NGINX = "/usr/sbin/nginx"

needs_nginx = pytest.mark.skipif(
    not os.access(NGINX, os.X_OK),
    reason=f"needs Debian's nginx at {NGINX} (apt-get install nginx; CI installs it)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=torget.example.se",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def _main_conf(prefix: Path, site: Path) -> Path:
    """An nginx.conf of our own around a site file, everything under `prefix`."""
    (prefix / "logs").mkdir(exist_ok=True)
    (prefix / "temp").mkdir(exist_ok=True)
    # As root, nginx's workers would run as nobody, who may not enter pytest's temp folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"""{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    include {site};
}}
"""
    )
    return conf


def _site(prefix: Path, **ports: int) -> Path:
    """deploy/nginx/torget.conf with its paths moved under `prefix` (and its ports moved, for
    a run): the file itself, otherwise as shipped."""
    cert, key = _certificate(prefix)
    text = (DEPLOY / "nginx" / "torget.conf").read_text()
    text = text.replace("/etc/ssl/torget/fullchain.pem", str(cert))
    text = text.replace("/etc/ssl/torget/privkey.pem", str(key))
    text = text.replace("/etc/nginx/torget-proxy.conf", str(DEPLOY / "nginx" / "torget-proxy.conf"))
    text = text.replace("/var/lib/torget/", f"{prefix}/lib/")
    text = text.replace("/var/www/acme", f"{prefix}/acme")
    if ports:
        text = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)
        text = text.replace("listen 80;", f"listen 127.0.0.1:{ports['http']};")
        text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{ports['https']} ssl")
        text = text.replace("127.0.0.1:8001", f"127.0.0.1:{ports['app']}")
        text = text.replace("127.0.0.1:8002", f"127.0.0.1:{ports['app']}")
    site = prefix / "torget.conf"
    site.write_text(text)
    return site


def _nginx_t(conf: Path, prefix: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-p", f"{prefix}/"],
        capture_output=True,
        text=True,
        timeout=60,
    )


@needs_nginx
class TestNginxSyntax:
    def test_the_site_passes_nginx_t(self, tmp_path):
        result = _nginx_t(_main_conf(tmp_path, _site(tmp_path)), tmp_path)
        assert result.returncode == 0, result.stderr
        assert "test is successful" in result.stderr

    def test_the_compose_site_passes_nginx_t(self, tmp_path):
        text = (DEPLOY / "nginx" / "compose.conf").read_text()
        text = text.replace("server web:8000;", "server 127.0.0.1:8000;")
        text = text.replace("listen 80;", f"listen 127.0.0.1:{_free_port()};")
        text = text.replace(
            "/etc/nginx/torget-proxy.conf", str(DEPLOY / "nginx" / "torget-proxy.conf")
        )
        site = tmp_path / "compose.conf"
        site.write_text(text)
        result = _nginx_t(_main_conf(tmp_path, site), tmp_path)
        assert result.returncode == 0, result.stderr

    def test_a_broken_site_fails_the_check(self, tmp_path):
        # The check above means something: nginx -t does refuse a bad site.
        site = _site(tmp_path)
        site.write_text(
            site.read_text().replace("client_max_body_size 35m;", "client_max_body_size;")
        )
        assert _nginx_t(_main_conf(tmp_path, site), tmp_path).returncode != 0


def test_nginx_takes_the_largest_form_the_site_allows():
    from torget.core.images import MAX_UPLOAD_BYTES
    from torget.feedback.services import MAX_PHOTOS
    from torget.meetings.documents import MAX_ATTACHMENT_BYTES
    from torget.proposals.staff_forms import DECISION_DOCUMENT_MAX_BYTES

    for name in ("torget.conf", "compose.conf"):
        text = (DEPLOY / "nginx" / name).read_text()
        (limit,) = re.findall(r"client_max_body_size (\d+)m;", text)
        allowed = int(limit) * 1024 * 1024
        # The files, and room for the form's other fields and the multipart boundaries.
        assert allowed >= MAX_PHOTOS * MAX_UPLOAD_BYTES + 1024 * 1024, name
        assert allowed >= MAX_ATTACHMENT_BYTES + 1024 * 1024, name
        assert allowed >= DECISION_DOCUMENT_MAX_BYTES + 1024 * 1024, name


class _StandInApp(http.server.BaseHTTPRequestHandler):
    """Torget's part in the nginx run: answers with the headers it was sent, or hands a file
    to nginx as Torget's serve_file does (X-Accel-Redirect)."""

    protocol_version = "HTTP/1.1"

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.startswith("/accel/"):
            name = self.path.removeprefix("/accel/")
            attachment = not name.endswith((".jpg", ".pdf"))
            self._answer(
                200,
                b"",
                {
                    "X-Accel-Redirect": f"/protected-media/{name}",
                    "Content-Disposition": f'{"attachment" if attachment else "inline"}; filename="{name}"',
                },
            )
            return
        body = json.dumps({"path": self.path, "headers": dict(self.headers.items())}).encode()
        self._answer(200, body, {"Content-Type": "application/json"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        received = 0
        while received < length:
            received += len(self.rfile.read(min(65536, length - received)))
        self._answer(200, json.dumps({"received": received}).encode(), {})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nginx_site(tmp_path):
    """deploy/nginx/torget.conf running, on free ports, in front of the stand-in app."""
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StandInApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    ports = {"http": _free_port(), "https": _free_port(), "app": app.server_address[1]}
    media = tmp_path / "lib" / "media"
    (media / "municipality").mkdir(parents=True)
    (media / "uploads").mkdir()
    (tmp_path / "lib" / "static").mkdir()
    (media / "municipality" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n logo")
    (media / "uploads" / "photo.jpg").write_bytes(b"\xff\xd8\xff photo")
    (media / "uploads" / "evil.html").write_text("<script>alert(document.cookie)</script>")
    (tmp_path / "lib" / "static" / "site.abc123.css").write_text("body{}")
    conf = _main_conf(tmp_path, _site(tmp_path, **ports))
    server = subprocess.Popen(  # noqa: S603
        [NGINX, "-c", str(conf), "-p", f"{tmp_path}/", "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", ports["https"]), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"nginx did not start: {server.stderr.read().decode()}")
                time.sleep(0.1)
        yield ports
    finally:
        server.terminate()
        server.wait(timeout=30)
        app.shutdown()


def _https(ports, method, path, body=None, headers=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection(
        "127.0.0.1", ports["https"], context=context, timeout=30
    )
    connection.request(
        method, path, body=body, headers={"Host": "torget.example.se"} | (headers or {})
    )
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response, content


@needs_nginx
class TestNginxRun:
    def test_plain_http_goes_to_https(self, nginx_site):
        connection = http.client.HTTPConnection("127.0.0.1", nginx_site["http"], timeout=30)
        connection.request("GET", "/forslag/?sida=2", headers={"Host": "torget.example.se"})
        response = connection.getresponse()
        assert response.status == 301
        assert response.getheader("Location") == "https://torget.example.se/forslag/?sida=2"

    def test_pages_reach_the_app_with_the_proxy_headers_and_a_request_id(self, nginx_site):
        response, content = _https(
            nginx_site, "GET", "/om/", headers={"X-Forwarded-For": "10.9.9.9"}
        )
        assert response.status == 200
        assert "max-age=63072000" in response.getheader("Strict-Transport-Security")
        sent = {k.lower(): v for k, v in json.loads(content)["headers"].items()}
        assert re.fullmatch(r"[0-9a-f]{32}", sent["x-request-id"])
        # nginx appends the address it saw; Torget reads from the right (CLIENT_IP_HEADER).
        assert sent["x-forwarded-for"] == "10.9.9.9, 127.0.0.1"
        assert sent["x-forwarded-proto"] == "https"
        assert sent["host"] == "torget.example.se"

    def test_static_files_are_cached_for_long(self, nginx_site):
        response, content = _https(nginx_site, "GET", "/static/site.abc123.css")
        assert response.status == 200
        assert content == b"body{}"
        assert "immutable" in response.getheader("Cache-Control")
        assert response.getheader("Strict-Transport-Security")

    def test_only_the_logo_is_served_from_media(self, nginx_site):
        logo, _content = _https(nginx_site, "GET", "/media/municipality/logo.png")
        assert logo.status == 200
        assert logo.getheader("Content-Type") == "image/png"
        assert logo.getheader("X-Content-Type-Options") == "nosniff"
        hidden, _content = _https(nginx_site, "GET", "/media/uploads/photo.jpg")
        assert hidden.status == 404
        internal, _content = _https(nginx_site, "GET", "/protected-media/uploads/photo.jpg")
        assert internal.status == 404

    def test_an_upload_torget_allows_is_sent_by_nginx_with_a_safe_type(self, nginx_site):
        photo, content = _https(nginx_site, "GET", "/accel/uploads/photo.jpg")
        assert photo.status == 200
        assert content == b"\xff\xd8\xff photo"
        assert photo.getheader("Content-Type") == "image/jpeg"
        assert photo.getheader("X-Content-Type-Options") == "nosniff"

    def test_an_active_file_is_a_download_never_a_page(self, nginx_site):
        response, _content = _https(nginx_site, "GET", "/accel/uploads/evil.html")
        assert response.status == 200
        assert response.getheader("Content-Type") == "application/octet-stream"
        assert response.getheader("Content-Disposition").startswith("attachment")
        assert "sandbox" in response.getheader("Content-Security-Policy")

    def test_a_fault_report_with_three_large_photos_gets_through(self, nginx_site):
        body = b"x" * (31 * 1024 * 1024)
        response, content = _https(nginx_site, "POST", "/felanmalan/ny/", body=body)
        assert response.status == 200
        assert json.loads(content)["received"] == len(body)

    def test_a_body_beyond_any_form_is_refused_by_nginx(self, nginx_site):
        response, _content = _https(
            nginx_site, "POST", "/felanmalan/ny/", body=b"x" * (36 * 1024 * 1024)
        )
        assert response.status == 413


# --- systemd ------------------------------------------------------------------------------------


def _systemd_analyze() -> str | None:
    return shutil.which("systemd-analyze")


@pytest.mark.skipif(
    _systemd_analyze() is None, reason="systemd-analyze is not installed here (Debian: systemd)"
)
def test_the_units_pass_systemd_analyze_verify(tmp_path):
    """With the install path moved to this checkout, so the programs they start exist here."""
    units = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        text = unit.read_text().replace("/opt/torget", str(REPO))
        # A template is checked as one of its instances.
        name = unit.name.replace("@.service", "@8001.service")
        (tmp_path / name).write_text(text)
        units.append(str(tmp_path / name))
    assert len(units) == 3
    result = subprocess.run(
        [_systemd_analyze(), "verify", "--man=no", *units],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0 and "Failed to" in result.stderr and "bus" in result.stderr:
        pytest.skip(f"systemd-analyze cannot run in this container: {result.stderr.strip()}")
    # Unknown keys and bad values are only warnings: any output at all is a finding.
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


def test_the_units_run_torget_as_its_own_user_with_hardening():
    for unit in (DEPLOY / "systemd").glob("*.service"):
        text = unit.read_text()
        for line in (
            "User=torget",
            "EnvironmentFile=/etc/torget/torget.env",
            "NoNewPrivileges=true",
            "ProtectSystem=strict",
            "PrivateTmp=true",
            "ReadWritePaths=/var/lib/torget/media /var/lib/torget/var",
        ):
            assert line in text.splitlines(), f"{unit.name}: {line}"
    worker = (DEPLOY / "systemd" / "torget-worker.service").read_text()
    assert "manage.py run_worker" in worker
    assert "Restart=always" in worker.splitlines()
    web = (DEPLOY / "systemd" / "torget-web@.service").read_text()
    assert "-c /opt/torget/deploy/gunicorn.conf.py torget.wsgi" in web
    assert "Environment=GUNICORN_BIND=127.0.0.1:%i" in web.splitlines()


# --- Container ----------------------------------------------------------------------------------


def test_the_compose_file_runs_torget_with_postgresql_and_redis():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) >= {"db", "redis", "migrate", "web", "worker", "nginx"}
    assert services["db"]["image"].endswith("postgres:15")
    assert services["redis"]["image"].endswith("redis:7")
    for name in ("migrate", "web", "worker"):
        service = services[name]
        assert service["build"]["dockerfile"] == "deploy/Containerfile"
        assert (DEPLOY / service["build"]["context"] / service["build"]["dockerfile"]).is_file()
        environment = service["environment"]
        assert environment["TORGET_ENV"] == "production"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "@db:5432/" in environment["DATABASE_URL"]
        assert environment["CACHE_URL"].startswith("redis://redis:")
    assert services["worker"]["command"] == ["python", "manage.py", "run_worker"]
    assert "gunicorn" in services["web"]["command"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["nginx"]["profiles"] == ["nginx"]
    # Every named volume is declared, and every file mounted is in deploy/.
    declared = set(compose["volumes"])
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).is_file(), source
            else:
                assert source in declared, source


def test_the_image_is_built_for_production_and_runs_as_a_user():
    text = (DEPLOY / "Containerfile").read_text()
    instructions = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert instructions[0] == "FROM python:3.11-slim-bookworm"
    assert "compile_translations" in text
    assert "collectstatic --noinput" in text
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    # The last USER comes before the command, so the app never runs as root.
    cmd = next(i for i, line in enumerate(instructions) if line.startswith("CMD "))
    assert max(i for i, line in enumerate(instructions) if line.startswith("USER ")) < cmd
    assert json.loads(instructions[cmd].removeprefix("CMD ")) == [
        "gunicorn",
        "-c",
        "deploy/gunicorn.conf.py",
        "torget.wsgi",
    ]
    ignored = (REPO / ".containerignore").read_text().splitlines()
    assert ".git" in ignored and ".venv" in ignored and "var" in ignored
