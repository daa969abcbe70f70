"""The one check every uploaded image goes through (fault-report photos, meeting photos,
proposal images): the format known from the content (not the name), the pixels counted
before anything is decoded, turned upright, the GPS position read (offered to place a fault
report's pin), then every piece of metadata stripped and the image resized, before anything
is stored.

    process(upload, ...) -> ProcessedImage   # raises ImageError with a Swedish message
    black_out(content: bytes, box) -> bytes  # staff redaction; box = (x, y, w, h) in 0..1

What is stored is always a new image built from the pixels alone: no EXIF (place, time, phone),
no XMP, no ICC profile, no GIF or PNG comments. Colours in another profile (Display P3) are
turned into sRGB first, so dropping the profile does not change how the image looks.

Part of the toolbox: no domain app is imported here.
"""

import io
import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageDraw, ImageOps
from PIL.ExifTags import GPS, IFD

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
# A 10 MB file can claim far more pixels than it holds (a decompression bomb). 50 megapixels
# covers the largest ordinary phone photos; Pillow's own limit applies too when lower.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85
# Pillow's names for the formats, read from the content. MPO is a JPEG with extra frames
# (many phones write it); its first frame is the photo.
PHOTO_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
FORMATS = PHOTO_FORMATS  # the name feedback.photos has always used
# Only these parsers ever see an upload: Pillow would otherwise try every format it knows
# (PSD, EPS, FITS, …), each a parser of untrusted bytes we do not need. MPO opens as JPEG.
_OPENERS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "GIF"}
# Graphics (a drawing, a screenshot, a GIF) stay lossless as PNG when the caller allows it.
LOSSLESS_SOURCES = frozenset({"PNG", "GIF"})


class ImageError(ValueError):
    """An upload refused, with a Swedish message for the form. `code` says which rule:
    "size", "format", "pixels" or "box", so a form can word it its own way."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


PhotoError = ImageError  # the name feedback and meetings have used


@dataclass
class ProcessedImage:
    file: ContentFile[bytes]  # a new JPEG or PNG of the pixels alone, no metadata
    gps: tuple[float, float] | None  # (lat, lon) read from the original, if it had one
    format: str = "JPEG"  # "JPEG" or "PNG"

    @property
    def extension(self) -> str:
        return ".png" if self.format == "PNG" else ".jpg"


ProcessedPhoto = ProcessedImage


def process(
    upload: Any,
    *,
    formats: Collection[str] = PHOTO_FORMATS,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_side: int = MAX_SIDE,
    lossless: bool = False,
) -> ProcessedImage:
    """Check, turn upright, read the GPS position, strip and resize one uploaded image
    (a Django UploadedFile or any binary file object). `formats` are Pillow's names of the
    formats accepted; with `lossless` a PNG or GIF is stored as PNG, transparency kept,
    everything else as JPEG. Raises ImageError and nothing else."""
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise _too_large(max_bytes)
    data = _read(upload, max_bytes)
    image = _open(data, formats)
    source_format = str(image.format)
    gps = _gps_of(image)
    as_png = lossless and source_format in LOSSLESS_SOURCES
    try:
        _shrink_while_decoding(image, max_side)
        image.load()
        image = _upright(image)
        image = _rgba(image) if as_png else _rgb(image)
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        content = _clean_png(image) if as_png else _clean_jpeg(image)
    except ImageError:
        raise
    # The bytes are a stranger's: whatever a decoder trips over (Pillow raises OSError,
    # SyntaxError, ValueError, struct.error, IndexError, … from deep inside its plugins) the
    # answer is the same, and the form shows it.
    except Exception as error:
        raise _unreadable() from error
    name = "image.png" if as_png else "photo.jpg"
    return ProcessedImage(
        file=ContentFile(content, name=name), gps=gps, format="PNG" if as_png else "JPEG"
    )


def black_out(content: bytes, box: tuple[float, float, float, float]) -> bytes:
    """The photo with the box (x, y, width, height as fractions of the photo's width and
    height, from the top left) filled with solid black, saved again without metadata."""
    try:
        x, y, w, h = (float(value) for value in box)
    except (TypeError, ValueError) as error:
        raise _bad_box() from error
    if not all(math.isfinite(v) for v in (x, y, w, h)):
        raise _bad_box()
    if not (0 <= x < 1 and 0 <= y < 1 and w > 0 and h > 0):
        raise _bad_box()
    image = _open(content, PHOTO_FORMATS)
    try:
        image.load()
        image = _rgb(_upright(image))
        width, height = image.size
        # Round outwards: a pixel partly inside the box is blacked out too.
        left, top = math.floor(x * width), math.floor(y * height)
        right = min(width, math.ceil((x + w) * width))
        bottom = min(height, math.ceil((y + h) * height))
        if right <= left or bottom <= top:
            raise _bad_box()
        ImageDraw.Draw(image).rectangle((left, top, right - 1, bottom - 1), fill=(0, 0, 0))
        return _clean_jpeg(image, quality=90)
    except ImageError:
        raise
    except Exception as error:  # as in process(): a decoder's failure is an unreadable file
        raise _unreadable() from error


def gps_position(exif: Image.Exif) -> tuple[float, float] | None:
    """(lat, lon) from the EXIF GPS block: degrees, minutes, seconds as rationals and the
    N/S and E/W references. None when missing, broken or plainly not a fix (0, 0)."""
    try:
        gps = exif.get_ifd(IFD.GPSInfo)
        lat = _degrees(gps[GPS.GPSLatitude], gps.get(GPS.GPSLatitudeRef), "S")
        lon = _degrees(gps[GPS.GPSLongitude], gps.get(GPS.GPSLongitudeRef), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError, AttributeError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return round(lat, 7), round(lon, 7)


# --- Helpers ---------------------------------------------------------------------------------


def _too_large(max_bytes: int = MAX_UPLOAD_BYTES) -> ImageError:
    return ImageError(
        _("Fotot är för stort. Det får vara högst %(max)s MB.")
        % {"max": max_bytes // (1024 * 1024)},
        code="size",
    )


def _unreadable() -> ImageError:
    return ImageError(
        _(
            "Filen är inte ett foto som går att läsa. Skicka ett foto i formatet JPEG, PNG eller WebP."
        ),
        code="format",
    )


def _bad_box() -> ImageError:
    return ImageError(_("Markera ett område inom fotot."), code="box")


def _read(upload: IO[bytes], max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    try:
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    except (OSError, ValueError) as error:  # a closed or broken upload
        raise _unreadable() from error
    if not isinstance(data, bytes | bytearray):
        raise _unreadable()
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    if not data:
        raise _unreadable()
    return bytes(data)


def _open(data: bytes, formats: Collection[str]) -> Image.Image:
    """The image, its format known from the content and its structure verified; nothing
    decoded yet. ImageError for anything else, and for more pixels than we will decode."""
    openers = sorted({_OPENERS[name] for name in formats if name in _OPENERS})
    try:
        with Image.open(io.BytesIO(data), formats=openers) as probe:
            if probe.format not in formats:
                raise _unreadable()
            _check_pixels(probe)
            probe.verify()  # checks what it can without decoding (PNG checksums, say)
        image = Image.open(io.BytesIO(data), formats=openers)  # verify() spends the image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except ImageError:
        raise
    except Exception as error:  # see process(): any parser failure means "not an image"
        raise _unreadable() from error
    _check_pixels(image)
    return image


def _gps_of(image: Image.Image) -> tuple[float, float] | None:
    # A broken EXIF block only means there is no position to offer.
    try:
        exif = image.getexif()
    except Exception:  # a stranger's EXIF: whatever goes wrong reading it, there is no place
        return None
    return gps_position(exif)


def _too_many_pixels() -> ImageError:
    return ImageError(_("Fotot har för många bildpunkter. Skicka en mindre bild."), code="pixels")


def _check_pixels(image: Image.Image) -> None:
    limit = min(MAX_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_PIXELS)
    if image.width * image.height > limit:
        raise _too_many_pixels()


def _shrink_while_decoding(image: Image.Image, max_side: int = MAX_SIDE) -> None:
    """A JPEG can be decoded at 1/2, 1/4 or 1/8 of its size, which is much faster and uses
    less memory; keep at least twice the final size so the resize still looks good."""
    if image.format not in ("JPEG", "MPO"):
        return
    scale = max_side / max(image.size)
    if scale < 1:
        image.draft("RGB", (round(image.width * scale * 2), round(image.height * scale * 2)))


def _upright(image: Image.Image) -> Image.Image:
    """Turned the way the camera was held (the EXIF Orientation tag)."""
    return ImageOps.exif_transpose(image)


def _rgb(image: Image.Image) -> Image.Image:
    """Plain RGB in sRGB: transparency on white, 16-bit greys scaled, a colour profile
    applied (the profile itself is not kept)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            converted = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # a broken profile: keep the colours as they are
        if converted is not None:
            image = converted
    return image.convert("RGB")


def _rgba(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has transparency (a PNG or GIF kept as PNG); a colour
    profile applied as in _rgb."""
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )
    if not has_alpha:
        return _rgb(image)
    return image.convert("RGBA")


def _clean_png(image: Image.Image) -> bytes:
    """A PNG of the pixels alone, as _clean_jpeg: no text chunks, no EXIF, no profile."""
    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    clean = Image.frombytes(mode, image.size, image.convert(mode).tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _clean_jpeg(image: Image.Image, quality: int = JPEG_QUALITY) -> bytes:
    """A JPEG of the pixels alone: a new image, so nothing of the original's `info`
    (EXIF, XMP, ICC, comments) can travel with it."""
    clean = Image.frombytes("RGB", image.size, image.convert("RGB").tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _degrees(value: Any, ref: Any, negative: str) -> float:
    parts = [float(part) for part in value]
    if not parts or len(parts) > 3:
        raise ValueError("not degrees, minutes, seconds")
    degrees = sum(part / 60**index for index, part in enumerate(parts))
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if isinstance(ref, str) and ref.strip("\x00 ").upper() == negative:
        degrees = -degrees
    return degrees
