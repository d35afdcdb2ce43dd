"""Protocol forms as data: the lines of a polling-station protocol and its control relations.

The grammar (one TOML file per form, format 1)::

    format = 1
    name = "ru-duma-2021"                # registry name
    title = "..."                        # human title
    country = "RU"
    legal_basis = "..."                  # the law that prescribes the form, cited
    languages = ["en", "ru"]             # every line carries a label in each
    first_party_line = 13                # number of the first party line on the printed form
    choices = "parties"                  # what the ballot offers: parties | candidates | answers (default parties)
    notes = "..."                        # optional

    [totals]                             # the standard totals, as expressions over line keys
    registered = "voters_on_list"        # voters on the list
    ballots_cast = "ballots_in_portable_boxes + ballots_in_stationary_boxes"   # ballots found in the boxes
    valid = "valid"                      # valid ballots ('parties' where the form has no valid line)
    invalid = "invalid"
    issued = "ballots_issued_early + ballots_issued_in_premises + ballots_issued_outside"   # ballots issued

    [[lines]]                            # in printed order
    key = "voters_on_list"               # snake_case English key counts are stored under
    number = 1                           # the line's number on the printed form
    en = "Voters on the list"            # a label per language
    ru = "Число избирателей, ..."
    aliases = ["..."]                    # optional: other wordings sources use (CEC files)

    [[relations]]                        # control relations
    name = "list_covers_issued"
    left = "voters_on_list"              # linear expression: keys, + and -, optional 2*key;
    operator = ">="                      #   'parties' is the sum of all party votes
    right = "ballots_issued_early + ballots_issued_in_premises + ballots_issued_outside"
    severity = "error"                   # error | warning
    en = "..."                           # optional explanation

Every error names the file, line and key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from saylau.errors import InputError
from saylau.protocols.expr import PARTIES, LinearExpr, parse_expr
from saylau.protocols.model import StationProtocol

__all__ = ["CHOICES", "FORMAT", "OPERATORS", "SEVERITIES", "TOTALS", "Form", "FormError", "Line", "Relation",
           "load_form_file", "parse_form"]

FORMAT = 1
OPERATORS = ("=", ">=", "<=")
SEVERITIES = ("error", "warning")
CHOICES = ("parties", "candidates", "answers")
"""What a ballot offers: party lists (Duma, Mazhilis), candidates (a president), answers (yes/no to a question)."""
TOTALS = ("registered", "ballots_cast", "valid", "invalid", "issued")
"""The standard totals every form names (``issued`` is ballots issued, for turnout by issue)."""

Operator = Literal["=", ">=", "<="]
Severity = Literal["error", "warning"]

_TOP = {"format", "name", "title", "country", "legal_basis", "languages", "first_party_line", "choices", "notes",
        "totals", "lines", "relations"}
_LINE = {"key", "number", "aliases"}
_RELATION = {"name", "left", "operator", "right", "severity"}
_KEY = re.compile(r"[a-z][a-z0-9_]*")
_NAME = re.compile(r"[a-z0-9][a-z0-9.-]*")
_LANGUAGE = re.compile(r"[a-z]{2}")


class FormError(InputError):
    """A malformed protocol form (file, line and key)."""


@dataclass(frozen=True, slots=True)
class Line:
    """One numbered line of the printed protocol."""

    key: str
    number: int
    labels: Mapping[str, str]
    """Labels by language code (``en``, ``ru``, ``kk``)."""
    aliases: tuple[str, ...] = ()

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or self.labels.get("en") or self.key


@dataclass(frozen=True, slots=True)
class Relation:
    """``left operator right``, e.g. ``ballots_in_boxes = invalid + valid``."""

    name: str
    left: LinearExpr
    operator: Operator
    right: LinearExpr
    severity: Severity = "error"
    labels: Mapping[str, str] = field(default_factory=dict)
    difference: tuple[tuple[str, int], ...] = ()
    """Coefficients of ``left - right``: the relation holds when it is =0, >=0 or <=0."""

    def __post_init__(self) -> None:
        if not self.difference:
            object.__setattr__(self, "difference", tuple(self.left.minus(self.right).items()))

    def holds(self, left_value: int, right_value: int) -> bool:
        if self.operator == "=":
            return left_value == right_value
        if self.operator == ">=":
            return left_value >= right_value
        return left_value <= right_value

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"


@dataclass(frozen=True, slots=True)
class Form:
    """A protocol form: its lines in printed order, its control relations and its standard totals."""

    name: str
    lines: tuple[Line, ...]
    relations: tuple[Relation, ...]
    total_exprs: Mapping[str, LinearExpr]
    title: str = ""
    country: str = ""
    legal_basis: str = ""
    languages: tuple[str, ...] = ("en",)
    first_party_line: int | None = None
    notes: str = ""
    source: str = ""
    choices: str = "parties"
    """What the ballot offers (:data:`CHOICES`): the vote columns are parties, candidates or answers."""

    @property
    def line_keys(self) -> tuple[str, ...]:
        return tuple(line.key for line in self.lines)

    def line(self, key: str) -> Line:
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(key)

    def relation(self, name: str) -> Relation:
        for relation in self.relations:
            if relation.name == name:
                return relation
        raise KeyError(name)

    def totals(self, protocol: StationProtocol) -> dict[str, int]:
        """The standard totals of one protocol: registered, ballots_cast, valid, invalid, issued."""
        return {name: expr.evaluate(protocol.lines, protocol.votes) for name, expr in self.total_exprs.items()}


def load_form_file(path: str | Path) -> Form:
    """Read and check a form file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FormError(f"cannot read form: {exc.strerror}", source=str(path)) from None
    except UnicodeDecodeError:
        raise FormError("not UTF-8 text", source=str(path)) from None
    return parse_form(text, source=str(path))


def parse_form(text: str, *, source: str = "<form>") -> Form:
    """Parse and check a form's TOML text; every error names ``source``, the line and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python < 3.14 puts the position only in the message: "... (at line 2, column 8)".
        found = re.search(r"at line (\d+)", str(exc))
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
        raise FormError(f"not valid TOML: {exc}", source=source, line=line) from None
    locate = _Locator(text)

    def fail(message: str, table: str, key: str, value: object = None, index: int | None = None) -> FormError:
        dotted = key if not table else (f"{table}[{index}].{key}" if index is not None else f"{table}.{key}")
        return FormError(message, source=source, line=locate(table, index, key), field=dotted, value=value)

    for key in data:
        if key not in _TOP:
            raise fail(f"unknown key; expected one of {', '.join(sorted(_TOP))}", "", key)
    if data.get("format", FORMAT) != FORMAT:
        raise fail(f"unsupported form format (this saylau reads format {FORMAT})", "", "format", data.get("format"))
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise fail("name must be lower-case letters, digits, '-' or '.'", "", "name", name)
    for key in ("title", "country", "legal_basis", "notes"):
        if key in data and not isinstance(data[key], str):
            raise fail("must be a string", "", key, data[key])
    languages = data.get("languages", ["en"])
    if (not isinstance(languages, list) or "en" not in languages
            or not all(isinstance(x, str) and _LANGUAGE.fullmatch(x) for x in languages)):
        raise fail("languages must be a list of two-letter codes including 'en'", "", "languages", languages)
    first_party = data.get("first_party_line")
    if first_party is not None and (isinstance(first_party, bool) or not isinstance(first_party, int)
                                    or first_party < 1):
        raise fail("must be a whole number >= 1", "", "first_party_line", first_party)
    choices = data.get("choices", "parties")
    if choices not in CHOICES:
        raise fail(f"choices must be one of {', '.join(CHOICES)}", "", "choices", choices)

    lines = _lines(data.get("lines"), tuple(languages), fail)
    keys = {line.key for line in lines}

    def expression(raw: object, table: str, key: str, index: int | None = None) -> LinearExpr:
        try:
            expr = parse_expr(raw)  # type: ignore[arg-type]
        except ValueError as exc:
            raise fail(str(exc), table, key, raw, index) from None
        for term in expr.keys:
            if term != PARTIES and term not in keys:
                raise fail(f"unknown line {term!r}; lines are {', '.join(sorted(keys))} and 'parties'",
                           table, key, raw, index)
        return expr

    relations: list[Relation] = []
    raw_relations = data.get("relations", [])
    if not isinstance(raw_relations, list):
        raise fail("relations must be an array of tables ([[relations]])", "", "relations")
    for i, raw in enumerate(raw_relations):
        if not isinstance(raw, dict):
            raise fail("a relation must be a table", "relations", "name", raw, i)
        for key in raw:
            if key not in _RELATION and not _LANGUAGE.fullmatch(key):
                raise fail(f"unknown key; expected one of {', '.join(sorted(_RELATION))} or a language code",
                           "relations", key, None, i)
        rname = raw.get("name")
        if not isinstance(rname, str) or not _KEY.fullmatch(rname):
            raise fail("a relation needs a snake_case name", "relations", "name", rname, i)
        if any(r.name == rname for r in relations):
            raise fail("duplicate relation name", "relations", "name", rname, i)
        operator = raw.get("operator")
        if operator not in OPERATORS:
            raise fail(f"operator must be one of {', '.join(OPERATORS)}", "relations", "operator", operator, i)
        severity = raw.get("severity", "error")
        if severity not in SEVERITIES:
            raise fail("severity must be 'error' or 'warning'", "relations", "severity", severity, i)
        for side in ("left", "right"):
            if side not in raw:
                raise fail("missing", "relations", side, None, i)
        left = expression(raw["left"], "relations", "left", i)
        right = expression(raw["right"], "relations", "right", i)
        labels = {k: v for k, v in raw.items() if _LANGUAGE.fullmatch(k)}
        relations.append(Relation(rname, left, operator, right, severity, labels))

    raw_totals = data.get("totals")
    if not isinstance(raw_totals, dict):
        raise fail(f"a form needs a [totals] table naming {', '.join(TOTALS)}", "", "totals")
    for key in raw_totals:
        if key not in TOTALS:
            raise fail(f"unknown total; expected {', '.join(TOTALS)}", "totals", key)
    totals: dict[str, LinearExpr] = {}
    for key in TOTALS:
        if key not in raw_totals:
            raise fail("missing total", "totals", key)
        totals[key] = expression(raw_totals[key], "totals", key)

    return Form(
        name=name, lines=lines, relations=tuple(relations), total_exprs=totals,
        title=data.get("title", ""), country=data.get("country", ""), legal_basis=data.get("legal_basis", ""),
        languages=tuple(languages), first_party_line=first_party, notes=data.get("notes", ""), source=source,
        choices=choices,
    )


def _lines(raw_lines: Any, languages: tuple[str, ...], fail: Any) -> tuple[Line, ...]:
    if not isinstance(raw_lines, list) or not raw_lines:
        raise fail("a form needs its lines ([[lines]] tables)", "", "lines")
    lines: list[Line] = []
    for i, raw in enumerate(raw_lines):
        if not isinstance(raw, dict):
            raise fail("a line must be a table", "lines", "key", raw, i)
        for key in raw:
            if key not in _LINE and key not in languages:
                raise fail(f"unknown key; expected key, number, aliases or a label in {', '.join(languages)}",
                           "lines", key, None, i)
        key = raw.get("key")
        if not isinstance(key, str) or not _KEY.fullmatch(key) or key == PARTIES:
            raise fail("a line needs a snake_case key (not 'parties')", "lines", "key", key, i)
        if any(line.key == key for line in lines):
            raise fail("duplicate line key", "lines", "key", key, i)
        number = raw.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise fail("a line needs its number on the printed form (a whole number >= 1)", "lines", "number",
                       number, i)
        if any(line.number == number for line in lines):
            raise fail("duplicate line number", "lines", "number", number, i)
        labels: dict[str, str] = {}
        for language in languages:
            label = raw.get(language)
            if not isinstance(label, str) or not label.strip():
                raise fail(f"missing label in {language!r}", "lines", language, label, i)
            labels[language] = label
        aliases = raw.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise fail("aliases must be a list of strings", "lines", "aliases", aliases, i)
        lines.append(Line(key, number, labels, tuple(aliases)))
    return tuple(lines)


class _Locator:
    """The line of ``key`` in ``[table]`` or in the n-th ``[[table]]`` of TOML text (None if absent)."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(#.*)?$")
    _ASSIGN = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def __call__(self, table: str, index: int | None, key: str) -> int | None:
        current, seen, header_line = "", -1, None
        for number, text in enumerate(self.lines, start=1):
            header = self._HEADER.match(text)
            if header:
                current = header.group(2)
                if current == table:
                    seen += 1 if header.group(1) == "[[" else 0
                    header_line = number
                continue
            in_place = current == table and (index is None or seen == index)
            assign = self._ASSIGN.match(text)
            if in_place and assign and assign.group(1) == key:
                return number
        if table and index is None:
            return header_line
        if table and index is not None:
            return self._nth_header(table, index)
        return None

    def _nth_header(self, table: str, index: int) -> int | None:
        seen = -1
        for number, text in enumerate(self.lines, start=1):
            header = self._HEADER.match(text)
            if header and header.group(2) == table:
                seen += 1
                if seen == index:
                    return number
        return None
