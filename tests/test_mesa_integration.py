"""The Mesa model works with Mesa's own tools: flat keywords, rng, datacollector, batch_run."""

import pandas as pd
from mesa.batchrunner import batch_run

import model
from model.simulation import PressureModel


def test_batch_run_drives_the_model_with_flat_parameters_and_rng():
    rows = batch_run(PressureModel, {"enforcement_intensity": [0.2, 0.8], "users": 300,
                                     "days": 40},
                     rng=[1, 2], max_steps=1000, number_processes=1, display_progress=False)
    table = pd.DataFrame(rows)
    assert len(table) == 4
    assert set(table["enforcement_intensity"]) == {0.2, 0.8}     # the inputs, untouched
    by_input = table.groupby("enforcement_intensity")["effective_intensity"].first()
    assert 0.2 <= by_input[0.2] < by_input[0.8]                   # base x calendar factor
    assert (table["Step"] == 40).all()
    assert set(model.METRIC_NAMES) <= set(table.columns)


def test_batch_run_results_equal_the_api_for_the_same_seed():
    rows = batch_run(PressureModel, {"users": 300, "days": 40}, rng=[11], max_steps=1000,
                     number_processes=1, display_progress=False)
    _, summary = model.run("china_2017", seed=11, overrides={"users": 300, "days": 40})
    assert rows[0]["vpn_use"] == summary["final"]["vpn_use"]


def test_datacollector_records_every_day():
    m = PressureModel("china_2017", rng=3, users=300, days=25)
    while m.running:
        m.step()
    collected = m.datacollector.get_model_vars_dataframe()
    assert len(collected) == 25
    assert list(collected["vpn_use"]) == list(m.recorder.values["vpn_use"])


def test_model_takes_a_scenario_path_name_or_object(tmp_path):
    by_name = PressureModel("baseline", rng=1, users=200, days=3)
    by_path = PressureModel(model.config.loader.SCENARIO_DIR / "baseline.toml", rng=1,
                            users=200, days=3)
    by_obj = PressureModel(model.load_scenario("baseline"), rng=1, users=200, days=3)
    assert by_name.p == by_path.p == by_obj.p
