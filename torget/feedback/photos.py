"""Photos citizens attach to a case: checked from their content (not their name), turned
upright, their GPS position read (offered to place the pin), then every piece of metadata
stripped and the image resized, before anything is stored.

Interface (implemented by the photo work):

    process(upload) -> ProcessedPhoto      # raises PhotoError with a Swedish message
    black_out(content: bytes, box) -> bytes  # staff redaction; box = (x, y, w, h) in 0..1
"""

from dataclasses import dataclass

from django.core.files.base import ContentFile

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600


class PhotoError(ValueError):
    pass


@dataclass
class ProcessedPhoto:
    file: ContentFile  # a clean JPEG, no metadata
    gps: tuple[float, float] | None  # (lat, lon) read from the original, if it had one


def process(upload: object) -> ProcessedPhoto:
    raise NotImplementedError


def black_out(content: bytes, box: tuple[float, float, float, float]) -> bytes:
    raise NotImplementedError
