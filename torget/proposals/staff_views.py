"""Staff pages for proposals under /personal/forslag/."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


index = export_csv = register_on_behalf = register_from_meeting = detail = step = _todo
register_support = supporters_csv = _todo
