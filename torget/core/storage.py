"""Uploaded files on a disk that may be full.

Every upload (fault report photos, proposal images, meeting attachments, …) is stored through
the default storage. When the disk for media is full, over quota, read-only or failing, the
operating system refuses the write half-way: MediaStorage then deletes the partial file it
was writing and raises MediaUnavailable. The exception runs up through the service's
transaction (so nothing is half-saved in the database) to MediaUnavailableMiddleware, which
logs it for the operator and answers the citizen with a clear page (503), never a bare
server error.
"""

import contextvars
import errno
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from torget.core.errors import in_chain

logger = logging.getLogger(__name__)

#: The errors of a disk that cannot take a file now: full, over quota, failing, read-only.
DISK_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS})


# The files stored inside `removed_on_failure`: (storage, name).
_stored: contextvars.ContextVar[list[tuple[Any, str]] | None] = contextvars.ContextVar(
    "torget_stored_files", default=None
)


@contextmanager
def removed_on_failure() -> Iterator[None]:
    """Files stored inside the block are deleted again if the block raises (e.g. the third
    photo of a report does not fit on the disk: the first two go too, with the rolled-back
    rows that would have referred to them)."""
    stored: list[tuple[Any, str]] = []
    token = _stored.set(stored)
    try:
        yield
    except BaseException:
        for storage, name in stored:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not delete the upload %s", name)
        raise
    finally:
        _stored.reset(token)


class MediaUnavailable(OSError):
    """An uploaded file could not be stored: the media disk is full or failing."""


def is_disk_error(error: BaseException | None) -> bool:
    """True if `error`, or an error it was raised from, is one of DISK_ERRORS."""
    return in_chain(
        error,
        lambda e: (
            isinstance(e, MediaUnavailable) or (isinstance(e, OSError) and e.errno in DISK_ERRORS)
        ),
    )


class MediaStorage(FileSystemStorage):
    """FileSystemStorage that leaves no partial file behind when the disk refuses a write."""

    def _save(self, name: str, content: Any) -> str:
        try:
            name = self._write(name, content)
        except OSError as error:
            if error.errno not in DISK_ERRORS:
                raise
            try:
                self.delete(name)  # the partial file, if any was written
            except OSError:
                logger.exception("Could not delete the partial upload %s", name)
            raise MediaUnavailable(error.errno, error.strerror) from error
        stored = _stored.get()
        if stored is not None:
            stored.append((self, name))
        return name

    def _write(self, name: str, content: Any) -> str:
        """Write the file (FileSystemStorage's own _save)."""
        return str(super()._save(name, content))  # type: ignore[misc]


class MediaUnavailableMiddleware:
    """Answer 503 with a clear page when an upload could not be stored for lack of disk."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_disk_error(exception):
            return None
        logger.error(
            "An upload to %s could not be stored: the media disk is full or failing (%s)",
            request.path,
            exception,
        )
        response = render(request, "core/media_unavailable.html", status=503)
        response["Retry-After"] = "600"
        return response
