"""A proposal's image, its decision document and its events' documents, each behind
selectors.access_proposal_file: public with a published proposal, for staff and the author
before that, for staff only once it is hidden. Never served from /media/."""

from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.http import require_safe

from torget.core.media import serve_file
from torget.proposals import selectors


@require_safe
def image(request: HttpRequest, pk: int) -> HttpResponseBase:
    proposal, public = selectors.access_proposal_file(request.user, pk)
    return serve_file(proposal.image, public=public)


@require_safe
def decision_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    proposal, public = selectors.access_proposal_file(request.user, pk)
    return serve_file(proposal.decision_document, public=public)


@require_safe
def event_document(request: HttpRequest, pk: int, event_pk: int) -> HttpResponseBase:
    event, public = selectors.access_proposal_file(request.user, pk, event_pk=event_pk)
    return serve_file(event.document, public=public)
