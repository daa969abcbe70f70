from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from torget.organisation import sections
from torget.organisation.models import Administration, Body, BodyKind
from torget.organisation.selectors import bodies_public, body_with_members


@require_GET
def organisation_overview(request: HttpRequest) -> HttpResponse:
    bodies = list(bodies_public())
    groups = [(label, [b for b in bodies if b.kind == kind]) for kind, label in BodyKind.choices]
    administrations = Administration.objects.select_related("body").prefetch_related("units")
    return render(
        request,
        "organisation/overview.html",
        {
            "groups": [(label, items) for label, items in groups if items],
            "administrations": administrations,
        },
    )


@require_GET
def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        body = body_with_members(slug=slug)
    except Body.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "organisation/body_detail.html",
        {"body": body, "sections": sections.render(request, body)},
    )
