"""The licence the README names is in the repository, and the model can be cited."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_licence_file_is_mit_as_the_readme_and_pyproject_say():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY" in text
    assert "MIT (see [`LICENSE`](LICENSE))" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'license = "MIT"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_citation_file_is_valid_cff_with_the_package_version():
    lines = (ROOT / "CITATION.cff").read_text(encoding="utf-8").splitlines()
    top = [line.partition(":") for line in lines if not line.startswith((" ", "-"))]
    cff = {k.strip(): v.strip().strip('"') for k, _, v in top if v.strip()}   # scalar keys
    cff["authors"] = any(line.strip().startswith("- name:") for line in lines)
    assert cff["cff-version"] == "1.2.0" and cff["license"] == "MIT"
    assert cff["title"].startswith("platform-pressure") and cff["authors"]
    version = next(line.split('"')[1] for line in
                   (ROOT / "pyproject.toml").read_text(encoding="utf-8").splitlines()
                   if line.startswith("version"))
    assert str(cff["version"]) == version
