"""Local worker processes end when the command that started them ends, however it ends.

A worker of a process pool waits for work from its parent; if the parent is killed (SIGKILL,
the OOM killer, a closed terminal) nobody tells it, and it would wait, holding its memory, for
ever, and with it the fork server that made it. So each worker watches its parent from a
daemon thread and exits the moment the parent is gone: on Linux through a pidfd (woken by the
kernel, no polling, immune to the pid being reused), elsewhere on POSIX by checking once a second.
Workers also ignore SIGINT and SIGTERM: the parent handles those and stops its workers itself.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
import time

POLL_S = 1.0


def init_worker(parent_pid: int) -> None:
    """The pool's initializer: ignore Ctrl-C and SIGTERM, and exit with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    watch_parent(parent_pid)


def watch_parent(parent_pid: int) -> None:
    """Exit this process as soon as `parent_pid` has ended (at once if it already has)."""
    if sys.platform == "win32":         # no pidfd, and os.kill(pid, 0) means Ctrl-C there
        return
    try:
        fd = os.pidfd_open(parent_pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):   # no pidfd here (not Linux, or an old kernel)
        fd = None
    threading.Thread(target=_wait_then_exit, args=(parent_pid, fd), daemon=True,
                     name="exit-with-parent").start()


def _wait_then_exit(parent_pid: int, fd: int | None) -> None:
    if fd is not None:
        select.select([fd], [], [])     # readable once the process has ended
    else:
        while _alive(parent_pid):
            time.sleep(POLL_S)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:             # alive, but another user's (the pid was reused)
        return False
    return True
