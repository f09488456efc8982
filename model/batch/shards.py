"""`--shard I/N`: one job of a job array runs every N-th run of the experiment.

Runs are dealt out by their position in the plan (replicate by replicate, as `plan_runs` lists
them): shard I takes positions I-1, I-1+N, I-1+2N, ... Seeds come from the run's replicate,
scenario and point, never from its position or shard, so the N shard folders hold exactly the
runs one unsharded folder would, with the same results; `pressure merge` (merge.py) makes that
folder from them. A shard folder's manifest records its shard and the experiment's whole run
count, so a shard is never resumed as another and shards of different sizes are never merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..config.errors import ScenarioError

T = TypeVar("T")
_FORM = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True)
class Shard:
    index: int          # 1 ... count, as job arrays number their tasks
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        found = _FORM.fullmatch(text or "")
        if found is None or not 1 <= int(found[1]) <= int(found[2]):
            raise ScenarioError("--shard", None, "I/N with 1 <= I <= N (this job's number and "
                                "the number of jobs), e.g. --shard 3/8", text)
        return cls(int(found[1]), int(found[2]))

    def select(self, items: list[T]) -> list[T]:
        """This shard's share of the plan's runs."""
        return items[self.index - 1::self.count]

    def record(self, total_runs: int) -> dict[str, int]:
        return {"index": self.index, "count": self.count, "total_runs": total_runs}

    @property
    def label(self) -> str:
        return f"{self.index}/{self.count}"

    def default_folder(self, name: str) -> Path:
        return Path("results") / f"{name}-shard-{self.index}of{self.count}"


def check_resumed(manifest: dict | None, record: dict | None, folder: Path) -> None:
    """A folder is resumed only as what it is: the same shard (`Shard.record`) of the same
    plan, or unsharded (`record` None)."""
    held = (manifest or {}).get("shard")
    if manifest is None or held == record:
        return
    what = f"shard {held['index']}/{held['count']}" if held else "an unsharded run"
    asked = f"--shard {record['index']}/{record['count']}" if record else "no --shard"
    raise ScenarioError(str(folder / "manifest.json"), "shard",
                        f"the same shard as the command's ({asked}; the folder holds {what} of "
                        f"{held['total_runs'] if held else 'all'} runs): use another --out")
