"""An unexpected error's full trace goes to a file; the terminal gets one line naming it.

The trace is written into the experiment folder when the error happened while this command held
that folder (`remember_folder`), so it stays with the results it concerns; otherwise into a new
temporary folder. The line names the exception's type and the innermost place in this package
where it was raised, never the exception's message (it may quote a file's contents).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import traceback
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_FOLDER_ATTR = "pressure_folder"


def remember_folder(exc: BaseException, folder: Path) -> None:
    """Mark `exc` as raised while working in `folder`, where its trace then goes."""
    if getattr(exc, _FOLDER_ATTR, None) is None:
        try:
            setattr(exc, _FOLDER_ATTR, Path(folder))
        except (AttributeError, TypeError):      # an exception type without a __dict__
            pass


def report(exc: BaseException) -> str:
    """Write the trace of `exc` and return the line to print (without the command's name)."""
    where = location(exc)
    try:
        path = write_trace(exc, getattr(exc, _FOLDER_ATTR, None))
    except OSError as write_error:
        return (f"internal error: {type(exc).__name__} in {where} (its trace could not be "
                f"written: {write_error.strerror or type(write_error).__name__})")
    return f"internal error: {type(exc).__name__} in {where}; the full trace is in {path}"


def location(exc: BaseException) -> str:
    """`model/batch/storage.py:142 (combine)`: the innermost frame in this package, else the
    innermost frame."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "an unknown place"
    ours = [f for f in frames if _inside_package(f.filename)]
    frame = (ours or frames)[-1]
    name = (Path(frame.filename).resolve().relative_to(_PACKAGE.parent).as_posix() if ours
            else Path(frame.filename).name)
    return f"{name}:{frame.lineno} ({frame.name})"


def write_trace(exc: BaseException, folder: Path | None = None) -> Path:
    """The trace as `crash-<time>.log` in `folder` (if it is still a folder), else in a new
    temporary folder."""
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    text = "".join(traceback.format_exception(exc))
    if folder is not None and Path(folder).is_dir():
        try:
            path = Path(folder) / f"crash-{stamp}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            pass
    path = Path(tempfile.mkdtemp(prefix="pressure-crash-")) / "trace.log"
    path.write_text(text, encoding="utf-8")
    return path


def _inside_package(filename: str) -> bool:
    try:
        return Path(filename).resolve().is_relative_to(_PACKAGE)
    except (OSError, ValueError):
        return False
