"""Experiment files and flags: bad input is one clear line, exit code 2, and nothing written."""

from __future__ import annotations

import pytest

from experiment_support import EXPERIMENTS, GRID, write_experiment
from model import ScenarioError
from model.batch import build_design, load_experiment, plan_runs
from model.batch.cli import main

BASE = """
name = "bad"
scenarios = ["{scenarios}/baseline.toml"]
replicates = 2
seed = 1
[settings]
users = 300
days = 30
"""

# (what is wrong, file text, the key the message must name)
BAD_FILES = [
    ("unknown top-level key", BASE.replace("seed = 1", "seed = 1\nreplicate = 3"), "replicate"),
    ("replicates not a count", BASE.replace("replicates = 2", "replicates = 0"), "replicates"),
    ("replicates a bool", BASE.replace("replicates = 2", "replicates = true"), "replicates"),
    ("negative seed", BASE.replace("seed = 1", "seed = -4"), "seed"),
    ("no scenarios", BASE.replace('scenarios = ["{scenarios}/baseline.toml"]', ""),
     "scenarios"),
    ("missing scenario file", BASE.replace("baseline.toml", "nowhere.toml"), "scenarios[0]"),
    ("duplicate scenario", BASE.replace('baseline.toml"]', 'baseline.toml", "baseline"]'),
     "scenarios[1]"),
    ("unknown setting", BASE + "enforcment = 0.3\n", "settings.enforcment"),
    ("setting out of range", BASE.replace("days = 30", "days = 0"), "settings.days"),
    ("setting of the wrong type", BASE.replace("users = 300", 'users = "many"'),
     "settings.users"),
    ("reference not a scenario",
     BASE.replace("seed = 1", 'seed = 1\nreference = "china_2017"'), "reference"),
    ("unknown design kind", BASE + '[design]\nkind = "factorial"\n', "design.kind"),
    ("unknown design key", BASE + '[design]\nkind = "grid"\nsize = 3\n', "design.size"),
    ("size key of another kind", BASE + '[design]\nkind = "grid"\nsamples = 3\n',
     "design.samples"),
    ("unknown design parameter",
     BASE + '[design]\nkind = "grid"\n[design.parameters]\nintensity = [0.1]\n',
     "design.parameters.intensity"),
    ("grid value out of range",
     BASE + '[design]\nkind = "grid"\n[design.parameters]\nenforcement_intensity = [0.5, 2]\n',
     "design.parameters.enforcement_intensity[1]"),
    ("parameter both fixed and swept",
     BASE + '[design]\nkind = "grid"\n[design.parameters]\nusers = [300, 400]\n',
     "design.parameters.users"),
    ("list of unequal lengths",
     BASE + '[design]\nkind = "list"\n[design.parameters]\n'
     'enforcement_intensity = [0.1, 0.2]\naudit_capacity = [0.5]\n', "design.parameters"),
    ("lhs without samples",
     BASE + '[design]\nkind = "lhs"\n[design.parameters]\nenforcement_intensity = [0, 1]\n',
     "design.samples"),
    ("range the wrong way round",
     BASE + '[design]\nkind = "lhs"\nsamples = 4\n[design.parameters]\n'
     'enforcement_intensity = [1, 0]\n', "design.parameters.enforcement_intensity"),
    ("range of a non-numeric parameter",
     BASE + '[design]\nkind = "morris"\ntrajectories = 2\n[design.parameters]\n'
     'network_kind = ["small_world", "scale_free"]\n', "design.parameters.network_kind"),
    ("sobol size not a power of two",
     BASE + '[design]\nkind = "sobol"\nsamples = 6\n[design.parameters]\n'
     'enforcement_intensity = [0, 1]\naudit_capacity = [0.1, 1]\n', "design.samples"),
    ("outcome that does not exist",
     BASE.replace("seed = 1", 'seed = 1\noutcomes = ["vpn_access_median"]'), "outcomes[0]"),
    ("a design point invalid for a scenario",
     BASE.replace("users = 300\n", "") + '[design]\nkind = "grid"\n[design.parameters]\n'
     "users = [300, 10]\n", "design.parameters"),
    ("not TOML", BASE + "[design\n", None),
    ("a byte-order mark", "\ufeff" + BASE, None),
    ("nested past the cap", BASE + "x = " + "[" * 40 + "]" * 40 + "\n", None),
    ("brackets nested thousands deep", BASE + "x = " + "[" * 3000 + "]" * 3000 + "\n", None),
    ("an integer too long to read", BASE.replace("seed = 1", "seed = " + "9" * 5000), None),
    ("a name too long for a folder", BASE.replace('name = "bad"', f'name = "{"n" * 300}"'),
     "name"),
]


@pytest.mark.parametrize("what,text,key", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_experiment_file_is_one_line_exit_2_and_writes_nothing(
        what, text, key, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = write_experiment(tmp_path, text)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["experiment", str(path), "--workers", "1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(path) in err
    if key:
        assert f": {key}: expected" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before      # no results/ folder


BAD_FLAGS = [
    (["--workers", "0"], "--workers"),
    (["--workers", "two"], "--workers"),
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "--workers"),
    (["--scheduler", "nowhere"], "--scheduler"),
    (["--set", "replicates"], "--set"),
    (["--set", "replicates=0"], "--set: replicates"),
    (["--set", "users=-5"], "--set: settings.users"),
    (["--set", "desing.kind=grid"], "--set: desing"),
    (["--set", "users=" + "[" * 3000 + "]" * 3000], "--set: users: expected valid TOML nested"),
    (["--set", "users=" + "[" * 40 + "]" * 40], "nested at most 32 levels"),
    (["--set", "seed=" + "9" * 5000], "--set: seed: expected a number with at most 4300"),
    (["--bogus"], "unrecognized"),
]


@pytest.mark.parametrize("flags,named", BAD_FLAGS, ids=[" ".join(f)[:40] for f, _ in BAD_FLAGS])
def test_bad_flags_are_one_line_exit_2_and_write_nothing(flags, named, tmp_path, monkeypatch,
                                                         capsys):
    monkeypatch.chdir(tmp_path)
    path = write_experiment(tmp_path, GRID)
    assert _exit_code(["experiment", str(path), *flags, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and named in err
    assert not (tmp_path / "results").exists()


def test_an_output_path_that_is_a_file_or_a_foreign_folder_is_refused(tmp_path, capsys):
    path = write_experiment(tmp_path, GRID)
    (tmp_path / "afile").write_text("x")
    assert main(["experiment", str(path), "--out", str(tmp_path / "afile"), "--quiet"]) == 2
    assert "a folder (this is a file)" in capsys.readouterr().err
    other = tmp_path / "thesis"
    other.mkdir()
    (other / "chapter1.tex").write_text("precious")
    assert main(["experiment", str(path), "--out", str(other), "--quiet"]) == 2
    assert "no manifest.json" in capsys.readouterr().err
    assert [p.name for p in other.iterdir()] == ["chapter1.tex"]


def test_set_overrides_reach_every_level_of_the_file(tmp_path):
    path = write_experiment(tmp_path, GRID)
    exp = load_experiment(path, ["replicates=3", "users=400", "network.mean_degree=6",
                                 "design.parameters.enforcement_intensity=[0.0, 0.5, 1.0]",
                                 'name="renamed"'])
    assert (exp.replicates, exp.name) == (3, "renamed")
    assert exp.settings == {"users": 400, "days": 30, "mean_degree": 6.0}
    assert all(s.params["users"] == 400 and s.params["mean_degree"] == 6.0
               for s in exp.scenarios)
    assert exp.design.parameters == {"enforcement_intensity": (0.0, 0.5, 1.0)}
    with pytest.raises(ScenarioError, match=r"^--set: settings\.users: expected an integer"):
        load_experiment(path, ["users=1.5"])


def test_settings_accept_section_tables_like_scenario_files(tmp_path):
    text = GRID.replace("days = 30\n", "days = 30\n[settings.network]\nmean_degree = 4\n")
    exp = load_experiment(write_experiment(tmp_path, text))
    assert exp.settings == {"users": 300, "days": 30, "mean_degree": 4.0}


@pytest.mark.parametrize("name,users,runs", [("intensity_sweep", 10_000, 5 * 2),
                                             ("scenario_comparison", 10_000, 7 * 2),
                                             ("counterfactuals", 10_000, 5 * 2),
                                             ("sensitivity", 5_000, 33 * 2 * 2)])   # 32 factors
def test_shipped_experiments_validate_and_have_reduced_forms(name, users, runs):
    full = load_experiment(EXPERIMENTS / f"{name}.toml")
    assert full.settings["users"] == users and full.settings["days"] == 365
    sets = ["replicates=2", "users=300", "days=30"]
    if full.design.kind == "morris":
        sets.append("design.trajectories=2")
    small = load_experiment(EXPERIMENTS / f"{name}.toml", sets)
    specs = plan_runs(small, build_design(small.design, small.seed))
    assert len(specs) == runs
    assert all(s.resolved.params["users"] == 300 for s in specs)


def test_the_intensity_sweep_has_the_shape_of_the_issue():
    exp = load_experiment(EXPERIMENTS / "intensity_sweep.toml")
    assert exp.scenario_names == ("china_2017",)
    assert exp.design.kind == "grid"
    assert exp.design.parameters == {"enforcement_intensity": (0.0, 0.25, 0.5, 0.75, 1.0)}
    assert (exp.replicates, exp.seed) == (20, 20170729)


def test_counterfactuals_set_every_counterfactual_against_the_2017_case():
    exp = load_experiment(EXPERIMENTS / "counterfactuals.toml")
    assert exp.reference == "china_2017"
    assert set(exp.scenario_names) == {"china_2017", "no_partner_requirement",
                                       "platforms_refuse", "maximal_enforcement", "relaxed"}


def test_scenario_comparison_covers_every_shipped_scenario_against_baseline():
    exp = load_experiment(EXPERIMENTS / "scenario_comparison.toml")
    shipped = {p.stem for p in (EXPERIMENTS.parent / "scenarios").glob("*.toml")}
    shipped.discard("behaviour")          # the shared behaviour every scenario extends
    assert set(exp.scenario_names) == shipped
    assert exp.reference == "baseline"


def _exit_code(argv: list[str]) -> int:
    """The exit code, whether argparse exits (usage errors) or main returns it."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code
