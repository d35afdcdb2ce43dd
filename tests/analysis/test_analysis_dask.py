"""Scale-out: the same seed gives the same simulated elections on 1 or 2 Dask workers and locally."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
distributed = pytest.importorskip("distributed")

from saylau.analysis.simulate import simulate  # noqa: E402
from saylau.cli import main  # noqa: E402
from saylau.core import Party  # noqa: E402
from saylau.engine import build_system  # noqa: E402

SHARES = [0.07, 0.72, 0.05, 0.1, 0.06]
PARTIES = [Party(n, 0, "list", o) for n, o in (("QHP", 1), ("NO", 2), ("AUYL", 3), ("AJ", 4), ("ADAL", 5))]


def _cluster(workers: int) -> distributed.LocalCluster:
    return distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=False, protocol="tcp",
                                    dashboard_address=None)


def test_one_worker_two_workers_and_local_agree(spec_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    system = build_system("kz-mazhilis-2021")
    kwargs = {"n_eff": 3000, "votes_cast": 1_000_000, "sims": 9000, "seed": 2021, "chunk": 2000}
    local = simulate(SHARES, PARTIES, system, **kwargs)
    runs = []
    for workers in (1, 2):
        with _cluster(workers) as cluster:
            address = cluster.scheduler_address
            assert address.startswith("tcp://")
            with distributed.Client(cluster) as client:
                assert len(client.scheduler_info()["workers"]) == workers
            runs.append(simulate(SHARES, PARTIES, system, scheduler=address, **kwargs))
            if workers == 2:
                polls = spec_data / "kz-2021-mazhilis-polls.csv"
                args = ["project", "--polls", str(polls), "--election", "kz-2021", "--sims", "3000", "--seed", "9",
                        "--format", "json"]
                assert main([*args, "--scheduler", address]) == 0
                on_cluster = json.loads(capsys.readouterr().out)
    for run in runs:
        assert np.array_equal(run.seats, local.seats)
        assert np.array_equal(run.passed, local.passed) and np.array_equal(run.ok, local.ok)
        assert run.seed == local.seed == 2021
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out) == on_cluster


def test_unreachable_scheduler_is_an_input_error(capsys: pytest.CaptureFixture[str], spec_data: Path) -> None:
    polls = spec_data / "kz-2021-mazhilis-polls.csv"
    code = main(["project", "--polls", str(polls), "--sims", "10", "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2
    assert "scheduler" in capsys.readouterr().err
