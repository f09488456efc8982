"""The progress bar of a long experiment: runs done, failures, time left (`--quiet`: none).

Runs finished in an earlier session count as done from the start, and the time left is estimated
from this session's pace only.
"""

from __future__ import annotations

import sys


class Progress:
    def __init__(self, total: int, already: int, quiet: bool, label: str) -> None:
        self.failed = 0
        self._bar = None
        if not quiet:
            from tqdm import tqdm

            self._bar = tqdm(total=total, initial=already, unit="run", desc=label,
                             file=sys.stderr, dynamic_ncols=True, smoothing=0.1,
                             bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} "
                                        "runs [{elapsed}<{remaining}, {rate_fmt}{postfix}]")
            self._bar.set_postfix_str("0 failed")

    def advance(self, failed: bool) -> None:
        if failed:
            self.failed += 1
        if self._bar is not None:
            if failed:
                self._bar.set_postfix_str(f"{self.failed} failed", refresh=False)
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
