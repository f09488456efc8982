"""Writing a run's files so that a failure never leaves a half-written result."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(out_dir: Path, writers: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Call each writer on a path in a scratch folder beside `out_dir`; only when all have
    succeeded move the files into `out_dir` (each move is atomic)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for name, write in writers.items():
            write(scratch / name)
        out_dir.mkdir(exist_ok=True)
        done = []
        for name in writers:
            os.replace(scratch / name, out_dir / name)
            done.append(out_dir / name)
        return done
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_json(data: object) -> Callable[[Path], None]:
    """A writer of `data` as JSON; NaN (an outcome with nothing to measure) becomes null."""
    def write(path: Path) -> None:
        path.write_text(json.dumps(_no_nan(data), indent=2, default=str) + "\n",
                        encoding="utf-8")
    return write


def _no_nan(data: object) -> object:
    if isinstance(data, float) and data != data:
        return None
    if isinstance(data, dict):
        return {k: _no_nan(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_no_nan(v) for v in data]
    return data
