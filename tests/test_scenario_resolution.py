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


def test_a_case_pack_scenario_resolves_by_its_path_inside_scenarios_from_anywhere(tmp_path,
                                                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    for ref in ("russia/2022", "russia/2022.toml", "india/2020"):
        scenario = model.load_scenario(ref)
        assert scenario.files[0].endswith(ref if ref.endswith(".toml") else ref + ".toml")
    mine = tmp_path / "mine.toml"
    mine.write_text('extends = "russia/2022"\nenforcement_intensity = 0.7\n')
    scenario = model.load_scenario(mine)
    assert scenario.params["enforcement_intensity"] == 0.7
    assert any(e.id == "instagram_block" for e in scenario.events)


def test_a_local_folder_wins_over_a_shipped_pack_of_the_same_path(tmp_path, monkeypatch):
    (tmp_path / "russia").mkdir()
    (tmp_path / "russia" / "2022.toml").write_text('name = "local"\n')
    monkeypatch.chdir(tmp_path)
    assert model.load_scenario("russia/2022.toml").name == "local"
    assert model.load_scenario("russia/2022").name == "russia_2022"   # no suffix: shipped
