"""Fixtures for the documents: a store with kz-2021 (official results and a few synthetic stations)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from saylau.cli import main


@pytest.fixture(scope="module")
def kz_store(tmp_path_factory: pytest.TempPathFactory, spec_data: Path) -> str:
    """A SQLite store holding kz-2021 as `saylau load kz-2021 --synth` puts it there (20 synthetic stations)."""
    db = tmp_path_factory.mktemp("documents") / "kz.sqlite"
    assert main(["load", "kz-2021", "--db", str(db), "--synth", "--stations", "20", "--seed", "3"]) == 0
    return str(db)


@pytest.fixture(scope="session")
def read_pages() -> Callable[[Path], list[str]]:
    return pdf_pages


@pytest.fixture(scope="session")
def flatten() -> Callable[[list[str]], str]:
    return flat


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, no-break spaces made plain (figures are then searched as '5 148 074')."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [(page.extract_text() or "").replace("\u00a0", " ") for page in reader.pages]


def flat(pages: list[str]) -> str:
    """All pages as one line of text: line breaks inside a wrapped sentence become spaces."""
    return " ".join(" ".join(pages).split())
