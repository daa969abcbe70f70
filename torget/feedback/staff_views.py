from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: str) -> HttpResponse:
    raise Http404


inbox = register = detail = act = _todo
