"""The one check every uploaded document goes through (meeting attachments and forwarded
documents, proposal decisions; images have theirs in `images`): the type is read from the
content, never from the file's name or the browser's claim, and the size is limited.

    read(upload, max_bytes) -> bytes              # DocumentError when too large
    identify(data) -> Kind | None                 # what the bytes are, or None
    check(upload, allowed=..., max_bytes=...) -> Kind  # all three, or DocumentError
    stored_name(name, kind) -> str                # the name to store it under

Only formats that a browser does not run are accepted: PDF, Office Open XML and OpenDocument
(zip archives, told apart by what is inside) and the old Word format (an OLE2 compound file).
An HTML page, an SVG drawing or a script with a harmless name (`beslut.pdf`) is refused,
whatever its extension. What is stored takes its extension from the content, so the type it is
served with (torget.core.media) follows the content too.

Part of the toolbox: no domain app is imported here.
"""

import io
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    extension: str  # without the dot: "pdf", "docx", …
    content_type: str


PDF = Kind("pdf", "application/pdf")
DOC = Kind("doc", "application/msword")
DOCX = Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = Kind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
ODT = Kind("odt", "application/vnd.oasis.opendocument.text")
ODS = Kind("ods", "application/vnd.oasis.opendocument.spreadsheet")
ODP = Kind("odp", "application/vnd.oasis.opendocument.presentation")

# Office Open XML files are zip archives with [Content_Types].xml; their first folder says which.
_OOXML = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
# OpenDocument files are zip archives whose `mimetype` entry names the kind.
_OPENDOCUMENT = {kind.content_type: kind for kind in (ODT, ODS, ODP)}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# What a meeting may publish: PDF and the office formats of Word, Excel, PowerPoint and
# LibreOffice (not the old binary formats, whose macros are their own risk).
OFFICE_DOCUMENTS = frozenset({"pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp"})


class DocumentError(ValueError):
    """An upload refused, with a Swedish message for the form. `code`: "size" or "type"."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def unsupported(allowed: Collection[str] = OFFICE_DOCUMENTS) -> DocumentError:
    if set(allowed) == {"pdf"}:
        return DocumentError(_("Filen är inte en PDF. Ladda upp en PDF-fil."), code="type")
    return DocumentError(
        _("Filen är av en sort som inte går att ta emot. Ladda upp en fil av sorten %(kinds)s.")
        % {"kinds": ", ".join(sorted(kind.upper() for kind in allowed))},
        code="type",
    )


def too_large(max_bytes: int = MAX_DOCUMENT_BYTES) -> DocumentError:
    return DocumentError(
        _("Filen är för stor. Den får vara högst %(max)s MB.")
        % {"max": max_bytes // (1024 * 1024)},
        code="size",
    )


def read(upload: Any, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The upload's bytes, at most `max_bytes` read (a larger file is refused, not cut)."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise too_large(max_bytes)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    return bytes(data)


def identify(data: bytes) -> Kind | None:
    """What the bytes are, from the content alone; None for anything not on the list."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(_OLE2):
        return DOC
    if data.startswith(b"PK\x03\x04"):
        return _zipped(data)
    return None


def _zipped(data: bytes) -> Kind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in _OPENDOCUMENT:
                    return _OPENDOCUMENT[declared]
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, NotImplementedError):
        return None
    return None


def check(
    upload: Any,
    *,
    allowed: Collection[str] = OFFICE_DOCUMENTS,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Kind:
    """Read and identify one upload; DocumentError unless it is one of `allowed` (extensions
    as in Kind), at most `max_bytes`."""
    data = read(upload, max_bytes)
    kind = identify(data) if data else None
    if kind is None or kind.extension not in allowed:
        raise unsupported(allowed)
    return kind


def stored_name(name: str, kind: Kind, *, default_stem: str = "dokument") -> str:
    """The upload's own name with the extension its content has (`beslut.pdf`, never
    `beslut.html`): the type it is later served with follows from this name."""
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in "-_ ").strip()[:80]
    return f"{stem or default_stem}.{kind.extension}"
