"""The lock that keeps two commands from writing one experiment folder at once.

It is an exclusive `flock` on `<folder>/.lock`, taken before anything in the folder is looked at,
and held until the command is done; the kernel releases it when its holder dies, even by
SIGKILL. A command that is refused removes a lock file it created, so it leaves nothing behind.
Because a lock file can be removed, a lock only counts when the file locked is still the one at
the path (the same inode); otherwise it is taken again on the new file.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..config.errors import ScenarioError

try:
    import fcntl
except ImportError:                  # Windows: no flock; the folder is not locked
    fcntl = None


class FolderLock:
    """A held lock; `created` says whether this command made the lock file."""

    def __init__(self, path: Path, fd: int, created: bool) -> None:
        self.path, self._fd, self.created = path, fd, created

    @classmethod
    def acquire(cls, path: Path) -> FolderLock:
        """Lock `path` (created if missing) or raise ScenarioError when another holds it."""
        for _ in range(100):         # only a remover racing us makes this loop more than once
            created = True
            try:
                try:
                    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
                except FileExistsError:
                    created = False
                    fd = os.open(path, os.O_RDWR)
            except FileNotFoundError:
                continue
            except OSError as exc:               # a read-only folder, say
                raise ScenarioError("--out", str(path.parent), "a writable folder "
                                    f"({exc.strerror or type(exc).__name__})") from None
            if fcntl is None:
                return cls(path, fd, created)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise ScenarioError("--out", str(path.parent), "a folder no other `pressure "
                                    "experiment` is writing to (one is running on it now)"
                                    ) from None
            if _same_file(fd, path):
                return cls(path, fd, created)
            os.close(fd)             # removed or replaced after we opened it: lock the new one
        raise ScenarioError("--out", str(path.parent), "a folder whose lock file stays put")

    def release(self, remove: bool = False) -> None:
        """Let go; with `remove`, delete the lock file first if this command created it."""
        if self._fd is None:
            return
        if remove and self.created:
            Path(self.path).unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        held, now = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)
