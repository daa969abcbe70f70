"""Attachments to a meeting's documentation: the type is read from the content, never from
the file's name or the browser's claim, and the size is limited."""

from typing import Any

from django.utils.translation import gettext as _

from torget.core import documents

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


class AttachmentError(ValueError):
    pass


def _unsupported() -> AttachmentError:
    return AttachmentError(
        _(
            "Filen är inte ett dokument som går att publicera. Ladda upp en PDF eller ett "
            "dokument från Word, Excel, PowerPoint eller LibreOffice."
        )
    )


def _too_large() -> AttachmentError:
    return AttachmentError(
        _("Filen är för stor. Den får vara högst %(max)s MB.")
        % {"max": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
    )


def read(upload: Any) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_ATTACHMENT_BYTES:
        raise _too_large()
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise _too_large()
    if not data:
        raise _unsupported()
    return bytes(data)


def identify(data: bytes) -> tuple[str, str]:
    """(extension, content type) from the content (torget.core.documents); AttachmentError
    for anything but PDF and the office formats of Word, Excel, PowerPoint and LibreOffice."""
    kind = documents.identify(data)
    if kind is None or kind.extension not in documents.OFFICE_DOCUMENTS:
        raise _unsupported()
    return kind.extension, kind.content_type
