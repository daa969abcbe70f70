"""gunicorn's settings for Torget (`gunicorn -c deploy/gunicorn.conf.py torget.wsgi`).

Every value can be changed from the environment (the same environment file as Torget's own
settings, see the README's *Running in production*), so this file is not edited per server:

    GUNICORN_BIND             127.0.0.1:8000 (nginx in front; a second app server, :8001)
    GUNICORN_WORKERS          2 x cores + 1, at most 12
    GUNICORN_TIMEOUT          30 s: a request that takes longer is stopped and logged
    GUNICORN_MAX_REQUESTS     2000: a worker is replaced after this many requests (with
                              jitter, so they do not all restart at once)
    GUNICORN_ACCESS_LOG       "-" (standard output, systemd's journal); empty: no access log
    GUNICORN_FORWARDED_ALLOW_IPS  127.0.0.1,::1: the proxies whose X-Forwarded-* are trusted
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: Torget's requests are short database work. 2 x cores + 1 is gunicorn's
# own advice; the cap keeps a large machine from opening more database connections than
# PostgreSQL's max_connections (100 by default) allows with the worker and a second server.
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 12))
worker_class = "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
# On restart (systemctl reload, an upgrade) a worker finishes what it is doing first.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle connections from nginx (keepalive to the upstream) are closed after this long.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Replacing workers now and then bounds any slow growth in memory.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 10)
# Requests larger than this in their line or headers are refused before Django sees them.
limit_request_line = 8190
limit_request_field_size = 8190

# Only nginx on this machine may say which protocol and address the client used.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

# Logs: errors to standard error, one line per request to standard output (both end up in the
# journal under systemd). The request id is the X-Request-ID header nginx adds (or "-").
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" request_id=%({x-request-id}i)s'
)
# Each worker loads the application itself, so a reload (SIGHUP, `systemctl reload`) after an
# upgrade starts workers with the new code while the old ones finish their requests.
preload_app = False
# Workers' heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm"  # noqa: S108 (a RAM disk, not a shared temporary folder)
