"""Photos citizens attach to a case: checked from their content (not their name), turned
upright, their GPS position read (offered to place the pin), then every piece of metadata
stripped and the image resized, before anything is stored.

    process(upload) -> ProcessedPhoto        # raises PhotoError with a Swedish message
    black_out(content: bytes, box) -> bytes  # staff redaction; box = (x, y, w, h) in 0..1

What is stored is always a new image built from the pixels alone: no EXIF (place, time, phone),
no XMP, no ICC profile, no comments. Colours in another profile (Display P3) are turned into
sRGB first, so dropping the profile does not change how the photo looks.
"""

import io
import math
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageDraw, ImageOps, UnidentifiedImageError
from PIL.ExifTags import GPS, IFD

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
# A 10 MB file can claim far more pixels than it holds (a decompression bomb). 50 megapixels
# covers the largest ordinary phone photos; Pillow's own limit applies too when lower.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85
# Pillow's names for the formats, read from the content. MPO is a JPEG with extra frames
# (many phones write it); its first frame is the photo.
FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}


class PhotoError(ValueError):
    pass


@dataclass
class ProcessedPhoto:
    file: ContentFile  # a clean JPEG, no metadata
    gps: tuple[float, float] | None  # (lat, lon) read from the original, if it had one


def process(upload: Any) -> ProcessedPhoto:
    """Check, turn upright, read the GPS position, strip and resize one uploaded photo
    (a Django UploadedFile or any binary file object)."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _too_large()
    data = _read(upload)
    image = _open(data)
    gps = _gps_of(image)
    try:
        _shrink_while_decoding(image)
        image.load()
        image = _upright(image)
        image = _rgb(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        content = _clean_jpeg(image)
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        raise _unreadable() from error
    return ProcessedPhoto(file=ContentFile(content, name="photo.jpg"), gps=gps)


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
    image = _open(content)
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
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        if isinstance(error, PhotoError):
            raise
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


def _too_large() -> PhotoError:
    return PhotoError(
        _("Fotot är för stort. Det får vara högst %(max)s MB.")
        % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)}
    )


def _unreadable() -> PhotoError:
    return PhotoError(
        _(
            "Filen är inte ett foto som går att läsa. Skicka ett foto i formatet JPEG, PNG eller WebP."
        )
    )


def _bad_box() -> PhotoError:
    return PhotoError(_("Markera ett område inom fotot."))


def _read(upload: IO[bytes]) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large()
    if not data:
        raise _unreadable()
    return bytes(data)


def _open(data: bytes) -> Image.Image:
    """The image, its format known from the content and its structure verified; nothing
    decoded yet. PhotoError for anything else, and for more pixels than we will decode."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise _unreadable()
            _check_pixels(probe)
            probe.verify()  # checks what it can without decoding (PNG checksums, say)
        image = Image.open(io.BytesIO(data))  # verify() leaves the image unusable
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        if isinstance(error, PhotoError):
            raise
        raise _unreadable() from error
    _check_pixels(image)
    return image


def _gps_of(image: Image.Image) -> tuple[float, float] | None:
    # A broken EXIF block only means there is no position to offer.
    try:
        exif = image.getexif()
    except (OSError, SyntaxError, ValueError, TypeError, KeyError, EOFError):
        return None
    return gps_position(exif)


def _too_many_pixels() -> PhotoError:
    return PhotoError(_("Fotot har för många bildpunkter. Skicka en mindre bild."))


def _check_pixels(image: Image.Image) -> None:
    limit = min(MAX_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_PIXELS)
    if image.width * image.height > limit:
        raise _too_many_pixels()


def _shrink_while_decoding(image: Image.Image) -> None:
    """A JPEG can be decoded at 1/2, 1/4 or 1/8 of its size, which is much faster and uses
    less memory; keep at least twice the final size so the resize still looks good."""
    if image.format not in ("JPEG", "MPO"):
        return
    scale = MAX_SIDE / max(image.size)
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
