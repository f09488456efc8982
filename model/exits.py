"""Exit codes, one meaning each, and the guard every `pressure` command runs inside.

    0    done
    1    something failed inside the program or the model: one line says what, and where the
         full trace was written (failed runs: `failed/<run_id>.json` in the experiment folder)
    2    bad input: one line naming the file (or flag), the key and what was expected
    130  interrupted by Ctrl-C (SIGINT)
    143  stopped by SIGTERM, which unwinds exactly like Ctrl-C (files and manifest are left
         consistent, an experiment resumes)

No traceback ever reaches the terminal: `guarded` turns every exception into one of these.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

OK = 0
INTERNAL_ERROR = 1
BAD_INPUT = 2
INTERRUPTED = 128 + signal.SIGINT          # 130
TERMINATED = 128 + signal.SIGTERM          # 143


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread: a KeyboardInterrupt, so every cleanup that handles
    Ctrl-C handles it too."""


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM raises `Terminated` once; a second SIGTERM kills as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        raise Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def guarded(command: str, body: Callable[[], int], resume_hint: bool = False) -> int:
    """Run a command's `body` and return its exit code; every exception becomes one line on
    stderr and its code (see the module docstring). `resume_hint`: say that finished runs are
    kept after an interruption."""
    from .config.errors import ScenarioError

    prefix = f"pressure {command}"
    try:
        with sigterm_as_interrupt():
            return body()
    except ScenarioError as exc:
        _say(f"{prefix}: error: {exc}")
        return BAD_INPUT
    except KeyboardInterrupt as exc:
        how = "stopped by SIGTERM" if isinstance(exc, Terminated) else "interrupted"
        hint = ("; finished runs are kept, run the same command again to resume"
                if resume_hint else "")
        _say(f"{prefix}: {how}{hint}")
        return TERMINATED if isinstance(exc, Terminated) else INTERRUPTED
    except BrokenPipeError:                 # e.g. `pressure check ... | head`: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    except Exception as exc:  # noqa: BLE001 - the one place an unexpected error is reported
        from .crash_log import report

        _say(f"{prefix}: {report(exc)}")
        return INTERNAL_ERROR


def _say(line: str) -> None:
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    print(line, file=sys.stderr, flush=True)
