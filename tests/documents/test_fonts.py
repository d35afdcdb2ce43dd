"""The bundled fonts: licensed for redistribution, and every Kazakh letter is in them."""

from __future__ import annotations

from importlib import resources

import pytest
from fontTools.ttLib import TTFont

from saylau.documents.render import FONT_FILES

KAZAKH = "әғқңөұүһі"
FOLDER = resources.files("saylau.documents") / "fonts"


@pytest.mark.parametrize("name", sorted(FONT_FILES.values()))
def test_font_covers_every_kazakh_and_russian_letter(name: str) -> None:
    with resources.as_file(FOLDER / name) as path:
        cmap = TTFont(path).getBestCmap()
    letters = KAZAKH + KAZAKH.upper() + "абвгдеёжзийклмнопрстуфхцчшщъыьэюя" + "№«»—≥≤×≈Σ…"
    letters += letters.upper()
    missing = [ch for ch in letters if ord(ch) not in cmap]
    assert missing == []
    assert "Ә" in KAZAKH.upper() and "І" in KAZAKH.upper()  # the capitals are really checked


def test_licence_ships_beside_the_fonts() -> None:
    licence = (FOLDER / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Permission is hereby granted, free of charge" in licence
    assert "Bitstream" in licence and "Arev" in licence
