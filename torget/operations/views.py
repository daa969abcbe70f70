import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from torget.core.ratelimit import client_ip
from torget.operations import metrics, selectors


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: 200 when the database, the cache, a worker and the
    queues are all fine, else 503 naming the check that failed. Public, so it says nothing of
    anyone: only whether each part works and how old the oldest waiting work is.

    `?check=database&check=cache` runs only those: a load balancer that should take a server
    out of service only for its own faults leaves out the worker and the queues, which every
    server shares."""
    names = request.GET.getlist("check") or list(selectors.CHECKS)
    unknown = sorted(set(names) - set(selectors.CHECKS))
    if unknown:
        return JsonResponse(
            {"error": "unknown check", "unknown": unknown[:10], "checks": list(selectors.CHECKS)},
            status=400,
        )
    checks = selectors.health(tuple(dict.fromkeys(names)))
    failed = sorted(name for name, check in checks.items() if not check.ok)
    return JsonResponse(
        {
            "status": "fail" if failed else "ok",
            "failed": failed,
            "checks": {name: check.as_json() for name, check in checks.items()},
        },
        status=503 if failed else 200,
    )


def _may_read_metrics(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        if sent.startswith("Bearer ") and constant_time_compare(sent[7:].strip(), token):
            return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(allowed, strict=False)
        for allowed in settings.METRICS_ALLOWED_IPS
    )


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for the allowed addresses or the token only; anyone else is told
    there is nothing here (404), so the address gives nothing away."""
    if not _may_read_metrics(request):
        raise Http404
    return metrics.exposition()
