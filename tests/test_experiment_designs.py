"""Designs give the right points; seeds derive from the root seed alone (common random numbers)."""

from __future__ import annotations

import numpy as np
import pytest

from experiment_support import write_experiment
from model.batch import build_design, load_experiment, plan_runs, run_seed
from model.batch.experiment import DesignSpec
from model.batch.seeds import design_seed


def test_grid_is_every_combination_first_parameter_slowest():
    spec = DesignSpec("grid", {"enforcement_intensity": (0.0, 0.5, 1.0),
                               "network_kind": ("small_world", "scale_free")})
    points = build_design(spec, 1).points
    assert len(points) == 6
    assert points[0] == {"enforcement_intensity": 0.0, "network_kind": "small_world"}
    assert points[1] == {"enforcement_intensity": 0.0, "network_kind": "scale_free"}
    assert points[-1] == {"enforcement_intensity": 1.0, "network_kind": "scale_free"}


def test_a_design_without_parameters_is_one_point():
    assert build_design(DesignSpec(), 1).points == ({},)


def test_list_takes_the_ith_value_of_each_parameter():
    spec = DesignSpec("list", {"enforcement_intensity": (0.1, 0.9), "audit_capacity": (2.0, 0.5)})
    assert build_design(spec, 1).points == (
        {"enforcement_intensity": 0.1, "audit_capacity": 2.0},
        {"enforcement_intensity": 0.9, "audit_capacity": 0.5})


def test_lhs_fills_each_stratum_once_within_the_ranges_and_rounds_integers():
    spec = DesignSpec("lhs", {"enforcement_intensity": (0.2, 0.6), "fear_memory_days": (10, 90)},
                      samples=10)
    design = build_design(spec, 42)
    x = np.array([p["enforcement_intensity"] for p in design.points])
    assert len(design.points) == 10
    assert ((x >= 0.2) & (x <= 0.6)).all()
    strata = np.floor((x - 0.2) / 0.04).astype(int)          # one point in each tenth
    assert sorted(strata) == list(range(10))
    days = [p["fear_memory_days"] for p in design.points]
    assert all(isinstance(d, int) and 10 <= d <= 90 for d in days)
    assert np.allclose(np.rint(design.sample[:, 1]), days)
    again = build_design(spec, 42)
    assert np.array_equal(design.sample, again.sample)            # seeded from the root
    assert not np.array_equal(design.sample, build_design(spec, 43).sample)


def test_morris_is_r_trajectories_of_d_plus_1_points_moving_one_parameter_at_a_time():
    spec = DesignSpec("morris", {"enforcement_intensity": (0.0, 1.0),
                                 "audit_capacity": (0.1, 1.0), "entry_rate": (0.0, 0.1)},
                      trajectories=5, levels=4)
    design = build_design(spec, 7)
    assert design.sample.shape == (5 * 4, 3)
    for t in range(5):
        block = design.sample[t * 4:(t + 1) * 4]
        moved = np.diff(block, axis=0) != 0
        assert (moved.sum(axis=1) == 1).all()                     # one factor at a time
        assert sorted(np.argmax(moved, axis=1)) == [0, 1, 2]      # each factor once
    unit = (design.sample[:, 0] - 0.0) / 1.0                      # 4 levels: 0, 1/3, 2/3, 1
    assert np.allclose(unit * 3, np.rint(unit * 3))
    assert design.problem == {"num_vars": 3,
                              "names": ["enforcement_intensity", "audit_capacity",
                                        "entry_rate"],
                              "bounds": [[0.0, 1.0], [0.1, 1.0], [0.0, 0.1]]}


@pytest.mark.parametrize("second_order,rows", [(False, 8 * (2 + 2)), (True, 8 * (2 * 2 + 2))])
def test_sobol_is_saltelli_n_times_d_plus_2(second_order, rows):
    spec = DesignSpec("sobol", {"enforcement_intensity": (0.0, 1.0),
                                "audit_capacity": (0.1, 1.0)}, samples=8,
                      second_order=second_order)
    design = build_design(spec, 3)
    assert len(design.points) == rows
    assert design.sample[:, 1].min() >= 0.1 and design.sample[:, 1].max() <= 1.0


def test_run_seeds_are_a_pure_function_of_root_and_replicate():
    assert run_seed(5, 0) == run_seed(5, 0)
    seeds = [run_seed(5, k) for k in range(50)]
    assert len(set(seeds)) == 50 and all(0 <= s < 2**63 for s in seeds)
    assert run_seed(6, 0) != run_seed(5, 0)
    expected = np.random.SeedSequence(5, spawn_key=(0, 3)).generate_state(1, np.uint64)[0] >> 1
    assert run_seed(5, 3) == int(expected)
    assert design_seed(5) not in seeds


GRID = """
name = "seeds"
scenarios = ["{scenarios}/baseline.toml", "{scenarios}/relaxed.toml"]
replicates = 3
seed = 99
[settings]
users = 300
days = 10
[design]
kind = "grid"
[design.parameters]
enforcement_intensity = [0.1, 0.5, 0.9]
"""


def test_replicate_k_of_every_scenario_and_point_shares_its_seed(tmp_path):
    exp = load_experiment(write_experiment(tmp_path, GRID))
    specs = plan_runs(exp, build_design(exp.design, exp.seed))
    assert len(specs) == 3 * 2 * 3
    by_rep = {}
    for s in specs:
        by_rep.setdefault(s.replicate, set()).add(s.seed)
    assert all(len(seeds) == 1 for seeds in by_rep.values())       # common random numbers
    assert len({next(iter(v)) for v in by_rep.values()}) == 3
    more = load_experiment(write_experiment(tmp_path, GRID), ["replicates=5"])
    more_specs = {s.run_id: s.seed for s in plan_runs(more, build_design(more.design, 99))}
    assert all(more_specs[s.run_id] == s.seed for s in specs)      # adding replicates keeps seeds


def test_without_common_random_numbers_every_run_has_its_own_seed(tmp_path):
    exp = load_experiment(write_experiment(tmp_path, GRID.replace(
        "seed = 99", "seed = 99\ncommon_random_numbers = false")))
    specs = plan_runs(exp, build_design(exp.design, exp.seed))
    assert len({s.seed for s in specs}) == len(specs)


def test_run_ids_are_unique_and_name_scenario_point_and_replicate(tmp_path):
    exp = load_experiment(write_experiment(tmp_path, GRID))
    specs = plan_runs(exp, build_design(exp.design, exp.seed))
    assert len({s.run_id for s in specs}) == len(specs)
    assert specs[0].run_id == "baseline__p0__r000"
    assert [s.replicate for s in specs[:6]] == [0] * 6            # replicate by replicate
    assert specs[7].resolved.params["enforcement_intensity"] == specs[7].params[
        "enforcement_intensity"]
