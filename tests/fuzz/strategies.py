"""Values a careless user or an attacker types: what the outside probe tried, and more.

Each field gets either something the page itself offers (its option values, its current
value, a plausible value for its input type) or one of the hostile values below, so the
examples reach past the first validation error into the services.
"""

from __future__ import annotations

import io

from hypothesis import strategies as st

from tests.fuzz.crawler import Field, Form


def _long_email(length: int) -> str:
    """A syntactically valid address of exactly `length` characters (64 before the @)."""
    tail = ".se"
    room = length - 65 - len(tail)  # what the domain's labels and their dots may fill
    labels = []
    while room > 0:
        size = min(60, room)
        if room - size == 1:  # a lone dot left over: make this label one shorter
            size -= 1
        labels.append("b" * size)
        room -= size + 1
    address = f"{'a' * 64}@{'.'.join(labels)}{tail}"
    assert len(address) == length, (len(address), length)
    return address


HOSTILE = [
    "",
    " ",
    "²",
    "١٢٣",
    "１２３",
    "9" * 30,
    "9" * 5000,
    "-1",
    "0",
    "1e400",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "9999-12",
    "0000-00",
    "2026-02-30",
    "9999-12-31T23:59:59",
    "\x00",
    "a\x00b",
    "text\x1b[31m",
    "\x07\x08\x0b\x0c",
    "\u202ehej",
    _long_email(255),
    _long_email(320),
    "a@b",
    "<script>alert(1)</script>",
    "x" * 20_000,
    "+4670123456789012345",
    "070-123 45 67",
    "abc",
    "https://evil.example/",
    "../../etc/passwd",
]

any_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)), max_size=40
)  # lone surrogates can't even be sent as UTF-8
hostile = st.one_of(st.sampled_from(HOSTILE), any_text, st.integers().map(str))


def plausible(field: Field) -> str:
    kind = field.kind
    if field.value:
        return field.value
    return {
        "email": "fuzz@example.se",
        "date": "2026-12-10",
        "datetime-local": "2026-12-10T18:00",
        "time": "18:00",
        "month": "2026-01",
        "number": "5",
        "tel": "070-123 45 67",
        "url": "https://example.se/",
        "password": "ett-langt-losenord-123",
    }.get(kind, "Hej från testet")


PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _file(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def field_value(field: Field) -> st.SearchStrategy:
    if field.kind == "file":
        return st.one_of(
            st.just(None),
            st.builds(lambda: _file("bild.png", PNG_1PX)),
            st.binary(max_size=200).map(lambda data: _file("x.jpg", data)),
        )
    if field.kind in ("select", "radio"):
        offered = [o for o in field.options] or [""]
        return st.one_of(st.sampled_from(offered), st.sampled_from(offered), hostile)
    if field.kind in ("select-multiple", "checkbox"):
        offered = field.options or ["on"]
        return st.one_of(
            st.lists(st.sampled_from(offered), max_size=len(offered), unique=True),
            st.lists(hostile, max_size=3),
        )
    return st.one_of(st.just(plausible(field)), st.just(plausible(field)), hostile)


def form_data(form: Form) -> st.SearchStrategy[dict]:
    """A dict for Client.post/get: each field's value, some left out entirely."""
    fields = [f for f in form.fields if f.name != "csrfmiddlewaretoken"]

    @st.composite
    def build(draw):
        data: dict = dict(form.submit)
        for field in fields:
            if draw(st.integers(0, 9)) == 0:
                continue  # the field left out of the request altogether
            value = draw(field_value(field))
            if value is None:
                continue
            data[field.name] = value
        return data

    return build()


def open_bytes(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)
