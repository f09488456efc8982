"""`pressure report DIR`: DIR/report/report.md with its figures (PNG) and tables (CSV, Markdown).

Sections appear when they apply: outcomes against swept parameters (grid, list, lhs designs),
time series (always), scenarios against the reference (two or more scenarios), sensitivity
indices (morris, sobol designs). The report is rewritten whole on every call. It is made only
from a complete and consistent folder (load.py), or with `partial` from the runs finished so
far, and then says how many runs it covers.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..config.errors import ScenarioError
from . import contrasts, sensitivity, sweeps, timeseries
from .design_words import design_words
from .load import ExperimentData, load_experiment_folder

SECTIONS = (sweeps, timeseries, contrasts, sensitivity)


def write_report(folder: Path, partial: bool = False) -> Path:
    """Write `folder/report/` (replacing an earlier one) and return the path of report.md.
    Refuses (ScenarioError) a folder that is not complete and consistent; `partial` reports on
    the runs finished so far of one that is not complete."""
    folder = Path(folder)
    data = load_experiment_folder(folder, partial=partial)
    target = folder / "report"
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise ScenarioError(str(target), None, "the report's folder (this is a file or a link, "
                            "which the report would replace: move it away)")
    try:
        scratch = Path(tempfile.mkdtemp(prefix=".report-", dir=folder))
    except OSError as exc:
        raise ScenarioError(str(folder), None, "a folder the report can be written in "
                            f"({exc.strerror or type(exc).__name__})") from None
    try:
        parts = [_header(data)]
        if data.summary.empty:
            parts.append("No run has finished yet: nothing to analyse.\n")
        else:
            parts += [text for section in SECTIONS if (text := section.section(data, scratch))]
        parts.append(_failures(data))
        (scratch / "report.md").write_text("\n".join(p for p in parts if p), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        scratch.rename(target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target / "report.md"


def _header(data: ExperimentData) -> str:
    e, m = data.experiment, data.manifest
    counts = m.get("counts", {})
    design = e["design"]
    git = (m.get("environment") or {}).get("git") or {}
    revision = (f"{git['revision'][:10]}{' (uncommitted changes)' if git.get('dirty') else ''}"
                if git.get("revision") else "unknown (not a git checkout)")
    lines = [f"# Experiment report: {e['name']}\n"]
    if e.get("description"):
        lines.append(e["description"] + "\n")
    lines += [
        f"- Experiment file: `{e['source']}`"
        + (f" with `--set` {', '.join(f'{k}={v}' for k, v in e['overrides'].items())}"
           if e.get("overrides") else ""),
        f"- Scenarios: {', '.join(f'`{s}`' for s in e['scenarios'])} "
        f"(reference `{e['reference']}`)",
        f"- Design: {design_words(design)}; {m.get('design_points', len(data.design))} "
        f"points x {e['replicates']} replicates x {len(e['scenarios'])} scenarios",
        f"- Fixed settings: {', '.join(f'{k} = {v}' for k, v in e['settings'].items()) or 'none'}",
        f"- Root seed {e['seed']}; common random numbers: "
        f"{'yes' if e['common_random_numbers'] else 'no'}",
        f"- Runs: {counts.get('done', 0)} done, {counts.get('failed', 0)} failed, "
        f"{counts.get('pending', 0)} not run, of {counts.get('total', '?')}",
        f"- Code revision {revision}; started {m.get('started')}, ended {m.get('ended') or '-'}",
        f"- Outcomes: {', '.join(f'`{o}`' for o in e['outcomes'])} (`_mean`: mean over the "
        "days of a run; `_final`: its last day)\n"]
    if not data.complete:
        lines.append(f"**Incomplete experiment** (`--partial`): this report covers the "
                     f"{len(data.summary)} runs finished so far. Run `pressure experiment` again "
                     "to finish it.\n")
    lines.append("**Confidence intervals.** Every interval is a 95% Student-t interval of a mean "
                 "over runs: mean ± t(0.975, n−1)·s/√n, where n is the number of runs (or of "
                 "paired differences) and s their sample standard deviation. Runs differ only "
                 "in their seed and the design's parameter values, so these intervals describe "
                 "the model's stochastic variation, not uncertainty about its structure. "
                 "Sensitivity indices carry SALib's bootstrap intervals.\n")
    return "\n".join(lines)


def _failures(data: ExperimentData) -> str:
    failed = [r for r in data.manifest["runs"] if r["status"] == "failed"]
    if not failed:
        return ""
    lines = ["## Failed runs\n", "| run | error |", "|---|---|"]
    lines += [f"| {r['run_id']} | {str(r['error']).replace('|', '/')} |" for r in failed[:50]]
    if len(failed) > 50:
        lines.append(f"\n… and {len(failed) - 50} more (see manifest.json).")
    return "\n".join(lines) + "\n"
