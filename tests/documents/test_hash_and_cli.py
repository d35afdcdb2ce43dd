"""The document's hash (recomputed from the attached figures and from the store) and the command's errors."""

from __future__ import annotations

import hashlib
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from saylau.cli import main
from saylau.core import Party
from saylau.documents import canonical_json, digest, load_document, seat_protocol
from saylau.documents.render import render_pdf
from saylau.documents.verify import DocumentMismatch, check_document
from saylau.engine import allocate
from saylau.tabulate.model import ElectionData, ElectionInfo, PartyInfo, UnitCounts

PageReader = Callable[[Path], list[str]]
Flatten = Callable[[list[str]], str]


def _attached(path: Path) -> bytes:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(path.read_bytes())).attachments["figures.json"][0]


def test_hash_is_sha256_of_the_attached_canonical_json_on_every_page(kz_store: str, tmp_path: Path,
                                                                    read_pages: PageReader) -> None:
    outs = {}
    for lang in ("ru", "kk"):
        outs[lang] = tmp_path / f"{lang}.pdf"
        assert main(["document", "seat-protocol", "--election", "kz-2021", "--lang", lang, "--db", kz_store,
                     "-o", str(outs[lang])]) == 0
    figures = _attached(outs["ru"])
    recomputed = hashlib.sha256(figures).hexdigest()
    document = load_document("seat-protocol", "kz-2021", kz_store)
    assert figures == canonical_json(document)
    assert recomputed == digest(document)
    # Canonical: sorted keys, no whitespace, UTF-8; exact numbers as fraction strings.
    parsed = json.loads(figures)
    assert json.dumps(parsed, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() == figures
    assert parsed["document"]["quota"]["value"] == "6599921/98"
    for lang, path in outs.items():
        pages = read_pages(path)
        assert len(pages) >= 2
        assert all(recomputed in page for page in pages), lang
    assert _attached(outs["kk"]) == figures  # one result, one hash, whatever the language


def test_verify_accepts_the_document_and_refuses_another(kz_store: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    seat = tmp_path / "seat.pdf"
    summary = tmp_path / "summary.pdf"
    assert main(["document", "seat-protocol", "--election", "kz-2021", "--lang", "kk", "--db", kz_store,
                 "-o", str(seat)]) == 0
    assert main(["document", "results-summary", "--election", "kz-2021", "--lang", "kk", "--db", kz_store,
                 "-o", str(summary)]) == 0
    capsys.readouterr()
    assert main(["document", "seat-protocol", "--election", "kz-2021", "--db", kz_store, "--verify", str(seat)]) == 0
    assert "verified" in capsys.readouterr().out
    assert main(["document", "seat-protocol", "--election", "kz-2021", "--db", kz_store,
                 "--verify", str(summary)]) == 1
    assert "differ from the figures in the store" in capsys.readouterr().err


def test_verify_catches_a_page_whose_hash_does_not_match(kz_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from saylau.documents import render

    document = load_document("seat-protocol", "kz-2021", kz_store)
    pdf = render_pdf(document, "en")
    assert check_document(pdf, canonical_json(document)) == digest(document)
    monkeypatch.setattr(render, "digest", lambda _doc: "0" * 64)  # the figures attached, a wrong hash printed
    forged = render_pdf(document, "en")
    with pytest.raises(DocumentMismatch, match="page 1 shows 0000"):
        check_document(forged, canonical_json(document))
    changed = json.loads(canonical_json(document))
    changed["document"]["lists"][0]["seats"] += 1
    other = json.dumps(changed, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(DocumentMismatch, match="differ from the figures in the store"):
        check_document(pdf, other)


def _election(votes: dict[str, int], *, date: bool = True) -> ElectionData:
    import datetime as dt

    parties = tuple(PartyInfo(code, code, i, names={"en": f"Party {code}", "ru": f"Партия {code}",
                                                     "kk": f"{code} партиясы"})
                    for i, code in enumerate(votes, start=1))
    nation = UnitCounts("KZ", "Kazakhstan", "nation", None, votes, sum(votes.values()))
    info = ElectionInfo("test", "test", dt.date(2021, 1, 10) if date else None, "kz-mazhilis-2021", "KZ")
    return ElectionData(info, parties, (nation,))


def _seat_pdf(data: ElectionData, lang: str, tmp_path: Path, read_pages: PageReader, flatten: Flatten) -> str:
    nation = data.nation
    allocation = allocate([Party(p.code, nation.votes[p.code], p.kind, p.registration_order) for p in data.parties],
                          "kz-mazhilis-2021")
    path = tmp_path / f"{lang}.pdf"
    path.write_bytes(render_pdf(seat_protocol(data, allocation), lang))
    return flatten(read_pages(path))


def test_tie_on_remainders_is_stated(tmp_path: Path, read_pages: PageReader, flatten: Flatten) -> None:
    # Three equal lists, 98 seats: quotients 98/3, so 32 each by whole parts and two seats among three equal remainders.
    data = _election({"A": 1000, "B": 1000, "C": 1000})
    text = _seat_pdf(data, "ru", tmp_path, read_pages, flatten)
    assert "Равенство (остатков) при распределении мандата № 97 между списками: Партия A, Партия B, Партия C." in text
    assert "Мандат получил список, зарегистрированный ранее: Партия A, Партия B." in text
    assert "Партия C 1 000 ≈32,6667 32 ≈0,6667 0 32" in text


def test_runner_up_clause_is_stated(tmp_path: Path, read_pages: PageReader, flatten: Flatten) -> None:
    # Only A reaches 7%: B, the next largest, is admitted with its quotient corrected by 0.7 (2009 amendment).
    data = _election({"A": 900_000, "B": 60_000, "C": 40_000})
    text = _seat_pdf(data, "kk", tmp_path, read_pages, flatten)
    assert "Шектен тек бір партиялық тізім (A партиясы) өтті" in text
    assert "(B партиясы) де жіберілді. Оның бөліндісі 0,7 коэффициентіне көбейтіледі және ол кемінде 2 мандат алады." in text
    assert "B партиясы 60 000 6,0000 % 60 000 < 70 000 өтпеді; жіберілді (дауыс саны бойынша келесі)" in text


@pytest.mark.parametrize(("argv", "message"), [
    (["seat-protocol", "--election", "nope", "--lang", "ru"], "no election 'nope'"),
    (["station-protocol", "--election", "kz-2021", "--station", "nope", "--lang", "kk"],
     "no station 'nope' in election 'kz-2021'"),
    (["station-protocol", "--election", "kz-2021", "--lang", "kk"], "station-protocol needs --station"),
    (["seat-protocol", "--election", "kz-2021", "--station", "x", "--lang", "kk"],
     "--station and --blank are for station-protocol"),
    (["seat-protocol", "--election", "kz-2021", "--lang", "de"], "invalid choice: 'de'"),
    (["seat-protocol", "--election", "kz-2021"], "say the document's language"),
    (["bill", "--election", "kz-2021", "--lang", "kk"], "invalid choice: 'bill'"),
])
def test_bad_input_is_one_line_and_nothing_written(kz_store: str, tmp_path: Path, argv: list[str], message: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "doc.pdf"
    try:
        code = main(["document", *argv, "--db", kz_store, "-o", str(out)])
    except SystemExit as exc:  # argparse refuses usage errors itself, with the same one line and code
        code = exc.code  # type: ignore[assignment]
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_missing_extra_gives_the_install_hint(kz_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "fpdf", None)  # as if fpdf2 were not installed
    monkeypatch.delitem(sys.modules, "saylau.documents.render", raising=False)
    out = tmp_path / "doc.pdf"
    assert main(["document", "seat-protocol", "--election", "kz-2021", "--lang", "ru", "--db", kz_store,
                 "-o", str(out)]) == 4
    assert "pip install 'saylau[documents]'" in capsys.readouterr().err
    assert not out.exists()


def test_built_in_election_without_a_store_creates_none(tmp_path: Path, spec_data: Path,
                                                        read_pages: PageReader, flatten: Flatten) -> None:
    missing = tmp_path / "none.sqlite"
    out = tmp_path / "seat.pdf"
    assert main(["document", "seat-protocol", "--election", "kz-2021", "--lang", "en", "--db", str(missing),
                 "-o", str(out)]) == 0
    assert not missing.exists()  # read from the official tables; reading never creates a store
    assert "Nur Otan 5,148,074" in flatten(read_pages(out))


def test_output_is_announced_on_standard_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.pdf"
    assert main(["document", "seat-protocol", "--election", "kz-2021", "--lang", "ru", "-o", str(out),
                 "--db", str(tmp_path / "none.sqlite")]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and f"wrote {out}" in captured.err and out.is_file()
