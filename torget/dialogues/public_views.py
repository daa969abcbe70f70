from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


dialogue_list = request_dialogue = request_thanks = dialogue_detail = _todo
