"""The allocate command's contract: names, JSON shape, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from saylau.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, text: str, name: str = "votes.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_contract_on_the_2021_result(capsys: pytest.CaptureFixture[str], spec_data: Path) -> None:
    code, out, err = run(capsys, "allocate", str(spec_data / "kz-2021-mazhilis-national.csv"),
                         "--rules", "kz-mazhilis-2021", "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["seats"] == {"People's Party of Kazakhstan": 10, "Nur Otan": 76,
                             "Auyl People's Democratic Patriotic Party": 0, "Ak Zhol Democratic Party": 12,
                             "Adal": 0}
    assert data["admitted"] == ["People's Party of Kazakhstan", "Nur Otan", "Ak Zhol Democratic Party"]
    assert data["quota"] == "6599921/98"
    assert data["ties"] == []
    assert any("largest remainders" in step["text"] for step in data["steps"])


def test_ad_hoc_flags(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    votes = write(tmp_path, "party,votes\nA,100000\nB,80000\nC,30000\nD,20000\n")
    code, out, _ = run(capsys, "allocate", votes, "--method", "dhondt", "--seats", "8", "--format", "json")
    assert code == 0 and json.loads(out)["seats"] == {"A": 4, "B": 3, "C": 1, "D": 0}
    code, out, _ = run(capsys, "allocate", votes, "--method", "hare", "--seats", "8", "--threshold", "10%",
                       "--valid", "250000", "--format", "json")
    data = json.loads(out)
    assert data["seats"]["D"] == 0 and data["threshold"]["base_total"] == 250000 and data["quota"] == "26250"  # 210,000 / 8


def test_threshold_base_from_a_given_total(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # The file lists only some parties; 7% of 10,000 ballots cast is 700.
    votes = write(tmp_path, "party,votes\nA,700\nB,5000\n")
    for flags, admitted in ((["--ballots-cast", "10000"], True), (["--ballots-cast", "10001"], False)):
        code, out, _ = run(capsys, "allocate", votes, "--method", "hare", "--seats", "10", "--threshold", "7%",
                           "--threshold-base", "ballots_cast", *flags, "--format", "json")
        assert code == 0 and ("A" in json.loads(out)["admitted"]) is admitted


def test_optional_columns(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    votes = write(tmp_path, "party,votes,kind,registration_order,candidates\n"
                            "A,900,list,2,5\nB,100,list,1,10\nX,50,against_all,3,\n")
    code, out, _ = run(capsys, "allocate", votes, "--method", "hare", "--seats", "10", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["seats"] == {"A": 5, "B": 1, "X": 0} and data["vacancies"] == {"A": 4}


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_vacancies_are_shown_in_every_format(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    # A has 5 candidates for 9 seats won: 4 stay vacant, and every format says so.
    votes = write(tmp_path, "party,votes,candidates\nA,900,5\nB,100,10\n")
    code, out, _ = run(capsys, "allocate", votes, "--method", "hare", "--seats", "10", "--format", fmt)
    assert code == 0
    header, first = out.strip().splitlines()[0 if fmt != "markdown" else 2], out.splitlines()[1 if fmt != "markdown" else 4]
    assert "vacant" in header
    cells = [c.strip() for c in first.replace("|", ",").replace("  ", ",").split(",") if c.strip()]
    assert cells[0] == "A" and cells[-1] == "4"
    if fmt == "table":
        assert out.strip().splitlines()[-1].split()[-2:] == ["6", "4"]  # total: 6 filled, 4 vacant


def test_no_vacant_column_without_vacancies(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    votes = write(tmp_path, "party,votes\nA,900\nB,100\n")
    code, out, _ = run(capsys, "allocate", votes, "--method", "hare", "--seats", "10")
    assert code == 0 and "vacant" not in out


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_other_formats(capsys: pytest.CaptureFixture[str], spec_data: Path, fmt: str) -> None:
    code, out, _ = run(capsys, "allocate", str(spec_data / "kz-2021-mazhilis-national.csv"),
                       "--rules", "kz-mazhilis-2021", "--format", fmt)
    assert code == 0 and "Nur Otan" in out and "76" in out


def test_explain_prints_the_check(capsys: pytest.CaptureFixture[str], spec_data: Path) -> None:
    code, out, _ = run(capsys, "allocate", str(spec_data / "kz-2021-mazhilis-national.csv"),
                       "--rules", "kz-mazhilis-2021", "--explain")
    assert code == 0
    assert "6599921/98 = 67346.1327" in out and "0.7856" in out and "0.7724" in out


BAD = [
    ("party,votes\nA,10\nB,-3\n", [], "row 3, field 'votes', value '-3'"),
    ("party,votes\nA,10\nB,2.5\n", [], "row 3, field 'votes', value '2.5'"),
    ("party,votes\nA,10\nB,\n", [], "row 3, field 'votes'"),
    ("party,votes\nA,10\nA,3\n", [], "row 3, field 'party', value 'A'"),
    ("", [], "empty file"),
    ("party,votes\n", [], "no rows"),
    ("party,count\nA,1\n", [], "missing column 'votes'"),
    ("party,votes\nA,10\nB,3\n", ["--rules", "kz-mazhilis-2021", "--valid", "12"], "field 'valid', value 12"),
    ("party,votes\nA,10\nB,3\n", [], "give the rules: --rules NAME|PATH, or --method and --seats; rulesets: dhondt,"),
    ("party,votes\nA,10\nB,3\n", ["--seats", "10"], "rulesets: dhondt, hare,"),
    ("party,votes\nA,10\nB,3\n", ["--method", "hare", "--seats", "5", "--threshold", "120%"], "outside [0, 1]"),
    ("party,votes\nA,10\nB,3\n", ["--rules", "kz-mazhilis-2099"], "unknown ruleset"),
]


@pytest.mark.parametrize(("text", "flags", "message"), BAD)
def test_bad_input_is_one_line_exit_2_and_no_result(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     text: str, flags: list[str], message: str) -> None:
    votes = write(tmp_path, text)
    code, out, err = run(capsys, "allocate", votes, *flags)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err
    if "row" in message:
        assert votes in err


@pytest.mark.parametrize("flags", [["--seats", "0"], ["--method", "bogus"], ["--tie", "coin"]])
def test_bad_flags_exit_2(tmp_path: Path, flags: list[str]) -> None:
    votes = write(tmp_path, "party,votes\nA,1\n")
    proc = subprocess.run([sys.executable, "-m", "saylau", "allocate", votes, *flags],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("saylau allocate: error: argument")


def test_no_list_passes_exits_1_with_the_rule(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    votes = write(tmp_path, "party,votes\nA,5\nB,5\n")
    code, out, err = run(capsys, "allocate", votes, "--rules", "kz-mazhilis-2021", "--valid", "1000")
    assert code == 1 and out == "" and "no list reached the threshold" in err


def test_rules_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "list")
    assert code == 0
    for name in ("kz-mazhilis-2007", "kz-mazhilis-2021", "kz-mazhilis-2023", "hare", "dhondt", "sainte-lague",
                 "huntington-hill"):
        assert name in out
    code, out, _ = run(capsys, "rules", "show", "kz-mazhilis-2023")
    assert code == 0 and 'share = "1/20"' in out and 'kind = "plurality"' in out and "seats = 29" in out


def test_ruleset_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = write(tmp_path, 'name = "mine"\n[lists]\nseats = 8\nmethod = "dhondt"\n', "mine.toml")
    votes = write(tmp_path, "party,votes\nA,100000\nB,80000\nC,30000\nD,20000\n")
    code, out, _ = run(capsys, "allocate", votes, "--rules", rules, "--format", "json")
    assert code == 0 and json.loads(out)["seats"] == {"A": 4, "B": 3, "C": 1, "D": 0}


# --- bounded, strict input (issue 13) and a CLI without surprises (issue 15) -----------------------

@pytest.mark.parametrize(("cell", "reason"), [
    ("10000000001", "above 10,000,000,000"),
    ("9223372036854775808", "above 10,000,000,000"),
    ("1" + "0" * 5000, "above 10,000,000,000"),
    ("1 000", "digits 0-9 only"),
    ("1_000", "digits 0-9 only"),
    ("+12", "digits 0-9 only"),
    ("12.0", "digits 0-9 only"),
    ("1e3", "digits 0-9 only"),
    ("true", "digits 0-9 only"),
    ("١٢", "digits 0-9 only"),
    ("-4", "must not be negative"),
])
def test_a_count_out_of_bounds_or_leniently_written_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                               cell: str, reason: str) -> None:
    votes = write(tmp_path, f"party,votes\nA,10\nB,{cell}\n")
    code, out, err = run(capsys, "allocate", votes, "--method", "hare", "--seats", "5")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"{votes}, row 3, field 'votes'" in err and reason in err


def test_the_bound_itself_is_accepted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    votes = write(tmp_path, "party,votes\nA,10000000000\nB,0009999999999\n")
    code, out, _ = run(capsys, "allocate", votes, "--method", "hare", "--seats", "5", "--format", "json")
    assert code == 0 and json.loads(out)["seats"] == {"A": 3, "B": 2}


@pytest.mark.parametrize("value", ["10000000001", "1 000", "+5"])
def test_count_options_are_bounded_and_strict(tmp_path: Path, value: str) -> None:
    votes = write(tmp_path, "party,votes\nA,1\n")
    proc = subprocess.run([sys.executable, "-m", "saylau", "allocate", votes, "--method", "hare", "--seats", "1",
                           "--valid", value], capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and proc.stdout == "" and "--valid" in proc.stderr and "Traceback" not in proc.stderr


def test_a_semicolon_separated_file_is_named_and_the_delimiter_option_reads_it(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    votes = write(tmp_path, "party;votes\nA;100\nB;50\n")
    code, out, err = run(capsys, "allocate", votes, "--method", "hare", "--seats", "3")
    assert code == 2 and out == "" and "separated by semicolons" in err and "--delimiter ';'" in err
    code, out, _ = run(capsys, "allocate", votes, "--method", "hare", "--seats", "3", "--delimiter", ";",
                       "--format", "json")
    assert code == 0 and json.loads(out)["seats"] == {"A": 2, "B": 1}


def test_tie_by_lot_without_seed_draws_one_and_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    votes = write(tmp_path, "party,votes\nA,100\nB,100\n")
    code, out, err = run(capsys, "allocate", votes, "--method", "hare", "--seats", "1", "--tie", "lot",
                         "--format", "json")
    data = json.loads(out)
    assert code == 0 and isinstance(data["seed"], str) and data["ties"][0]["seed"] == data["seed"]
    assert f"seed {data['seed']} was drawn" in err and err.count("\n") == 1
    code, again, _ = run(capsys, "allocate", votes, "--method", "hare", "--seats", "1", "--tie", "lot",
                         "--seed", str(data["seed"]), "--format", "json")
    assert json.loads(again)["seats"] == data["seats"]


def test_no_help_text_shows_a_doubled_percent_sign() -> None:
    from saylau.cli import build_parser, reference_markdown

    assert "%%" not in reference_markdown()
    assert "%%" not in build_parser().format_help()
