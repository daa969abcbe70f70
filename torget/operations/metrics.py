"""Prometheus metrics: request counts from each process, Torget's own figures from the database.

The request counter and histogram live in the process that served the request. With several
gunicorn workers, set PROMETHEUS_MULTIPROC_DIR to an empty folder for all of them: each then
writes its counts there and /metrics adds them up (prometheus_client's multiprocess mode).
Torget's own figures (outbox, queue, supports, worker) are read from the database at scrape
time by `TorgetCollector`, so they are right whichever worker or server answers.
"""

import os
import time
from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from torget.operations import selectors

REQUESTS = Counter(
    "torget_http_requests",
    "HTTP requests answered, by method and status code",
    ["method", "status"],
)
LATENCY = Histogram(
    "torget_http_request_duration_seconds",
    "Time to answer an HTTP request, by method",
    ["method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10),
)
# Anything else a client sends as method is counted as "other", so labels stay few.
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class RequestMetricsMiddleware:
    """Counts every request and its time. Near the top of MIDDLEWARE, so refusals by other
    middleware (400, 403) are counted too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "other"
        LATENCY.labels(method).observe(time.perf_counter() - started)
        REQUESTS.labels(method, str(response.status_code)).inc()
        return response


def _gauge(name: str, documentation: str, value: float | None) -> Iterator[Metric]:
    # A figure that does not apply (no task waits, no worker ever ran) is left out rather than
    # reported as 0, which would read as "fresh".
    if value is not None:
        yield GaugeMetricFamily(name, documentation, value=value)


class TorgetCollector(Collector):
    """Torget's own figures, read from the database at each scrape."""

    def collect(self) -> Iterator[Metric]:
        figures = selectors.figures()
        outbox = GaugeMetricFamily(
            "torget_outbox_messages", "Messages in the outbox, by status", labels=["status"]
        )
        for status, count in sorted(figures.outbox.items()):
            outbox.add_metric([status], count)
        yield outbox
        yield GaugeMetricFamily(
            "torget_outbox_backlog_messages",
            "Messages not yet sent: queued, being sent, or waiting to be retried",
            value=sum(figures.outbox.get(s, 0) for s in selectors.PENDING_STATUSES),
        )
        yield GaugeMetricFamily(
            "torget_outbox_failed_messages",
            "Messages whose delivery failed: waiting for a retry (failed) or given up (dead)",
            value=sum(figures.outbox.get(s, 0) for s in selectors.FAILED_STATUSES),
        )
        yield from _gauge(
            "torget_outbox_oldest_due_age_seconds",
            "How long the longest-waiting due message has waited to go out",
            figures.outbox_oldest_due_age,
        )
        yield from _gauge(
            "torget_task_queue_ready_tasks",
            "Tasks ready to run in the database task queue",
            figures.tasks_ready,
        )
        yield from _gauge(
            "torget_task_queue_oldest_age_seconds",
            "How long the longest-waiting ready task has waited",
            figures.tasks_oldest_due_age,
        )
        yield from _gauge(
            "torget_worker_heartbeat_age_seconds",
            "Seconds since a worker last said it was alive",
            figures.worker_heartbeat_age,
        )
        yield CounterMetricFamily(
            "torget_supports",
            "Supports given to citizen proposals (rate() of it is the support rate)",
            value=figures.supports_total,
        )
        yield GaugeMetricFamily(
            "torget_supports_last_hour",
            "Supports given to citizen proposals in the last hour",
            value=figures.supports_last_hour,
        )


def exposition() -> HttpResponse:
    """The text Prometheus reads: this process's (or, in multiprocess mode, every worker's)
    request metrics, then Torget's figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        process_registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(process_registry)
    else:
        process_registry = REGISTRY
    own = CollectorRegistry(auto_describe=False)
    own.register(TorgetCollector())
    body = generate_latest(process_registry) + generate_latest(own)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
