"""Reading an input file within limits, so that no file can hang, exhaust memory or crash a command.

Scenario, experiment, scheduler and manifest files are read only when they are regular files
(a FIFO would block forever, `/dev/zero` never ends), only up to a size cap, and TOML only when it
is UTF-8 without a byte-order mark and nested at most `MAX_NESTING` levels deep. Every problem is
a `ScenarioError` that names the file and what was expected, never what the file contains.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

from .errors import ScenarioError

MAX_FILE_MB_ENV = "PRESSURE_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 8           # far above any hand-written or generated TOML file
MAX_NESTING = 32                  # arrays and tables inside each other; the shipped files use 4
NESTING = f"valid TOML nested at most {MAX_NESTING} levels deep (arrays and tables)"
_BOM = b"\xef\xbb\xbf"
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def max_file_bytes() -> int:
    """The size cap for TOML and JSON inputs: `$PRESSURE_MAX_FILE_MB` megabytes, default 8."""
    raw = os.environ.get(MAX_FILE_MB_ENV, "").strip()
    try:
        megabytes = float(raw) if raw else DEFAULT_MAX_FILE_MB
    except ValueError:
        raise ScenarioError(MAX_FILE_MB_ENV, None, "a size in megabytes (e.g. 64)", raw) from None
    if not megabytes > 0 or megabytes == float("inf"):
        raise ScenarioError(MAX_FILE_MB_ENV, None, "a size in megabytes above 0", raw)
    return int(megabytes * 1024 * 1024)


def file_kind(mode: int) -> str | None:
    """What a file that is not a regular file is ("a folder", "a named pipe", ...)."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def kind_of(path: Path) -> str | None:
    """What `path` is when it exists but is not a regular file ("a folder", ...), else None."""
    try:
        return file_kind(os.stat(path).st_mode)
    except (OSError, ValueError):
        return None                     # missing or unnameable: the caller's own check says so


def read_input(path: Path, what: str, limit: int | None = -1) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (-1: `max_file_bytes()`, None: no
    cap). Opened without blocking, so a FIFO swapped in after the check cannot hang us."""
    source = str(path)
    cap = max_file_bytes() if limit == -1 else limit
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ScenarioError(source, None, f"an existing {what}") from None
    except (OSError, ValueError) as exc:          # permissions, a symlink loop, NUL in the name
        raise ScenarioError(source, None, f"a readable {what} ({_reason(exc)})") from None
    try:
        info = os.fstat(fd)
        kind = file_kind(info.st_mode)
        if kind is not None:
            raise ScenarioError(source, None, f"{what_as_file(what)} (this is {kind}, not a "
                                "regular file)")
        if cap is not None and info.st_size > cap:
            raise ScenarioError(source, None, f"{what_as_file(what)} of at most {_mb(cap)} "
                                f"(this one has {_mb(info.st_size)}; set {MAX_FILE_MB_ENV} to "
                                "allow more)")
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            total += len(chunk)
            if cap is not None and total > cap:   # grew while we read it
                raise ScenarioError(source, None, f"{what_as_file(what)} of at most {_mb(cap)} "
                                    f"(set {MAX_FILE_MB_ENV} to allow more)")
        return b"".join(chunks)
    except OSError as exc:
        raise ScenarioError(source, None, f"a readable {what} ({_reason(exc)})") from None
    finally:
        os.close(fd)


def read_toml(path: Path, what: str) -> tuple[str, dict]:
    """The text and parsed document of a TOML input file (see the module docstring)."""
    source = str(path)
    data = read_input(path, what)
    if data.startswith(_BOM):
        raise ScenarioError(source, None, "UTF-8 without a byte-order mark (the file starts "
                            "with one: save it as plain UTF-8)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(source, None, f"a readable UTF-8 TOML file (not UTF-8 at byte "
                            f"{exc.start})") from None
    return text, parse_toml(text, source)


def parse_toml(text: str, source: str, key: str | None = None) -> dict:
    """`tomllib.loads` with one-line errors and the nesting cap."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, key, f"valid TOML ({exc})") from None
    except RecursionError:
        raise ScenarioError(source, key, NESTING) from None
    except ValueError:                  # an integer beyond Python's 4300-digit conversion limit
        raise ScenarioError(source, key, "valid TOML (a number with too many digits)") from None
    check_nesting(doc, source, key)
    return doc


def check_nesting(value: object, source: str, key: str | None = None) -> None:
    """Refuse arrays and tables nested deeper than `MAX_NESTING` (counted without recursion)."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > MAX_NESTING:
                raise ScenarioError(source, key, NESTING)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)


def what_as_file(what: str) -> str:
    """'scenario file' -> 'a scenario file'."""
    return ("an " if what[:1] in "aeiou" else "a ") + what


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or exc.__class__.__name__


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.3g} MB"
