"""A table as CSV (full precision, for R or pandas) and as Markdown (rounded, for reading)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd


def interval_wide(frame: pd.DataFrame, index: str | list[str], mean: str = "mean",
                  low: str = "ci_low", high: str = "ci_high") -> pd.DataFrame:
    """One row per `index` group, one column per outcome, cells `mean (low to high)`."""
    cells = frame.assign(cell=[f"{fmt(m)} ({fmt(lo)} to {fmt(hi)})"
                               for m, lo, hi in zip(frame[mean], frame[low], frame[high])])
    return cells.pivot_table(index=index, columns="outcome", values="cell", aggfunc="first",
                             sort=False)


def write_table(frame: pd.DataFrame, folder: Path, stem: str) -> str:
    """Write `<stem>.csv` and `<stem>.md` into `folder`; return the Markdown text."""
    frame.to_csv(folder / f"{stem}.csv", index=False)
    text = markdown(frame)
    (folder / f"{stem}.md").write_text(text, encoding="utf-8")
    return text


def markdown(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; numbers to 4 significant digits."""
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if pd.api.types.is_numeric_dtype(frame[c]) else "---"
                          for c in frame.columns) + "|"
    lines = [header, rule]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(fmt(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def fmt(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
            return f"{value:.3e}"
        return f"{value:.4g}"
    try:
        if pd.api.types.is_integer(value):
            return str(int(value))
        if pd.api.types.is_float(value):
            return fmt(float(value))
    except TypeError:
        pass
    return str(value).replace("|", "\\|")
