"""Public proposal pages: list, submit (with preview), one proposal, meeting proposals."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


proposal_list = proposal_create = meeting_proposals = proposal_detail = my_proposals = _todo
