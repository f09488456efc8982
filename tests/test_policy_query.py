"""`pressure query DIR SQL`: DuckDB over an experiment folder's tables gives what pandas gives,
and cannot write anything; bad SQL or a folder that is not a finished experiment is one line,
exit code 2."""

from __future__ import annotations

import pandas as pd
import pytest

from experiment_support import GRID, files, write_experiment
from model.cli import main


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("query")
    path = write_experiment(root, GRID)
    assert main(["experiment", str(path), "--workers", "2", "--out", str(root / "grid"),
                 "--quiet"]) == 0
    return root / "grid"


def test_a_query_gives_what_the_tables_hold(folder, capsys):
    sql = ("SELECT scenario, enforcement_intensity, avg(vpn_use_mean) AS use FROM summary "
           "GROUP BY ALL ORDER BY ALL")
    assert main(["query", str(folder), sql, "--format", "csv"]) == 0
    got = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    want = (pd.read_parquet(folder / "summary.parquet")
            .groupby(["scenario", "enforcement_intensity"], as_index=False)["vpn_use_mean"]
            .mean().rename(columns={"vpn_use_mean": "use"}))
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_every_table_and_the_manifests_runs_are_views(folder, capsys):
    sql = ("SELECT (SELECT count(*) FROM summary) s, (SELECT count(DISTINCT run_id) FROM "
           "timeseries) t, (SELECT count(*) FROM design) d, (SELECT count(*) FROM runs WHERE "
           "status = 'done') r")
    assert main(["query", str(folder), sql, "--format", "markdown"]) == 0
    assert capsys.readouterr().out.splitlines()[2] == "| 8 | 8 | 2 | 8 |"


@pytest.mark.parametrize("sql, says", [
    ("SELECT nope FROM summary", "Binder Error"),
    ("COPY summary TO 'out.csv'", "disabled"),
    ("SELECT * FROM read_csv('/etc/hostname')", "disabled"),
])
def test_bad_or_writing_sql_is_refused_in_one_line(folder, capsys, sql, says):
    before = files(folder.parent)
    assert main(["query", str(folder), sql]) == 2
    err = capsys.readouterr().err
    assert says in err and "SQL" in err and len(err.strip().splitlines()) == 1, err
    assert files(folder.parent) == before


def test_a_folder_that_is_not_an_experiment_is_refused(tmp_path, capsys):
    assert main(["query", str(tmp_path), "SELECT 1"]) == 2
    assert "manifest.json" in capsys.readouterr().err
