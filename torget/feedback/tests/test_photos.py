"""Photos: checked from their content, upright, GPS read, every piece of metadata gone."""

import io
import struct
import zlib
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, TiffImagePlugin
from PIL.ExifTags import GPS, IFD, Base

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.feedback import photos, services
from torget.feedback.models import CasePhoto, CaseUpdate, UpdateKind
from torget.feedback.tests.factories import make_case

RED = (200, 30, 30)
BLUE = (30, 30, 200)


def _rational(value: float) -> TiffImagePlugin.IFDRational:
    fraction = Fraction(value).limit_denominator(10_000)
    return TiffImagePlugin.IFDRational(fraction.numerator, fraction.denominator)


def _dms(value: float) -> tuple[TiffImagePlugin.IFDRational, ...]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return (_rational(degrees), _rational(minutes), _rational(round(seconds, 4)))


def photo_with_exif(
    *,
    size: tuple[int, int] = (400, 200),
    lat: float | None = 58.4108,
    lon: float | None = 15.6214,
    orientation: int = 6,
) -> bytes:
    """A phone-like JPEG: the left half red and the right half blue as stored, an
    Orientation tag, a GPS block, a camera make, a comment."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[Base.Orientation] = orientation
    exif[Base.Make] = "Telefonbolaget"
    exif[Base.Model] = "Kamera 3000"
    if lat is not None and lon is not None:
        exif[IFD.GPSInfo] = {
            GPS.GPSLatitudeRef: "N" if lat >= 0 else "S",
            GPS.GPSLatitude: _dms(lat),
            GPS.GPSLongitudeRef: "E" if lon >= 0 else "W",
            GPS.GPSLongitude: _dms(lon),
        }
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"tagen hemma hos Anna", quality=95)
    return buffer.getvalue()


def upload(content: bytes, name: str = "IMG_0001.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def close(color: tuple[int, ...], expected: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(color[:3], expected, strict=True))


class TestProcess:
    def test_a_rotated_phone_photo_comes_out_upright_without_any_metadata(self):
        original = photo_with_exif(size=(400, 200), orientation=6)
        assert b"Exif" in original and b"Telefonbolaget" in original  # the test's premise

        processed = photos.process(upload(original))

        content = processed.file.read()
        image = opened(content)
        assert image.format == "JPEG" and image.mode == "RGB"
        # Orientation 6: the camera was turned a quarter; the photo is shown turned back.
        assert image.size == (200, 400)
        # Turned clockwise, the stored left half (red) ends up on top.
        assert close(image.getpixel((100, 50)), RED)
        assert close(image.getpixel((100, 350)), BLUE)
        assert len(image.getexif()) == 0
        assert not image.getexif().get_ifd(IFD.GPSInfo)
        for marker in (b"Exif", b"Telefonbolaget", b"Kamera", b"Anna", b"ICC_PROFILE", b"http"):
            assert marker not in content
        assert "comment" not in image.info and "exif" not in image.info
        assert processed.file.name == "photo.jpg"

    def test_the_gps_position_is_read_from_the_original(self):
        processed = photos.process(upload(photo_with_exif(lat=58.4108, lon=15.6214)))

        assert processed.gps is not None
        lat, lon = processed.gps
        assert lat == pytest.approx(58.4108, abs=1e-5)
        assert lon == pytest.approx(15.6214, abs=1e-5)

    def test_south_and_west_give_negative_coordinates(self):
        processed = photos.process(upload(photo_with_exif(lat=-33.8568, lon=-70.6693)))

        assert processed.gps == (
            pytest.approx(-33.8568, abs=1e-5),
            pytest.approx(-70.6693, abs=1e-5),
        )

    def test_a_photo_without_gps_gives_no_position(self):
        processed = photos.process(upload(photo_with_exif(lat=None, lon=None, orientation=1)))

        assert processed.gps is None
        assert opened(processed.file.read()).size == (400, 200)

    def test_a_broken_gps_block_gives_no_position_but_the_photo_is_kept(self):
        image = Image.new("RGB", (50, 50), RED)
        exif = Image.Exif()
        exif[IFD.GPSInfo] = {GPS.GPSLatitudeRef: "N", GPS.GPSLatitude: (_rational(58),)}
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", exif=exif)

        processed = photos.process(upload(buffer.getvalue()))

        assert processed.gps is None
        assert opened(processed.file.read()).size == (50, 50)

    def test_a_transparent_png_becomes_an_rgb_jpeg_on_white(self):
        image = Image.new("RGBA", (100, 80), (0, 0, 0, 0))
        image.paste((30, 30, 200, 255), (0, 0, 50, 80))
        buffer = io.BytesIO()
        image.save(buffer, "PNG")

        processed = photos.process(upload(buffer.getvalue(), "skiss.png", "image/png"))

        result = opened(processed.file.read())
        assert result.format == "JPEG" and result.mode == "RGB"
        assert result.size == (100, 80)
        assert close(result.getpixel((20, 40)), BLUE)
        assert close(result.getpixel((80, 40)), (255, 255, 255))

    def test_a_webp_is_accepted(self):
        buffer = io.BytesIO()
        Image.new("RGB", (120, 90), BLUE).save(buffer, "WEBP")

        processed = photos.process(upload(buffer.getvalue(), "bild.webp", "image/webp"))

        assert opened(processed.file.read()).size == (120, 90)

    def test_a_colour_profile_is_applied_and_not_kept(self):
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        buffer = io.BytesIO()
        Image.new("RGB", (60, 60), RED).save(buffer, "JPEG", icc_profile=srgb)
        assert b"ICC_PROFILE" in buffer.getvalue()

        content = photos.process(upload(buffer.getvalue())).file.read()

        assert b"ICC_PROFILE" not in content
        assert "icc_profile" not in opened(content).info
        assert close(opened(content).getpixel((30, 30)), RED)

    def test_a_large_photo_is_resized_to_the_longest_side(self):
        buffer = io.BytesIO()
        Image.new("RGB", (4000, 3000), RED).save(buffer, "JPEG")

        processed = photos.process(upload(buffer.getvalue()))

        assert opened(processed.file.read()).size == (1600, 1200)

    def test_a_tall_large_png_is_resized_too(self):
        buffer = io.BytesIO()
        Image.new("RGB", (1000, 3200), RED).save(buffer, "PNG")

        processed = photos.process(upload(buffer.getvalue(), "hog.png", "image/png"))

        assert opened(processed.file.read()).size == (500, 1600)

    def test_a_text_file_named_jpg_is_refused(self):
        text = "Det här är ingen bild, bara text.\n".encode() * 20

        with pytest.raises(photos.PhotoError, match="inte ett foto"):
            photos.process(upload(text, "foto.jpg", "image/jpeg"))

    def test_a_gif_is_refused_whatever_its_name(self):
        buffer = io.BytesIO()
        Image.new("RGB", (40, 40), RED).save(buffer, "GIF")

        with pytest.raises(photos.PhotoError, match="JPEG, PNG eller WebP"):
            photos.process(upload(buffer.getvalue(), "foto.jpg", "image/jpeg"))

    def test_an_empty_file_is_refused(self):
        with pytest.raises(photos.PhotoError):
            photos.process(upload(b""))

    @pytest.mark.parametrize("keep", [0.5, 0.05])
    def test_a_truncated_jpeg_is_refused(self, keep):
        buffer = io.BytesIO()
        Image.effect_noise((800, 600), 60).convert("RGB").save(buffer, "JPEG")
        content = buffer.getvalue()

        with pytest.raises(photos.PhotoError, match="inte ett foto"):
            photos.process(upload(content[: int(len(content) * keep)]))

    def test_a_png_with_a_broken_checksum_is_refused(self):
        buffer = io.BytesIO()
        Image.new("RGB", (40, 40), RED).save(buffer, "PNG")
        content = bytearray(buffer.getvalue())
        idat = content.index(b"IDAT")
        content[idat + 6] ^= 0xFF  # a byte of the compressed pixels; the CRC no longer fits

        with pytest.raises(photos.PhotoError):
            photos.process(upload(bytes(content), "bild.png", "image/png"))

    def test_an_upload_over_ten_megabytes_is_refused(self):
        big = b"\xff\xd8\xff\xe0" + b"\x00" * (11 * 1024 * 1024)

        with pytest.raises(photos.PhotoError, match="högst 10 MB"):
            photos.process(upload(big))

    def test_the_size_is_checked_on_what_is_read_not_only_what_is_claimed(self):
        stream = io.BytesIO(b"\x00" * (photos.MAX_UPLOAD_BYTES + 1))  # a file with no .size

        with pytest.raises(photos.PhotoError, match="högst 10 MB"):
            photos.process(stream)

    def test_a_header_claiming_a_huge_image_is_refused_before_decoding(self):
        # A valid PNG claiming 100,000 x 100,000 pixels (30 GB decoded) in a few bytes.
        def chunk(kind: bytes, data: bytes) -> bytes:
            return (
                struct.pack(">I", len(data))
                + kind
                + data
                + struct.pack(">I", zlib.crc32(kind + data))
            )

        ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
        bomb = (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
            + chunk(b"IEND", b"")
        )
        assert len(bomb) < 200

        with pytest.raises(photos.PhotoError, match="för många bildpunkter"):
            photos.process(upload(bomb, "bomb.png", "image/png"))

    @pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
    def test_pillows_pixel_limit_is_respected(self, monkeypatch):
        buffer = io.BytesIO()
        Image.new("RGB", (1200, 1000), RED).save(buffer, "JPEG")
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)

        with pytest.raises(photos.PhotoError, match="för många bildpunkter"):
            photos.process(upload(buffer.getvalue()))

    def test_a_photo_just_under_the_pixel_limit_is_accepted(self, monkeypatch):
        buffer = io.BytesIO()
        Image.new("RGB", (1000, 1000), RED).save(buffer, "JPEG")
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)

        assert opened(photos.process(upload(buffer.getvalue())).file.read()).size == (1000, 1000)


class TestBlackOut:
    def photo(self) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", (400, 200), RED).save(buffer, "JPEG", quality=95)
        return buffer.getvalue()

    def test_the_box_is_black_and_the_rest_is_kept(self):
        result = opened(photos.black_out(self.photo(), (0.25, 0.5, 0.5, 0.5)))

        assert result.size == (400, 200) and result.format == "JPEG"
        # The box is x 100..300, y 100..200.
        for point in [(110, 110), (200, 150), (290, 195)]:
            assert max(result.getpixel(point)) <= 8, point
        for point in [(50, 150), (350, 150), (200, 50), (90, 190)]:
            assert close(result.getpixel(point), RED), point

    def test_the_result_has_no_metadata(self):
        content = photos.black_out(photo_with_exif(orientation=1), (0, 0, 0.1, 0.1))

        assert b"Exif" not in content and b"Telefonbolaget" not in content
        assert len(opened(content).getexif()) == 0

    @pytest.mark.parametrize(
        "box",
        [
            (1.0, 0, 0.1, 0.1),
            (0, 0, 0, 0.5),
            (-0.1, 0, 0.5, 0.5),
            ("a", 0, 1, 1),
            (float("nan"),) * 4,
        ],
    )
    def test_a_box_outside_the_photo_is_refused(self, box):
        with pytest.raises(photos.PhotoError, match="Markera ett område"):
            photos.black_out(self.photo(), box)

    def test_something_that_is_not_a_photo_is_refused(self):
        with pytest.raises(photos.PhotoError):
            photos.black_out(b"inte en bild", (0, 0, 0.5, 0.5))


@pytest.mark.django_db
class TestPhotoRedact:
    @pytest.fixture(autouse=True)
    def _media(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path

    def case_photo(self) -> CasePhoto:
        processed = photos.process(upload(photo_with_exif(size=(400, 200), orientation=1)))
        case = make_case(photos=[processed.file])
        return case.photos.get()

    def test_staff_black_out_part_of_a_photo_for_good(self, tmp_path):
        photo = self.case_photo()
        old_path = tmp_path / photo.image.name
        assert old_path.exists()
        staff = user_with_role(Role.CONTACT_CENTRE)

        redacted = services.photo_redact(photo=photo, actor=staff, box=(0.5, 0, 0.5, 1))

        redacted.refresh_from_db()
        assert redacted.redacted_at is not None
        assert (redacted.width, redacted.height) == (400, 200)
        with redacted.image.open("rb") as handle:
            image = opened(handle.read())
        assert max(image.getpixel((300, 100))) <= 8  # the right half, blue before, is black
        assert close(image.getpixel((100, 100)), RED)
        # The original is gone from storage: what was masked cannot be fetched again.
        assert not old_path.exists()
        assert redacted.image.name != photo.image.name
        assert CaseUpdate.objects.filter(case=photo.case, kind=UpdateKind.PHOTO_REDACTED).exists()
        assert AuditEntry.objects.filter(action="case.photo_redacted").exists()

    def test_a_citizen_cannot_redact(self):
        photo = self.case_photo()
        citizen = user_with_role(Role.CITIZEN)

        with pytest.raises(PermissionDenied):
            services.photo_redact(photo=photo, actor=citizen, box=(0, 0, 0.5, 0.5))

        photo.refresh_from_db()
        assert photo.redacted_at is None
