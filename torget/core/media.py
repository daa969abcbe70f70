"""Serving an uploaded file after a view has decided who may see it.

Uploads that belong to cases, proposals and meetings are never served straight from
MEDIA_ROOT: a photo staff hid or a proposal not yet published must not be reachable by its
address. Each app's view fetches-and-authorises (its `access_*`/selector) and hands the file
here, which either streams it (the default) or, with MEDIA_ACCEL_REDIRECT_PREFIX set, answers
with an `X-Accel-Redirect` so nginx sends the bytes from an `internal` location:

    location /protected-media/ {
        internal;
        alias /var/lib/torget/media/;   # MEDIA_ROOT, trailing slash on both
        add_header X-Content-Type-Options nosniff always;
        add_header Vary Cookie always;
    }
    location /media/municipality/ {
        alias /var/lib/torget/media/municipality/;
    }

with MEDIA_ACCEL_REDIRECT_PREFIX=/protected-media/. On such a redirect nginx passes on the
Cache-Control, Content-Disposition and Set-Cookie set here, and takes the Content-Type from the
file's extension (stored names always have the right one); the location's own add_header
lines give the nosniff and Vary headers. /media/ itself serves only the public folders
(PUBLIC_MEDIA_DIRS: the municipality's logo), through `public_media` below when nginx does not
serve them itself; with DEBUG off as on.
"""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

# How long a shared cache may keep a public file. Short, because hiding a photo or a proposal
# must take effect soon for everyone; the browser revalidates after that.
PUBLIC_MAX_AGE = 300
# Types a browser may show in the page. Anything else (an office document, or an HTML file
# that slipped through with a harmless name) is only ever downloaded, never rendered on our
# origin.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"})
# Types a browser runs or renders as a page of our origin. Every upload path checks the content
# before storing (torget.core.images, torget.core.documents), so none should arrive here; if a
# stored name says one all the same, the file goes out as bytes to download, never as that type.
ACTIVE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "text/css",
        "application/x-shockwave-flash",
    }
)
# The policy every user file is served with: opened on its own, it is a sandboxed document
# without our origin that may load and run nothing. A PDF gets no `sandbox` and no default-src,
# which stop the browsers' PDF viewers from showing it, only what keeps a script in it from
# running (a PDF viewer's own scripts are the browser's, outside the page's policy).
FILE_POLICY = "default-src 'none'; img-src 'self' data:; sandbox"
PDF_POLICY = "script-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
# The only folders under MEDIA_ROOT that anyone may read by address (the municipality's logo).
# Everything else is served by a view that checks who may see it.
PUBLIC_MEDIA_DIRS = ("municipality",)


def serve_file(
    file: FieldFile | None,
    *,
    public: bool,
    content_type: str = "",
    filename: str = "",
    as_attachment: bool = False,
) -> HttpResponseBase:
    """A model's file as a response. `public`: anyone may see it, and shared caches may keep
    it a short while; otherwise it is for this user only (`private, no-store`). 404 when there
    is no file or it has gone from the storage."""
    if not file or not file.name:
        raise Http404
    return serve_stored(
        file.name,
        storage=file.storage,
        public=public,
        content_type=content_type,
        filename=filename,
        as_attachment=as_attachment,
    )


def serve_stored(
    name: str,
    *,
    public: bool,
    storage: Storage | None = None,
    content_type: str = "",
    filename: str = "",
    as_attachment: bool = False,
) -> HttpResponseBase:
    """A file by its name in the storage (default_storage unless given), as serve_file."""
    if not name:
        raise Http404
    storage = storage or default_storage
    filename = filename or PurePosixPath(name).name
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type.split(";")[0].strip().lower() in ACTIVE_TYPES:
        content_type = "application/octet-stream"
    if content_type not in INLINE_TYPES:
        as_attachment = True
    prefix = getattr(settings, "MEDIA_ACCEL_REDIRECT_PREFIX", "")
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or ""
    else:
        try:
            handle = storage.open(name, "rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            content_type=content_type,
            as_attachment=as_attachment,
            filename=filename,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        PDF_POLICY if content_type == "application/pdf" else FILE_POLICY
    )
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
        response["Referrer-Policy"] = "same-origin"
    # Who asks decides the answer (staff see hidden files at the staff address, a 404 for
    # others may follow a change): a cache must not hand one visitor's answer to another.
    patch_vary_headers(response, ["Cookie"])
    return response


@require_safe
def public_media(request: HttpRequest, name: str) -> HttpResponseBase:
    """A file in one of PUBLIC_MEDIA_DIRS by its address under MEDIA_URL. nginx may serve
    these folders itself (see the README's *Uploaded files*); without that, this does, so the
    logo shows in production as in development."""
    parts = PurePosixPath(name).parts
    if len(parts) < 2 or parts[0] not in PUBLIC_MEDIA_DIRS or ".." in parts:
        raise Http404
    return serve_stored(name, public=True)
