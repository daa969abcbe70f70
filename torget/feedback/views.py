from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: str) -> HttpResponse:
    raise Http404


start = opinion_create = fault_create = fault_map = fault_geojson = _todo
public_detail = follow = receipt = _todo
