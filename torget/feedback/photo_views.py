"""The photos of a case, each behind the same check as the page that shows it: the public
fault report, the reporter's private link, the staff pages. Never served from /media/, so a
photo staff hid (or any photo of an opinion) cannot be fetched by its address."""

from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.http import require_safe

from torget.core.media import serve_file
from torget.feedback import selectors


@require_safe
def public_photo(request: HttpRequest, number: str, pk: int, key: str) -> HttpResponseBase:
    photo = selectors.public_photo(number, pk, key)
    return serve_file(photo.image, public=True, content_type="image/jpeg")


@require_safe
def follow_photo(request: HttpRequest, token: str, pk: int, key: str) -> HttpResponseBase:
    photo = selectors.reporter_photo(token, pk, key)
    return serve_file(photo.image, public=False, content_type="image/jpeg")


@require_safe
def staff_photo(request: HttpRequest, case_pk: int, pk: int, key: str) -> HttpResponseBase:
    photo = selectors.access_case_photo(request.user, case_pk, pk, key)
    return serve_file(photo.image, public=False, content_type="image/jpeg")
