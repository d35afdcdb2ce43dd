"""Polls, their average, the simulation and the projection summary."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")

from saylau.analysis.polls import average_polls, read_polls  # noqa: E402
from saylau.analysis.projection import OTHERS, project  # noqa: E402
from saylau.analysis.simulate import simulate  # noqa: E402
from saylau.cli import main  # noqa: E402
from saylau.core import Party, allocate_system  # noqa: E402
from saylau.engine import build_system  # noqa: E402
from saylau.errors import InputError  # noqa: E402

KZ = build_system("kz-mazhilis-2021")


@pytest.fixture()
def polls_csv(spec_data: Path) -> Path:
    return spec_data / "kz-2021-mazhilis-polls.csv"


def test_result_row_never_enters_the_average(polls_csv: Path) -> None:
    polls = read_polls(polls_csv)
    assert {p.kind for p in polls} == {"poll", "exit_poll", "result"}
    avg = average_polls(polls, kinds=("poll", "exit_poll"))
    assert all(p.kind != "result" for p in avg.polls) and len(avg.polls) == 10
    with pytest.raises(InputError, match="never enters"):
        average_polls(polls, kinds=("result",))


def test_recency_weights_halve_every_half_life(polls_csv: Path) -> None:
    avg = average_polls(read_polls(polls_csv), half_life=14)
    assert avg.as_of == dt.date(2021, 1, 4)  # the newest poll
    by_date = {p.date: w for p, w in zip(avg.polls, avg.weights, strict=True)}
    assert by_date[dt.date(2021, 1, 4)] == 1.0
    assert by_date[dt.date(2020, 12, 25)] == pytest.approx(0.5 ** (10 / 14))
    # NO: weighted mean of its seven poll figures
    weights = list(avg.weights)
    figures = [p.shares["NO"] for p in avg.polls]
    assert avg.shares["NO"] == pytest.approx(sum(w * f for w, f in zip(weights, figures, strict=True)) / sum(weights))
    # JSDP is averaged over the two polls that report it only
    assert avg.shares["JSDP"] == pytest.approx((1.6 * 0.5 ** (35 / 14) + 2.3 * 0.5 ** (53 / 14))
                                               / (0.5 ** (35 / 14) + 0.5 ** (53 / 14)))
    early = average_polls(read_polls(polls_csv), as_of=dt.date(2020, 12, 1))
    assert {p.date for p in early.polls} == {dt.date(2020, 11, 30), dt.date(2020, 11, 12)}


@pytest.mark.parametrize(("cell", "field"), [("abc", "NO"), ("120", "NO"), ("-1", "NO")])
def test_bad_poll_cells_are_located(tmp_path: Path, cell: str, field: str) -> None:
    path = tmp_path / "polls.csv"
    path.write_text(f"date,pollster,kind,NO,AJ\n2021-01-01,X,poll,50,10\n2021-01-02,Y,poll,{cell},10\n")
    with pytest.raises(InputError) as err:
        read_polls(path)
    assert (err.value.source, err.value.row, err.value.field, err.value.value) == (str(path), 3, field, cell)


def test_bad_kind_and_date(tmp_path: Path) -> None:
    path = tmp_path / "polls.csv"
    path.write_text("date,pollster,kind,NO\n2021-13-01,X,poll,50\n")
    with pytest.raises(InputError, match="date"):
        read_polls(path)
    path.write_text("date,pollster,kind,NO\n2021-01-01,X,survey,50\n")
    with pytest.raises(InputError) as err:
        read_polls(path)
    assert err.value.field == "kind" and err.value.row == 2


def _parties() -> list[Party]:
    return [Party(n, 0, "list", o) for n, o in (("QHP", 1), ("NO", 2), ("AUYL", 3), ("AJ", 4), ("ADAL", 5))]


def test_simulation_rows_are_the_engines_seats() -> None:
    draws = simulate([0.09, 0.7, 0.06, 0.11, 0.04], _parties(), KZ, n_eff=800, votes_cast=5000, sims=3000,
                     seed=7, chunk=1000)
    assert draws.seed == 7 and draws.sims == 3000
    assert (draws.seats.sum(axis=1)[draws.ok] == 98).all()
    # Replaying chunk by chunk with the core engine gives the same seats.
    children = np.random.SeedSequence(7).spawn(3)
    rng = np.random.default_rng(children[1])
    p = np.array([0.09, 0.7, 0.06, 0.11, 0.04])
    votes = rng.multinomial(5000, rng.dirichlet(800 * p, size=1000))
    for r in range(0, 1000, 97):
        row = [Party(q.name, int(votes[r, j]), q.kind, q.registration_order) for j, q in enumerate(_parties())]
        assert list(allocate_system(row, KZ).seats.values()) == draws.seats[1000 + r].tolist()


def test_same_seed_same_draws_any_chunking_of_work() -> None:
    args = ([0.09, 0.7, 0.06, 0.11, 0.04], _parties(), KZ)
    a = simulate(*args, n_eff=500, votes_cast=10_000, sims=2500, seed=42, chunk=1000)
    b = simulate(*args, n_eff=500, votes_cast=10_000, sims=2500, seed=42, chunk=1000)
    c = simulate(*args, n_eff=500, votes_cast=10_000, sims=2500, seed=43, chunk=1000)
    assert np.array_equal(a.seats, b.seats) and not np.array_equal(a.seats, c.seats)
    fresh = simulate(*args, n_eff=500, votes_cast=10_000, sims=10, seed=None)
    again = simulate(*args, n_eff=500, votes_cast=10_000, sims=10, seed=fresh.seed)
    assert np.array_equal(fresh.seats, again.seats)  # the recorded seed replays the run


def test_projection_summary_matches_its_draws(polls_csv: Path) -> None:
    avg = average_polls(read_polls(polls_csv), kinds=("exit_poll",))
    result = project(avg, KZ, ballot=_parties(), votes_cast=7_241_562, sims=4000, seed=2021,
                     actual={"NO": 76, "AJ": 12, "QHP": 10, "AUYL": 0, "ADAL": 0})
    seats = result.draws.seats[result.draws.ok]
    for j, x in enumerate(result.lists):
        s = np.sort(seats[:, j])
        assert x.median == s[(len(s) + 1) // 2 - 1]
        assert x.low == s[int(np.ceil(0.05 * len(s))) - 1] and x.high == s[int(np.ceil(0.95 * len(s))) - 1]
        assert sum(x.distribution.values()) == pytest.approx(1.0)
        assert x.p_majority == pytest.approx(float((s >= 54).mean()))
    assert result.majority == 54 and result.list_majority == 50
    no = result.lists[1]
    assert no.party == "NO" and no.p_majority == 1.0 and no.p_pass == 1.0
    # the exit polls put Auyl and Adal under 7% in practically every draw
    assert result.lists[2].p_pass < 0.01 and result.lists[4].p_pass == 0.0
    data = result.to_dict()
    assert data["seed"] == 2021 and data["lists"][1]["actual"] == 76
    assert all(p["kind"] == "exit_poll" for p in data["polls"])


def test_others_bucket_counts_in_the_threshold_base() -> None:
    from saylau.analysis.polls import Poll, PollAverage

    avg = PollAverage({"A": 60.0, "B": 6.6, "C": 13.4}, (Poll(dt.date(2021, 1, 1), "x", "poll", {}, 2),), (1.0,),
                      dt.date(2021, 1, 1), 14)
    renorm = project(avg, KZ, n_eff=1e7, sims=200, seed=1)
    bucket = project(avg, KZ, n_eff=1e7, sims=200, seed=1, others="bucket")
    assert [p.name for p in bucket.parties][-1] == OTHERS and bucket.shares[-1] == pytest.approx(0.2)
    # B: 6.6 / 80 = 8.25% of the listed, but 6.6% of all valid votes once others count
    assert renorm.lists[1].p_pass == 1.0 and bucket.lists[1].p_pass == 0.0
    assert (bucket.draws.seats[:, -1] == 0).all()


def test_cli_project_json_and_plot(polls_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "projection.png"
    code = main(["project", "--polls", str(polls_csv), "--election", "kz-2021", "--sims", "2000", "--seed", "5",
                 "--kind", "exit_poll", "--format", "json", "--plot", str(chart)])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert [x["party"] for x in data["lists"]] == ["QHP", "NO", "AUYL", "AJ", "ADAL"]
    assert data["sims"] == 2000 and data["votes_cast"] == 7_241_562 and data["house"] == 107
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000
    code = main(["project", "--polls", str(polls_csv), "--sims", "500", "--seed", "5"])
    out = capsys.readouterr().out
    assert code == 0 and "JSDP" in out and "majority = 54 of 107" in out


def test_cli_project_bad_polls_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.csv"
    path.write_text("date,pollster,kind,NO\n2021-01-01,X,poll,abc\n")
    assert main(["project", "--polls", str(path)]) == 2
    assert "row 2" in capsys.readouterr().err


def test_runner_up_clause_in_pre_election_draws(polls_csv: Path) -> None:
    """The 2021 polls put Ak Zhol near 7%: where Nur Otan passes alone, the runner-up clause applies."""
    avg = average_polls(read_polls(polls_csv))
    result = project(avg, KZ, ballot=_parties(), votes_cast=100_000, sims=3000, seed=3)
    d = result.draws
    assert d.fallback == 0 and d.ok.all() and (d.seats.sum(axis=1) == 98).all()
    alone = d.passed.sum(axis=1) == 1
    assert 0 < alone.sum() < len(alone)
    others = np.delete(d.seats[alone], 1, axis=1)
    assert ((others > 0).sum(axis=1) == 1).all() and (others.max(axis=1) >= 2).all()
