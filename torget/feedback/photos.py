"""Photos citizens attach to a case. The check itself is the toolbox's, shared by every image
upload (torget.core.images); these names stay for the code and tests that use them here."""

from torget.core.images import (
    FORMATS,
    MAX_PIXELS,
    MAX_SIDE,
    MAX_UPLOAD_BYTES,
    PhotoError,
    ProcessedPhoto,
    black_out,
    gps_position,
    process,
)

__all__ = [
    "FORMATS",
    "MAX_PIXELS",
    "MAX_SIDE",
    "MAX_UPLOAD_BYTES",
    "PhotoError",
    "ProcessedPhoto",
    "black_out",
    "gps_position",
    "process",
]
