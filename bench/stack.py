"""A whole Torget installation on the loopback, for the load, fault and restore proofs.

Brings up, in a temporary folder and on ports of its own (never the machine's own PostgreSQL
or Redis): PostgreSQL, Redis, optionally PgBouncer in transaction mode in front of
PostgreSQL, the database migrated and filled with the demo, N gunicorn app servers behind
nginx (one upstream, as in production), M workers on the same queue, and an SMTP sink that
records every message it accepts (so a script can count messages and find duplicates).
Everything is stopped and the folder removed at the end; the logs of the last run (app
servers, workers, nginx, PostgreSQL) are kept in $TMPDIR/torget-stack-logs/.

As a library (the other bench scripts use it):

    with Stack(servers=2, workers=2, pgbouncer=True) as stack:
        requests.get(stack.url + "/")

From the command line, to look at it or point another tool at it:

    .venv/bin/python bench/stack.py --servers 2 --workers 2 --pgbouncer   # Ctrl-C stops it

PgBouncer: Debian 12's is 1.18, which cannot keep prepared statements in transaction mode
(1.21 can, with max_prepared_statements), so behind it DATABASE_PREPARED_STATEMENTS=false;
and no pooler in transaction mode keeps a server-side cursor between statements, so
DATABASE_SERVER_SIDE_CURSORS=false.
PostgreSQL and PgBouncer refuse to run as root: when run as root, they run as the
`postgres` system user.
"""

import argparse
import email
import hashlib
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PYTHON = sys.executable
DATABASE = "torget"
# Migrated demo databases (PostgreSQL data folders), reused while migrations and demo are as
# they were. Delete the folder to force a fresh one.
CACHE_DIR = Path(os.environ.get("TORGET_STACK_CACHE", tempfile.gettempdir())) / "torget-stack-cache"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(
    port: int, seconds: float = 60, process: "subprocess.Popen[bytes] | None" = None
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds:.0f} s")


def _as_postgres() -> dict[str, Any]:
    """PostgreSQL and PgBouncer will not run as root: drop to the postgres user if we are."""
    if os.geteuid() != 0:
        return {}
    import pwd

    user = pwd.getpwnam("postgres")
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


def _chown_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


# --- What citizens send ---------------------------------------------------------------------

BOUNDARY = "torgetbenchboundary7d2f"
CSRF = "benchbenchbenchbenchbenchbench32"
FAULT_TEXT = "Gatlyktan utanför porten lyser inte sedan i måndags."


def small_jpeg() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 160, 90)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def fault_body(category_id: int) -> bytes:
    fields = {
        "csrfmiddlewaretoken": CSRF,
        "category": str(category_id),
        "address": "Storgatan 12",
        "description": FAULT_TEXT,
        "reply_channel": "epost",
        "reporter_email": "anmalare@example.se",
    }
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; filename="lykta.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + small_jpeg()
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def fault_category() -> Any:
    """A fault report category of the demo without required extra questions (Django set up)."""
    from torget.feedback.models import Category, CategoryUse

    return next(
        c for c in Category.objects.filter(is_active=True, use=CategoryUse.FAULT).order_by("pk")
        if not c.attributes.filter(required=True).exists()
    )  # fmt: skip


def post_fault(url: str, body: bytes, session: Any = None) -> tuple[int, str]:
    """A citizen sends a fault report through the web form: (status, receipt token or "")."""
    import requests

    response = (session or requests).post(
        url + "/felanmalan/",
        data=body,
        headers={
            "Cookie": f"csrftoken={CSRF}",
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        },
        allow_redirects=False,
        timeout=120,
    )
    location = response.headers.get("Location", "")
    token = location.split("/arende/", 1)[1].split("/", 1)[0] if "/arende/" in location else ""
    return response.status_code, token


def verdict(ok: bool, what: str) -> None:
    print(f"{'PASS' if ok else 'FAIL'}: {what}", flush=True)
    sys.exit(0 if ok else 1)


# --- The SMTP sink ----------------------------------------------------------------------------


def message_key(data: bytes, recipient: str) -> str:
    """What makes a message the same message: its recipient, subject and body. Torget sends
    each delivery (one notification to one address) once; the same key twice is a duplicate."""
    parsed = email.message_from_bytes(data)
    parts = [recipient.lower(), str(parsed.get("Subject", ""))]
    for part in parsed.walk():
        if part.get_content_type() == "text/plain":
            parts.append(str(part.get_payload(decode=True)))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _smtp_sink(port: int, log: str, delay: float) -> None:
    """A real SMTP server that accepts everything and writes one line per recipient
    (key, recipient) to `log`."""
    import asyncio

    from aiosmtpd.controller import Controller

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            if delay:  # a slow mail server: a worker's batch takes a while
                await asyncio.sleep(delay)
            with open(log, "a") as out:
                for recipient in envelope.rcpt_tos:
                    out.write(f"{message_key(envelope.content, recipient)} {recipient}\n")
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        asyncio.run(asyncio.sleep(10**7))
    finally:
        controller.stop()


class SmtpSink:
    def __init__(self, port: int, log: Path, delay: float = 0) -> None:
        self.port, self.log, self.delay = port, log, delay
        self.process: multiprocessing.Process | None = None
        log.touch()

    def start(self) -> None:
        self.process = multiprocessing.Process(
            target=_smtp_sink, args=(self.port, str(self.log), self.delay), daemon=True
        )
        self.process.start()
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.join(10)
            self.process = None

    def messages(self) -> list[tuple[str, str]]:
        return [
            tuple(line.split(" ", 1))  # type: ignore[misc]
            for line in self.log.read_text().splitlines()
            if line
        ]

    def duplicates(self) -> int:
        keys = [key for key, _ in self.messages()]
        return len(keys) - len(set(keys))


# --- The stack --------------------------------------------------------------------------------


class Stack:
    def __init__(
        self,
        *,
        servers: int = 1,
        workers: int = 1,
        server_processes: int = 4,
        pgbouncer: bool = False,
        demo: bool = True,
        media_root: Path | None = None,
        extra_env: dict[str, str] | None = None,
        keep: bool = False,
        quiet: bool = True,
        smtp_delay: float = 0,
    ) -> None:
        self.servers, self.workers_wanted = servers, workers
        self.server_processes = server_processes
        self.use_pgbouncer, self.demo, self.keep, self.quiet = pgbouncer, demo, keep, quiet
        self.dir = Path(tempfile.mkdtemp(prefix="torget-stack-"))
        os.chmod(self.dir, 0o755)  # noqa: S103 — the postgres user reads its sub-folders
        self.pg_port, self.redis_port, self.bouncer_port = free_port(), free_port(), free_port()
        self.smtp_port, self.nginx_port = free_port(), free_port()
        self.server_ports = [free_port() for _ in range(servers)]
        self.media_root = media_root or self.dir / "media"
        self.media_root.mkdir(parents=True, exist_ok=True)
        self.extra_env = extra_env or {}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.worker_processes: list[subprocess.Popen[bytes]] = []
        self.smtp = SmtpSink(self.smtp_port, self.dir / "smtp.log", smtp_delay)
        self.single_port = free_port()
        self.url = f"http://127.0.0.1:{self.nginx_port}"
        # The same nginx, another port, only the first app server: "one server" in load_mix.
        self.single_url = f"http://127.0.0.1:{self.single_port}"

    # Addresses ---------------------------------------------------------------------------

    @property
    def direct_database_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/{DATABASE}"

    @property
    def database_url(self) -> str:
        """What the app uses: through PgBouncer when there is one."""
        port = self.bouncer_port if self.use_pgbouncer else self.pg_port
        return f"postgres://postgres@127.0.0.1:{port}/{DATABASE}"

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "TORGET_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": f"{BENCH}:{ROOT}",
            "DATABASE_URL": self.database_url,
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "SECRET_KEY": "bench-stack-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Only for links in e-mail and SMS; production insists on an https:// address.
            "SITE_URL": self.url.replace("http://", "https://", 1),
            "CSRF_TRUSTED_ORIGINS": self.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "EMAIL_TIMEOUT": "5",
            "SECURE_SSL_REDIRECT": "false",
            "BEHIND_TLS_PROXY": "false",
            "CONN_MAX_AGE": "600",
            "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "torget-stack-static"),
            "MEDIA_ROOT": str(self.media_root),
            "TORGET_VAR_DIR": str(self.dir / "var"),
            "LOG_LEVEL": "ERROR",
            # nginx adds the client's address; one machine sends everything, so the per-IP and
            # per-person limits are set out of the benchmark's reach.
            "CLIENT_IP_HEADER": "X-Forwarded-For",
            "CLIENT_IP_TRUSTED_PROXIES": "1",
            "PROPOSALS_SUPPORT_RATE_PER_IP": "100000000",
            "PROPOSALS_SUPPORT_RATE_PER_USER": "100000000",
            "FEEDBACK_SUBMIT_RATE_PER_IP": "100000000",
            "API_RATE_PER_MINUTE": "100000000",
            "OPEN311_POSTS_PER_MINUTE": "100000000",
            "IDENTITY_FRESH_SECONDS": "3600",
            # Quick retries, so a bounded fault run sees the queue drain after the fault.
            "NOTIFICATIONS_RETRY_BASE_SECONDS": "2",
            "NOTIFICATIONS_RETRY_MAX_SECONDS": "20",
            "NOTIFICATIONS_MAX_ATTEMPTS": "200",
            "NOTIFICATIONS_CLAIM_SECONDS": "20",
            # The sweep (which also hands back the claims of a worker that died) every 5 s.
            "NOTIFICATIONS_TICK_SECONDS": "5",
        }
        if self.use_pgbouncer:
            env["DATABASE_PREPARED_STATEMENTS"] = "false"
            env["DATABASE_SERVER_SIDE_CURSORS"] = "false"
        env.update(self.extra_env)
        return env

    # Start and stop -----------------------------------------------------------------------

    def _log(self, message: str) -> None:
        if not self.quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    def _spawn(self, name: str, command: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        out = open(self.dir / f"{name}.log", "ab")  # noqa: SIM115 — closed with the process
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )
        self.processes[name] = process
        return process

    def start_postgres(self) -> None:
        data = self.dir / "pgdata"
        if not data.exists():
            data.mkdir()
            _chown_postgres(data)
            subprocess.run(
                [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E",
                 "UTF8", "--locale=C.UTF-8"],
                check=True, capture_output=True, **_as_postgres(),
            )  # fmt: skip
        self._spawn(
            "postgres",
            [str(PG_BIN / "postgres"), "-D", str(data), "-p", str(self.pg_port), "-k", str(data),
             "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300",
             "-c", "shared_buffers=256MB"],
            **_as_postgres(),
        )  # fmt: skip
        wait_for_port(self.pg_port, process=self.processes["postgres"])
        self._wait_for_postgres()

    def _wait_for_postgres(self) -> None:
        import psycopg

        deadline = time.monotonic() + 60
        while True:
            try:
                psycopg.connect(self.direct_database_url.rsplit("/", 1)[0] + "/postgres").close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop_postgres(self, mode: str = "fast") -> None:
        subprocess.run(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "pgdata"), "stop", "-m", mode, "-w"],
            check=True, capture_output=True, **_as_postgres(),
        )  # fmt: skip
        self.processes.pop("postgres").wait(30)

    def restart_postgres(self) -> None:
        self.stop_postgres()
        self.start_postgres()

    def start_redis(self) -> None:
        self._spawn(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
        )  # fmt: skip
        wait_for_port(self.redis_port, process=self.processes["redis"])

    def stop_redis(self) -> None:
        process = self.processes.pop("redis")
        process.terminate()
        process.wait(30)

    def start_pgbouncer(self) -> None:
        home = self.dir / "pgbouncer"
        home.mkdir(exist_ok=True)
        _chown_postgres(home)
        ini, users = home / "pgbouncer.ini", home / "userlist.txt"
        users.write_text('"postgres" ""\n')
        ini.write_text(
            f"""[databases]
{DATABASE} = host=127.0.0.1 port={self.pg_port} dbname={DATABASE}
postgres = host=127.0.0.1 port={self.pg_port} dbname=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.bouncer_port}
unix_socket_dir =
auth_type = trust
auth_file = {users}
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 40
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
; After PostgreSQL restarts, try logging in again after 1 s, not the default 15 s during which
; every request fails (found by fault_pg_restart.py --pgbouncer).
server_login_retry = 1
logfile = {home / "pgbouncer.log"}
pidfile = {home / "pgbouncer.pid"}
"""
        )
        for path in (ini, users):
            _chown_postgres(path)
        self._spawn("pgbouncer", ["/usr/sbin/pgbouncer", str(ini)], **_as_postgres())
        wait_for_port(self.bouncer_port, process=self.processes["pgbouncer"])

    def _fill_key(self) -> str:
        """Changes when the migrations or the demo change: the cached database is then rebuilt."""
        digest = hashlib.sha256(str(self.demo).encode())
        for path in sorted(ROOT.glob("torget/**/*.py")):
            if "migrations" in path.parts or "demo" in path.name or "demo" in path.parts:
                digest.update(str(path).encode() + path.read_bytes())
        return digest.hexdigest()[:16]

    def prepare_database(self) -> None:
        """Migrate and load the demo, or copy the data folder a previous run left in the cache
        (migrating and loading the demo take minutes on a small machine)."""
        cache = CACHE_DIR / f"pgdata-{self._fill_key()}"
        if cache.exists():
            self.stop_postgres()
            shutil.rmtree(self.dir / "pgdata")
            shutil.copytree(cache, self.dir / "pgdata", symlinks=True)
            if os.geteuid() == 0:
                subprocess.run(
                    ["chown", "-R", "postgres:postgres", str(self.dir / "pgdata")], check=True
                )
            self.start_postgres()
            self._log(f"database copied from {cache}")
        else:
            self._fill()
            self.stop_postgres()
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            partial = Path(tempfile.mkdtemp(dir=CACHE_DIR))
            shutil.rmtree(partial)
            shutil.copytree(self.dir / "pgdata", partial, symlinks=True)
            for stale in CACHE_DIR.glob("pgdata-*"):
                shutil.rmtree(stale, ignore_errors=True)
            partial.rename(cache)
            self.start_postgres()
        manifest = Path(self.env()["STATIC_ROOT"]) / "staticfiles.json"
        newest = max(p.stat().st_mtime for p in ROOT.glob("torget/**/static/**/*") if p.is_file())
        if not manifest.exists() or manifest.stat().st_mtime < newest:
            self._log("manage.py collectstatic")
            subprocess.run(
                [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
                cwd=ROOT, env=self.env(), check=True, capture_output=True,
            )  # fmt: skip

    def _fill(self) -> None:
        import psycopg

        with psycopg.connect(
            self.direct_database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
        env = {**self.env(), "DATABASE_URL": self.direct_database_url}
        steps = [["migrate", "--verbosity=0"]]
        if self.demo:
            steps.append(["load_demo", "--force-in-production"])
        for step in steps:
            self._log(f"manage.py {' '.join(step)}")
            subprocess.run(
                [PYTHON, "manage.py", *step], cwd=ROOT, env=env, check=True, capture_output=True
            )

    def start_servers(self) -> None:
        for number, port in enumerate(self.server_ports):
            self._spawn(
                f"gunicorn-{number}",
                [PYTHON, "-m", "gunicorn", "torget.wsgi", f"--bind=127.0.0.1:{port}",
                 f"--workers={self.server_processes}", "--keep-alive=30", "--timeout=60",
                 "--log-level=warning"],
                cwd=ROOT, env=self.env(),
            )  # fmt: skip
        for port in self.server_ports:
            wait_for_port(port)

    def start_nginx(self) -> None:
        upstream = "\n".join(f"    server 127.0.0.1:{port};" for port in self.server_ports)
        conf = self.dir / "nginx.conf"
        conf.write_text(
            f"""worker_processes 2;
pid {self.dir / "nginx.pid"};
error_log {self.dir / "nginx-error.log"} warn;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {self.dir / "nginx-body"};
  proxy_temp_path {self.dir / "nginx-proxy"};
  fastcgi_temp_path {self.dir / "nginx-fcgi"};
  uwsgi_temp_path {self.dir / "nginx-uwsgi"};
  scgi_temp_path {self.dir / "nginx-scgi"};
  upstream torget {{
{upstream}
    keepalive 64;
  }}
  upstream torget_single {{
    server 127.0.0.1:{self.server_ports[0]};
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{self.single_port};
    client_max_body_size 40m;
    location / {{
      proxy_pass http://torget_single;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 60s;
    }}
  }}
  server {{
    listen 127.0.0.1:{self.nginx_port};
    client_max_body_size 40m;
    location / {{
      proxy_pass http://torget;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 60s;
    }}
  }}
}}
"""
        )
        self._spawn("nginx", ["/usr/sbin/nginx", "-c", str(conf), "-g", "daemon off;"])
        wait_for_port(self.nginx_port, process=self.processes["nginx"])

    def start_worker(self) -> subprocess.Popen[bytes]:
        number = len(self.worker_processes)
        process = self._spawn(
            f"worker-{number}",
            [PYTHON, "manage.py", "run_worker", "--interval", "0.2"],
            cwd=ROOT,
            env=self.env(),
        )
        self.worker_processes.append(process)
        return process

    def warm_up(self) -> None:
        """The first requests of a fresh gunicorn process import the views and fill the
        template caches: seconds on a quiet machine, over a minute on a busy one. Each process
        gets a few at once before anything is measured."""
        import concurrent.futures

        import requests

        paths = ["/", "/felanmalan/", "/forslag/"]
        jobs = [
            f"http://127.0.0.1:{port}{path}"
            for port in self.server_ports
            for path in paths
            for _ in range(self.server_processes)
        ]
        with concurrent.futures.ThreadPoolExecutor(len(jobs)) as pool:
            list(pool.map(lambda url: requests.get(url, timeout=300), jobs))
        self._log("app servers warmed up")

    def alive_workers(self) -> list[subprocess.Popen[bytes]]:
        return [w for w in self.worker_processes if w.poll() is None]

    def start(self) -> "Stack":
        started = time.perf_counter()
        self._log(f"stack in {self.dir}")
        self.start_postgres()
        self.start_redis()
        if self.use_pgbouncer:
            self.start_pgbouncer()
        self.prepare_database()
        self._log("database ready")
        self.smtp.start()
        self.start_servers()
        self._log("app servers listening")
        self.start_nginx()
        for _ in range(self.workers_wanted):
            self.start_worker()
        self.warm_up()
        self._log(
            f"up in {time.perf_counter() - started:.0f} s: {self.url} → gunicorn on "
            f"{', '.join(map(str, self.server_ports))} ({self.server_processes} processes "
            f"each); PostgreSQL {self.pg_port}"
            + (f" via PgBouncer {self.bouncer_port}" if self.use_pgbouncer else "")
            + f"; Redis {self.redis_port}; SMTP sink {self.smtp_port}; "
            f"{self.workers_wanted} worker(s)"
        )
        return self

    def stop(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                if name == "postgres":
                    try:
                        self.stop_postgres()
                        continue
                    except Exception:  # noqa: BLE001, S110 — killed below
                        pass
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        self.processes.clear()
        self.smtp.stop()
        # The servers' logs outlive the run (the last run's, in one place), for its errors.
        logs = Path(tempfile.gettempdir()) / "torget-stack-logs"
        shutil.rmtree(logs, ignore_errors=True)
        logs.mkdir()
        for log in self.dir.glob("*.log"):
            shutil.copy(log, logs / log.name)
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Stack":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # In-process access to the stack's database ---------------------------------------------

    def django(self) -> None:
        """Set up Django in this process against the stack's database (directly, not through
        PgBouncer), for checks after a run."""
        os.environ.update({**self.env(), "DATABASE_URL": self.direct_database_url})
        sys.path[:0] = [str(BENCH), str(ROOT)]
        import django

        django.setup()

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.direct_database_url) as conn:
            return list(conn.execute(query, params).fetchall())

    def wait_for_outbox(self, seconds: float) -> int:
        """Wait until no e-mail delivery is due or being sent; returns how many still are."""
        deadline = time.monotonic() + seconds
        while True:
            (pending,) = self.sql(
                "SELECT count(*) FROM notifications_delivery "
                "WHERE channel = 'email' AND status IN ('queued', 'failed', 'sending')"
            )[0]
            if not pending or time.monotonic() > deadline:
                return int(pending)
            time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--servers", type=int, default=2, help="gunicorn app servers")
    parser.add_argument("--processes", type=int, default=4, help="gunicorn processes each")
    parser.add_argument("--workers", type=int, default=2, help="task workers")
    parser.add_argument("--pgbouncer", action="store_true", help="PgBouncer in front")
    parser.add_argument("--seconds", type=int, default=0, help="stop after (0: at Ctrl-C)")
    args = parser.parse_args()
    stack = Stack(
        servers=args.servers,
        workers=args.workers,
        server_processes=args.processes,
        pgbouncer=args.pgbouncer,
        quiet=False,
    )
    with stack:
        import requests

        print(f"GET {stack.url}/ → {requests.get(stack.url + '/', timeout=120).status_code}")
        try:
            time.sleep(args.seconds or 10**7)
        except KeyboardInterrupt:
            pass
    print("stopped; temporary folder removed")


if __name__ == "__main__":
    main()
