"""Check a document PDF: its attached figures hash to the SHA-256 printed on every page, and equal the figures
rebuilt from the store now (pypdf, the ``documents`` extra)."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

from saylau.errors import InputError, SaylauError

__all__ = ["DocumentMismatch", "Seal", "check_document", "read_seal"]

_HEX = re.compile(r"(?<![0-9a-f])([0-9a-f]{64})(?![0-9a-f])")


class DocumentMismatch(SaylauError):
    """A document's figures, its printed hash and the stored figures do not all agree."""


@dataclass(frozen=True, slots=True)
class Seal:
    figures: bytes
    """The attached ``figures.json``, byte for byte."""
    printed: tuple[str, ...]
    """The hash printed on each page, in page order ('' for a page that shows none)."""


def read_seal(pdf: bytes, *, source: str = "<pdf>") -> Seal:
    """The attached figures and the hash printed on each page of a saylau document."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        attachments = reader.attachments
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not a readable PDF: {exc}", source=source) from None
    figures = attachments.get("figures.json")
    if not figures:
        raise InputError("no figures.json attached: not a saylau document", source=source)
    printed = []
    for page in pages:
        found = _HEX.search(page)
        printed.append(found.group(1) if found else "")
    return Seal(figures[0], tuple(printed))


def check_document(pdf: bytes, expected: bytes, *, source: str = "<pdf>") -> str:
    """The hash, when the PDF's attached figures hash to the hash on every page and equal ``expected``.

    Raises :class:`DocumentMismatch` naming the first disagreement.
    """
    seal = read_seal(pdf, source=source)
    actual = hashlib.sha256(seal.figures).hexdigest()
    for number, printed in enumerate(seal.printed, start=1):
        if printed != actual:
            shown = printed or "no hash"
            raise DocumentMismatch(f"{source}: page {number} shows {shown}, but the attached figures hash to {actual}")
    if seal.figures != expected:
        raise DocumentMismatch(f"{source}: the document's figures (SHA-256 {actual}) differ from the figures in the "
                               f"store now (SHA-256 {hashlib.sha256(expected).hexdigest()})")
    return actual
