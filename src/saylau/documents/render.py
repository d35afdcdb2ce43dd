"""Documents as PDF (fpdf2): A4, the bundled DejaVu Sans Condensed, text that can be extracted and searched.

Every page carries "page N of M" and the SHA-256 of the document's figures
(:func:`saylau.documents.model.digest`); the figures themselves are attached
as ``figures.json``, the exact bytes the hash is taken over. fpdf2 is imported
here only, so the rest of saylau works without the ``documents`` extra.
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Sequence
from contextlib import ExitStack
from fractions import Fraction
from importlib import resources
from typing import Any, cast

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from saylau.documents.lang import (
    LANGUAGES,
    date_text,
    decimal_text,
    fraction_text,
    integer_text,
    percent_text,
)
from saylau.documents.model import (
    Appointed,
    Document,
    ResultsSummary,
    SeatProtocol,
    StationProtocolDocument,
    canonical_json,
    digest,
)
from saylau.documents.wording import commission, deputies, election_phrase, text
from saylau.documents.words import number_words

__all__ = ["FONT_FILES", "render_pdf"]

FONT = "DejaVuSansCondensed"
FONT_FILES = {"": "DejaVuSansCondensed.ttf", "B": "DejaVuSansCondensed-Bold.ttf"}
"""The bundled fonts by style (in ``saylau/documents/fonts``, licence in ``LICENSE-DejaVu.txt``)."""

MEMBER_LINES = 4
"""Blank signature lines for the commission's members."""
DIGIT_BOXES = 9
"""Boxes for one figure on a station protocol (enough for 999,999,999)."""


class _Pdf(FPDF):
    def __init__(self, language: str, seal: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.language = language
        self.seal = seal
        self.set_margins(20, 15, 12)
        self.set_auto_page_break(True, margin=18)
        self.alias_nb_pages("{nb}")

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 7)
        self.cell(0, 4, text("page", self.language, n=self.page_no(), m="{nb}"), align="R",
                  new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.cell(0, 4, text("hash", self.language, digest=self.seal), align="L")

    # -- building blocks ---------------------------------------------------------------------------

    def title_block(self, title: str, lines: Sequence[str] = ()) -> None:
        self.set_font(FONT, "B", 12)
        self.multi_cell(0, 6, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)
        for line in lines:
            self.multi_cell(0, 5, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def heading(self, value: str) -> None:
        self.ln(2)
        self.set_font(FONT, "B", 10.5)
        self.multi_cell(0, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9.5)

    def para(self, value: str, *, size: float = 9.5, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, 5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def grid(self, head: Sequence[str] | None, rows: Sequence[Sequence[str]], widths: Sequence[float],
             align: str, *, size: float = 8.5, total: Sequence[str] | None = None) -> None:
        """A table (headless when ``head`` is None); ``align`` has one letter per column (L, R, C)."""
        self.set_font(FONT, "", size)
        style = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
        body = [*rows, *([total] if total is not None else [])]
        with self.table(col_widths=tuple(widths), width=sum(widths), align="LEFT", line_height=4.4,
                        headings_style=style, first_row_as_headings=head is not None, text_align=tuple({"L": "LEFT", "R": "RIGHT", "C": "CENTER"}[a]
                                                              for a in align), padding=1) as table:
            if head is not None:
                row = table.row()
                for cell in head:
                    row.cell(cell, align="CENTER")
            for i, values in enumerate(body):
                row = table.row(style=FontFace(emphasis="BOLD") if total is not None and i == len(body) - 1
                                else None)
                for cell in values:
                    row.cell(cell)
        self.ln(2)

    def signatures(self, *, roles: Sequence[str] = ("chair", "deputy", "secretary")) -> None:
        lang = self.language
        if self.will_page_break(70):
            self.add_page()
        self.ln(4)
        for role in (*roles, *(["members"] + [""] * (MEMBER_LINES - 1))):
            self.set_font(FONT, "B" if role else "", 9.5)
            self.cell(58, 8, text(role, lang) if role else "")
            self.set_font(FONT, "", 9.5)
            self.cell(45, 8, "_" * 22)
            self.cell(5, 8, "")
            self.cell(0, 8, "_" * 34, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_font(FONT, "", 7)
            self.cell(58, 3, "")
            self.cell(45, 3, text("signature", lang), align="C")
            self.cell(5, 3, "")
            self.cell(0, 3, text("full_name", lang), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)
        self.set_font(FONT, "", 9.5)
        self.cell(0, 6, text("seal", lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _exact(value: Fraction, language: str, most: int = 4) -> tuple[str, bool]:
    """``value`` with as few decimals as state it exactly (up to ``most``), and whether that is exact."""
    for places in range(most + 1):
        if (value * 10**places).denominator == 1:
            return decimal_text(value, places, language), True
    return decimal_text(value, most, language), False


def _share(share: Fraction, language: str, most: int = 4) -> str:
    """A share as a percentage with as few decimals as state it exactly (``7 %``), else ``≈`` and ``most``."""
    for places in range(most + 1):
        if (share * 100 * 10**places).denominator == 1:
            return percent_text(share, places, language)
    return "≈" + percent_text(share, most, language)


def _hash_note(pdf: _Pdf, doc: Document) -> None:
    """How to recompute the hash: the command that checks this very document."""
    words = ["saylau", "document", doc.kind, "--election", doc.election]
    if isinstance(doc, StationProtocolDocument):
        words += ["--station", doc.station, *(["--blank"] if doc.blank else [])]
    command = shlex.join([*words, "--verify", text("file", pdf.language)])
    pdf.ln(2)
    pdf.para(text("hash_note", pdf.language, command=command), size=7.5)


def _num(value: int | None, language: str) -> str:
    return text("not_known", language) if value is None else integer_text(value, language)


def _date(document: Document, language: str) -> list[str]:
    return [text("polling_day", language, date=date_text(document.date, language))] if document.date else []


# -- the seat protocol -------------------------------------------------------------------------------------


def _seat_protocol(pdf: _Pdf, doc: SeatProtocol) -> None:
    lang = pdf.language
    title = text("seat_title", lang, commission=commission(doc.country, lang),
                 election=election_phrase(doc.family, lang, "gen"))
    pdf.title_block(title[0].upper() + title[1:], _date(doc, lang))
    if doc.synthetic:
        pdf.para(text("synthetic", lang), bold=True)

    pdf.heading(text("s_votes", lang))
    _protocol_lines(pdf, doc, lang)

    pdf.heading(text("s_lists", lang))
    pdf.grid([text("number", lang), text("party", lang), text("votes", lang), text("percent_valid", lang)],
             [[str(x.ballot_no), x.names[lang], integer_text(x.votes, lang),
               percent_text(Fraction(x.votes, doc.valid), 2, lang) if doc.valid else "—"] for x in doc.lists],
             (12, 96, 35, 35), "CLRR",
             total=["", text("total", lang), integer_text(sum(x.votes for x in doc.lists), lang), ""])

    pdf.heading(text("s_threshold", lang))
    _threshold(pdf, doc)

    pdf.heading(text("s_quota", lang))
    q = doc.quota
    if q is None:
        pdf.para(text("no_quota", lang, method=doc.method))
    else:
        value, exact = _exact(q.value, lang)
        fields = {"fraction": fraction_text(q.votes, q.seats, lang), "approx": "=" if exact else "≈",
                  "decimal": value, "seats": integer_text(doc.list_seats, lang), "method": q.method}
        pdf.para(text("quota_hare" if q.method == "hare" and q.seats == doc.list_seats else "quota_other", lang,
                      **fields))

    pdf.heading(text("s_distribution", lang))
    _distribution(pdf, doc)

    section = 6
    if doc.runner_up is not None or doc.ties:
        pdf.heading(text("s_decisions", lang))
        _decisions(pdf, doc)
        section = 7
    pdf.heading(text("s_result", lang, n=section))
    pdf.para(text("result_intro", lang))
    seated = [x for x in doc.lists if x.kind == "list" and (x.seats or x.admitted)]
    pdf.grid([text("number", lang), text("party", lang), text("seats", lang)],
             [[str(x.ballot_no), x.names[lang], _spelled(x.seats, lang)] for x in seated], (12, 100, 66), "CLL",
             total=["", text("total", lang), _spelled(sum(x.seats for x in seated), lang)])
    for tier in doc.appointed:
        pdf.para(_appointed_text(tier, lang, spelled=True))
    pdf.para(text("house", lang, total=_spelled(doc.total_seats, lang), lists=_spelled(doc.list_seats, lang)))
    pdf.signatures()
    _hash_note(pdf, doc)


def _spelled(n: int, lang: str) -> str:
    """A count and its words, as a signed act states seats: ``76 (семьдесят шесть)``."""
    return f"{integer_text(n, lang)} ({number_words(n, lang)})"


def _appointed_text(tier: Appointed, lang: str, *, spelled: bool = False) -> str:
    key = "appointed" if tier.kind == "appointed" else "plurality"
    count = _spelled(tier.seats, lang) if spelled else integer_text(tier.seats, lang)
    return text(key, lang, body=tier.names[lang], n=count,
                deputies=deputies(tier.seats, lang, accusative=key == "appointed"))


def _threshold(pdf: _Pdf, doc: SeatProtocol) -> None:
    lang = pdf.language
    t = doc.threshold
    if t is None:
        pdf.para(text("no_threshold", lang))
        return
    if t.share is None or t.line is None or t.base_votes is None:
        pdf.para(text("threshold_votes", lang, minimum=integer_text(t.minimum_votes, lang)))
        line_text, line_value = integer_text(t.minimum_votes, lang), Fraction(t.minimum_votes)
        inclusive = True
    else:
        line_text, exact = _exact(t.line, lang)
        line_value, inclusive = t.line, t.inclusive
        pdf.para(text("threshold_share", lang, cmp=text("cmp_inclusive" if t.inclusive else "cmp_strict", lang),
                      share=_share(t.share, lang), base=text(f"base_{t.base}", lang),
                      base_votes=integer_text(t.base_votes, lang), line=("" if exact else "≈") + line_text,
                      minimum=integer_text(t.minimum_votes, lang)))
    rows = []
    for x in doc.lists:
        share = (percent_text(Fraction(x.votes, t.base_votes), 4, lang) if t.base_votes else "—")
        if x.kind == "against_all":
            rows.append([x.names[lang], integer_text(x.votes, lang), share, "", text("against_all", lang)])
            continue
        passed = x.votes >= line_value if inclusive else x.votes > line_value
        sign = ("≥" if inclusive else ">") if passed else ("<" if inclusive else "≤")
        verdict = text("passed" if passed else "not_passed", lang)
        if x.admission == "runner-up":
            verdict += "; " + text("runner_admitted", lang)
        elif x.admitted and not passed:
            verdict += "; " + text("admitted_otherwise", lang)
        rows.append([x.names[lang], integer_text(x.votes, lang), share,
                     f"{integer_text(x.votes, lang)} {sign} {line_text}", verdict])
    pdf.grid([text("party", lang), text("votes", lang), text("share", lang), text("test", lang),
              text("verdict", lang)], rows, (58, 22, 22, 42, 34), "LRRRL")


def _distribution(pdf: _Pdf, doc: SeatProtocol) -> None:
    lang = pdf.language
    if doc.quota is not None:
        pdf.para(text("distribution_intro", lang))

    def frac(value: Fraction | None) -> str:
        if value is None:
            return "—"
        shown, exact = _exact(value, lang)
        return shown if exact else "≈" + shown

    def opt(value: int | None, show: bool) -> str:
        return integer_text(value, lang) if show and value is not None else "—"

    admitted = [x for x in doc.lists if x.admitted]
    rows = [[x.names[lang], integer_text(x.votes, lang), frac(x.quotient), opt(x.whole_seats, True),
             frac(x.remainder), opt(x.remainder_seats, doc.quota is not None), integer_text(x.seats_won, lang)]
            for x in admitted]
    whole = sum(x.whole_seats or 0 for x in admitted)
    rest = sum(x.remainder_seats for x in admitted)
    pdf.grid([text("party", lang), text("votes", lang), text("quotient", lang), text("whole", lang),
              text("remainder", lang), text("by_remainder", lang), text("seats", lang)], rows,
             (50, 22, 24, 20, 22, 20, 20), "LRRRRRR",
             total=[text("total", lang), integer_text(sum(x.votes for x in admitted), lang), "",
                    integer_text(whole, lang), "", integer_text(rest, lang),
                    integer_text(sum(x.seats_won for x in admitted), lang)])
    if doc.quota is not None:
        pdf.para(text("whole_total", lang, whole=integer_text(whole, lang), rest=integer_text(rest, lang)))
    for x in doc.lists:
        if x.vacant:
            pdf.para(text("vacant", lang, party=x.names[lang], won=integer_text(x.seats_won, lang),
                          candidates=_num(x.candidates, lang), vacant=integer_text(x.vacant, lang)))


def _decisions(pdf: _Pdf, doc: SeatProtocol) -> None:
    lang = pdf.language

    def names(codes: Sequence[str]) -> str:
        return ", ".join(doc.line(c).names[lang] for c in codes)

    if doc.runner_up is not None:
        r = doc.runner_up
        factor, _ = _exact(r.factor, lang)
        pdf.para(text("runner_up", lang, leader=doc.line(r.leader).names[lang], runner=doc.line(r.runner).names[lang],
                      factor=factor, minimum=integer_text(r.minimum, lang)))
    for tie in doc.ties:
        fields: dict[str, Any] = {"stage": text(f"stage_{tie.stage}", lang), "seat": tie.seat,
                                  "lists": names(tie.lists), "winners": names(tie.winners)}
        if tie.policy == "lot":
            pdf.para(text("tie_lot", lang, seed=tie.seed, draw=names(tie.draw), **fields))
        else:
            pdf.para(text("tie_registration", lang, **fields))


# -- the station protocol ----------------------------------------------------------------------------------


def _boxes(pdf: _Pdf, value: int | None, height: float) -> None:
    """One box per digit; a figure's digits sit one per box, written as one run of text so it extracts whole."""
    width = 6.0
    x0, y0 = pdf.get_x(), pdf.get_y()
    for i in range(DIGIT_BOXES):
        pdf.rect(x0 + i * width, y0 + 0.8, width, height - 1.6)
    if value is not None:
        digits = str(value)
        pdf.set_font(FONT, "B", 10)
        glyph = pdf.get_string_width("0")  # digits share one width in DejaVu
        pdf.set_char_spacing((width - glyph) * 72 / 25.4)  # points
        start = max(DIGIT_BOXES - len(digits), 0)
        pdf.text(x0 + start * width + (width - glyph) / 2, y0 + height / 2 + 1.3, digits)
        pdf.set_char_spacing(0)
    pdf.set_xy(x0 + DIGIT_BOXES * width, y0)


def _line_count(pdf: _Pdf, width: float, height: float, value: str) -> int:
    """How many lines ``value`` takes in a cell ``width`` wide, in the current font."""
    lines = pdf.multi_cell(width, height, value, align="L", dry_run=True, output="LINES")
    return len(cast(list[str], lines))


def _station_protocol(pdf: _Pdf, doc: StationProtocolDocument) -> None:
    lang = pdf.language
    title = text("station_title", lang, election=election_phrase(doc.family, lang, "dat",
                                                                 party_list=doc.choices == "parties"))
    pdf.title_block(title[0].upper() + title[1:], _date(doc, lang))
    if doc.synthetic:
        pdf.para(text("synthetic", lang), bold=True)
    pdf.para(text("station", lang, station=doc.station), bold=True)
    if doc.region is not None:
        pdf.para(text("region", lang, name=doc.region[lang]))
    if doc.territory:
        pdf.para(text("territory", lang, name=doc.territory[lang]))
    if doc.blank:
        pdf.para(text("blank_note", lang), size=8.5)
    number_w, boxes_w, words_w = 16.0, DIGIT_BOXES * 6.0, 44.0
    label_w = pdf.epw - number_w - boxes_w - words_w
    pdf.set_font(FONT, "B", 8.5)
    pdf.cell(number_w, 6, text("line_no", lang), border=1, align="C")
    pdf.cell(label_w, 6, text("line_label", lang), border=1, align="C")
    pdf.cell(boxes_w, 6, text("in_figures", lang), border=1, align="C")
    pdf.cell(words_w, 6, text("in_words", lang), border=1, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    first_party = True
    for line in doc.lines:
        if line.party and first_party:
            first_party = False
            pdf.set_font(FONT, "B", 9)
            pdf.multi_cell(0, 6, text(f"{doc.choices}_lines", lang), border=1, new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)
        label = line.labels[lang]
        words = "" if line.value is None else number_words(line.value, lang)
        pdf.set_font(FONT, "", 7.5)
        words_lines = _line_count(pdf, words_w - 2, 3.6, words) if words else 0
        pdf.set_font(FONT, "", 9)
        label_lines = _line_count(pdf, label_w, 4.6, label)
        height = max(8.0, label_lines * 4.6 + 2, words_lines * 3.6 + 2)
        if pdf.will_page_break(height):
            pdf.add_page()
        y = pdf.get_y()
        pdf.cell(number_w, height, str(line.number), border=1, align="C")
        x = pdf.get_x()
        pdf.rect(x, y, label_w, height)
        pdf.set_xy(x, y + (height - label_lines * 4.6) / 2)
        pdf.multi_cell(label_w, 4.6, label, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.set_xy(x + label_w, y)
        _boxes(pdf, line.value, height)
        words_x = x + label_w + boxes_w
        pdf.rect(words_x, y, words_w, height)
        if words:
            pdf.set_font(FONT, "", 7.5)
            pdf.set_xy(words_x + 1, y + (height - words_lines * 3.6) / 2)
            pdf.multi_cell(words_w - 2, 3.6, words, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.set_xy(pdf.l_margin, y + height)
    pdf.ln(3)
    pdf.heading(text("relations", lang))
    for relation in doc.relations:
        pdf.para(relation, size=9)
    pdf.signatures()
    pdf.ln(2)
    pdf.para(text("signed_at", lang))
    _hash_note(pdf, doc)


# -- the results summary -----------------------------------------------------------------------------------


def _results_summary(pdf: _Pdf, doc: ResultsSummary) -> None:
    lang = pdf.language
    title = text("summary_title", lang, election=election_phrase(doc.family, lang, "gen"))
    status = text(f"status_{doc.status}", lang) if f"status_{doc.status}" in _STATUS else ""
    pdf.title_block(title[0].upper() + title[1:], [*_date(doc, lang), *([status] if status else [])])
    if doc.synthetic:
        pdf.para(text("synthetic", lang), bold=True)
    pdf.heading(text("national", lang))
    _protocol_lines(pdf, doc, lang)
    if doc.stations_total is not None:
        pdf.para(text("stations", lang, reported=_num(doc.stations_reported, lang),
                      total=integer_text(doc.stations_total, lang)))
    with_seats = doc.list_seats is not None
    head = [text("number", lang), text("party", lang), text("votes", lang), text("percent_valid", lang)]
    widths: tuple[float, ...] = (12, 96, 35, 35)
    if with_seats:
        head.append(text("seats", lang))
        widths = (12, 80, 30, 30, 26)
    rows = []
    for p in doc.parties:
        row = [str(p.ballot_no), p.names[lang], integer_text(p.votes, lang),
               percent_text(Fraction(p.votes, doc.valid), 2, lang) if doc.valid else "—"]
        if with_seats:
            row.append("—" if p.seats is None else integer_text(p.seats, lang))
        rows.append(row)
    total = ["", text("total", lang), integer_text(sum(p.votes for p in doc.parties), lang), ""]
    if with_seats:
        total.append(integer_text(sum(p.seats or 0 for p in doc.parties), lang))
    pdf.grid(head, rows, widths, "CLRRR"[:len(head)], total=total)
    for tier in doc.appointed:
        pdf.para(_appointed_text(tier, lang))
    if doc.total_seats is not None and doc.list_seats is not None:
        pdf.para(text("house", lang, total=integer_text(doc.total_seats, lang), lists=integer_text(doc.list_seats, lang)))
    pdf.para(text("percent_note", lang), size=8)
    if doc.regions:
        pdf.add_page(orientation="L")
        pdf.heading(text("by_region", lang))
        per_table = 5
        for start in range(0, len(doc.parties), per_table):
            chunk = range(start, min(start + per_table, len(doc.parties)))
            head = [text("region_col", lang), text("valid_votes", lang),
                    *(doc.parties[i].names[lang] for i in chunk)]
            rows = [[r.names[lang], integer_text(r.valid, lang),
                     *(f"{integer_text(r.votes[i], lang)}\n"
                       f"{percent_text(Fraction(r.votes[i], r.valid), 2, lang) if r.valid else '—'}" for i in chunk)]
                    for r in doc.regions]
            valid = sum(r.valid for r in doc.regions)
            sums = [sum(r.votes[i] for r in doc.regions) for i in chunk]
            total = [text("total", lang), integer_text(valid, lang),
                     *(f"{integer_text(v, lang)}\n{percent_text(Fraction(v, valid), 2, lang) if valid else '—'}"
                       for v in sums)]
            free = pdf.epw - 52 - 26
            pdf.grid(head, rows, (52, 26, *([free / len(chunk)] * len(chunk))), "LR" + "R" * len(chunk), size=7.5,
                     total=total)
        pdf.para(text("percent_note", lang), size=8)
    _hash_note(pdf, doc)


_STATUS = {"status_certified", "status_unofficial complete", "status_unofficial partial"}


# -- the PDF -----------------------------------------------------------------------------------------------


def render_pdf(document: Document, language: str, *, created: dt.datetime | None = None) -> bytes:
    """The PDF of ``document`` in ``language`` (kk, ru or en), its figures attached and their hash on every page."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    seal = digest(document)
    pdf = _Pdf(language, seal)
    with ExitStack() as stack:
        folder = resources.files("saylau.documents") / "fonts"
        for style, name in FONT_FILES.items():
            path = stack.enter_context(resources.as_file(folder / name))
            pdf.add_font(FONT, style, str(path))
        pdf.set_lang(language)
        pdf.set_creator("saylau")
        pdf.set_subject(f"{document.kind} {document.election}; SHA-256 of the figures {seal}")
        pdf.set_creation_date(created or dt.datetime.now(dt.UTC))
        pdf.embed_file(bytes=canonical_json(document), basename="figures.json", mime_type="application/json",
                       modification_date=created or dt.datetime.now(dt.UTC),
                       desc=f"The figures of this document; their SHA-256 is {seal}")
        pdf.add_page()
        pdf.set_font(FONT, "", 9.5)
        if isinstance(document, SeatProtocol):
            pdf.set_title(text("seat_title", language, commission=commission(document.country, language),
                               election=election_phrase(document.family, language, "gen")))
            _seat_protocol(pdf, document)
        elif isinstance(document, StationProtocolDocument):
            pdf.set_title(text("station", language, station=document.station))
            _station_protocol(pdf, document)
        else:
            pdf.set_title(text("summary_title", language, election=election_phrase(document.family, language, "gen")))
            _results_summary(pdf, document)
        return bytes(pdf.output())


def _protocol_lines(pdf: _Pdf, doc: SeatProtocol | ResultsSummary, lang: str) -> None:
    """The protocol's totals (registered, ballots cast, valid, invalid, turnout) as a two-column table."""
    rows = [[text("registered", lang), _num(doc.registered, lang)],
            [text("ballots_cast", lang), _num(doc.ballots_cast, lang)],
            [text("valid", lang), _num(doc.valid, lang)],
            [text("invalid", lang), _num(doc.invalid, lang)]]
    if doc.ballots_cast is not None and doc.registered:
        rows.append([text("turnout", lang), percent_text(Fraction(doc.ballots_cast, doc.registered), 2, lang)])
    pdf.grid(None, rows, (128, 50), "LR")
