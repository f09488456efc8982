"""A copied scenario works from anywhere, and the CLI behaves in a pipeline."""

import subprocess
import sys

import model


def test_a_scenario_outside_the_repository_extends_a_shipped_one_by_file_name(tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text('extends = "china_2017.toml"\nenforcement_intensity = 0.7\n')
    scenario = model.load_scenario(mine)
    assert scenario.params["enforcement_intensity"] == 0.7
    assert any(e.id == "app_store_removals" for e in scenario.events)


def test_a_local_file_wins_over_a_shipped_one_of_the_same_name(tmp_path):
    (tmp_path / "china_2017.toml").write_text('name = "local"\nenforcement_intensity = 0.1\n')
    mine = tmp_path / "mine.toml"
    mine.write_text('extends = "china_2017.toml"\n')
    assert model.load_scenario(mine).params["enforcement_intensity"] == 0.1


def test_output_cut_short_by_a_pipe_is_not_an_error():
    cmd = f"{sys.executable} -m model.cli params | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True)
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
