"""The one image check: whatever bytes arrive, the only failure is its own ImageError, and
what comes out is a clean JPEG or PNG of the pixels alone."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from torget.core import images

EVERY_FORMAT = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF"})
SAVE_FORMATS = ["JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "ICO", "PPM"]
MODES = ["RGB", "RGBA", "L", "LA", "P", "1", "CMYK", "I;16"]


def _check(data: bytes, **options) -> images.ProcessedImage | None:
    """The result, or None when refused; any other exception fails the test."""
    try:
        return images.process(io.BytesIO(data), **options)
    except images.ImageError as error:
        assert error.code in {"size", "format", "pixels"}
        assert str(error)  # a message for the form
        return None


def _assert_clean(processed: images.ProcessedImage) -> None:
    data = processed.file.read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == processed.format
        assert max(image.size) <= images.MAX_SIDE
        assert not {"exif", "comment", "icc_profile", "xmp", "XML:com.adobe.xmp"} & set(image.info)


@st.composite
def small_images(draw) -> bytes:
    mode = draw(st.sampled_from(MODES))
    fmt = draw(st.sampled_from(SAVE_FORMATS))
    size = (draw(st.integers(1, 64)), draw(st.integers(1, 64)))
    # Pixels drawn by hypothesis (not Pillow's random noise) so each example can be replayed.
    grey = draw(st.binary(min_size=size[0] * size[1], max_size=size[0] * size[1]))
    image = Image.frombytes("L", size, grey).convert(mode)
    buffer = io.BytesIO()
    extra = {"comment": b"kommentar"} if fmt in ("GIF", "JPEG") else {}
    try:
        image.save(buffer, fmt, **extra)
    except (OSError, ValueError, KeyError, TypeError):
        # Not every format stores every mode; then the image as RGB in that format.
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, fmt)
    data = buffer.getvalue()
    # Sometimes damaged: cut short, or a byte flipped.
    damage = draw(st.sampled_from(["none", "truncate", "flip"]))
    if damage == "truncate" and len(data) > 1:
        data = data[: draw(st.integers(1, len(data) - 1))]
    elif damage == "flip" and data:
        index = draw(st.integers(0, len(data) - 1))
        data = data[:index] + bytes([data[index] ^ draw(st.integers(1, 255))]) + data[index + 1 :]
    return data


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes_only_ever_raise_the_checks_own_error(data):
    processed = _check(data, formats=EVERY_FORMAT, lossless=True)
    if processed is not None:
        _assert_clean(processed)


@FUZZ
@given(st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"RIFF"]), st.binary())
def test_random_bytes_after_a_real_signature_only_raise_the_checks_own_error(head, tail):
    processed = _check(head + tail, formats=EVERY_FORMAT, lossless=True)
    if processed is not None:
        _assert_clean(processed)


@FUZZ
@given(small_images(), st.booleans())
def test_small_images_in_any_format_come_out_clean_or_are_refused(data, lossless):
    processed = _check(data, formats=EVERY_FORMAT, lossless=lossless)
    if processed is not None:
        _assert_clean(processed)


class TestProcess:
    def test_a_gif_with_a_comment_comes_out_as_a_png_without_it(self):
        buffer = io.BytesIO()
        Image.new("P", (30, 20), 3).save(buffer, "GIF", comment=b"hemlig-kommentar")
        upload = SimpleUploadedFile("a.gif", buffer.getvalue(), "image/gif")

        processed = images.process(upload, formats=EVERY_FORMAT, lossless=True)

        data = processed.file.read()
        assert processed.format == "PNG" and processed.extension == ".png"
        assert b"hemlig-kommentar" not in data

    def test_transparency_is_kept_when_stored_as_png(self):
        buffer = io.BytesIO()
        Image.new("RGBA", (10, 10), (0, 0, 255, 0)).save(buffer, "PNG")

        processed = images.process(io.BytesIO(buffer.getvalue()), lossless=True)

        with Image.open(processed.file) as image:
            assert image.mode == "RGBA" and image.getpixel((5, 5))[3] == 0

    def test_a_gif_is_refused_where_only_photos_are_taken(self):
        buffer = io.BytesIO()
        Image.new("RGB", (10, 10)).save(buffer, "GIF")

        with pytest.raises(images.ImageError) as refused:
            images.process(io.BytesIO(buffer.getvalue()))
        assert refused.value.code == "format"

    @pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
    def test_a_small_file_with_144_megapixels_is_refused_before_decoding(self):
        buffer = io.BytesIO()
        Image.new("1", (12000, 12000)).save(buffer, "PNG")

        with pytest.raises(images.ImageError, match="för många bildpunkter") as refused:
            images.process(io.BytesIO(buffer.getvalue()), formats=EVERY_FORMAT)
        assert refused.value.code == "pixels"

    def test_the_size_limit_is_the_callers(self):
        with pytest.raises(images.ImageError, match="högst 1 MB") as refused:
            images.process(io.BytesIO(b"\x00" * (1024 * 1024 + 1)), max_bytes=1024 * 1024)
        assert refused.value.code == "size"

    def test_feedback_photos_still_offer_the_same_names(self):
        from torget.feedback import photos

        assert photos.process is images.process and photos.PhotoError is images.ImageError


@pytest.mark.parametrize("module", ["torget.core.images", "torget.core.media"])
def test_the_toolbox_modules_import_no_domain_app(module):
    import ast
    import importlib

    source = importlib.import_module(module).__file__
    with open(source, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert {name for name in imported if name and name.startswith("torget.")} == set()
