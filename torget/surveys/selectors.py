"""Reads of surveys. Fetching and authorising is one `access_*` call (STYLE: no view can
forget the check)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from torget.accounts.types import Actor
from torget.surveys import permissions
from torget.surveys.models import Survey


def access_survey_for_staff(actor: Actor, pk: int) -> Survey:
    """A survey for its staff pages (builder, paper answers, results): 404 if missing, 403
    for anyone who does not work with its dialogue."""
    survey = get_object_or_404(Survey.objects.select_related("dialogue", "method"), pk=pk)
    if not permissions.works_with_survey(actor, survey):
        raise PermissionDenied
    return survey


def access_public_survey(pk: int) -> Survey:
    """A survey as the public sees it: a draft does not exist for them."""
    survey = get_object_or_404(Survey.objects.select_related("dialogue"), pk=pk)
    if not permissions.sees_public_survey(survey):
        raise Http404
    return survey
