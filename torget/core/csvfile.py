"""Reading an uploaded CSV file the way a municipality's spreadsheet saves it.

Excel in Sweden saves "CSV (semikolonavgränsad)" in Windows-1252, other tools UTF-8 with or
without a byte-order mark, with semicolons or commas between the columns. These helpers take
the bytes as uploaded and give text and numbered rows; the importers (the residents' register,
the population figures) decide what the rows mean and refuse the file with the line numbers.
"""

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _


class NotTextError(ValueError):
    """The upload is not a text file (an .xlsx, a picture): csv would only say so unkindly."""


def decode_text(raw: bytes) -> str:
    """The file as text: UTF-8 (a byte-order mark dropped), else Latin-1 (which decodes
    anything, and gets å, ä and ö of a Windows-1252 file right)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if "\x00" in text:
        raise NotTextError(_("Filen är ingen textfil. Spara den som CSV och försök igen."))
    return text


def delimiter_of(text: str) -> str:
    """Semicolon when the file's beginning has one (Swedish spreadsheets), else comma."""
    return ";" if ";" in text[:1000] else ","


def numbered_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each row with the line it starts on (1 is the first line of the file).

    csv.Error (a NUL byte, a field larger than csv allows) reaches the caller, which says
    the file cannot be read.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    line = 1
    for row in reader:
        yield line, row
        line = reader.line_num + 1
