"""`import model` and `pressure --help` do not load the heavy libraries a run needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "scipy", "mesa", "matplotlib", "dask")


def loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, check=True, env={"PYTHONPATH": str(ROOT)})
    return set(done.stdout.split())


def test_import_model_loads_no_heavy_library_until_a_name_is_used():
    assert loaded_after("import model") == set()
    assert "mesa" in loaded_after("import model\nmodel.PressureModel")


def test_help_loads_neither_mesa_scipy_matplotlib_nor_dask():
    # pandas is still loaded through the reproduce command's step list (model.batch.engine)
    assert loaded_after("import model.cli\nmodel.cli.build_parser()") <= {"pandas"}
