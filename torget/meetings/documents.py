"""Attachments to a meeting's documentation: the type is read from the content, never from
the file's name or the browser's claim, and the size is limited."""

import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

# Office Open XML and OpenDocument files are zip archives; what is inside tells which.
_OOXML = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
_OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


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
    """(extension, content type) from the content; AttachmentError for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    kind = archive.read("mimetype").decode("ascii", "replace").strip()
                    if kind in _OPENDOCUMENT:
                        return _OPENDOCUMENT[kind], kind
                if "[Content_Types].xml" in names:
                    for prefix, found in _OOXML.items():
                        if any(name.startswith(prefix) for name in names):
                            return found
        except (zipfile.BadZipFile, OSError, ValueError, KeyError) as error:
            raise _unsupported() from error
    raise _unsupported()
