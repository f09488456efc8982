"""The four steps of `pressure reproduce` (see pipeline.py); each returns what it wrote."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from ..analysis.load import load_experiment_folder
from ..analysis.report import write_report
from ..batch.experiment import load_experiment, parse_sets
from ..calibration import config, fit, page, recovery
from ..calibration import validation as val
from ..calibration.defaults import apply
from . import pages, posterior_sweep
from .pipeline import VALIDATION_SEED, Context

SENSITIVITY_OUTCOMES = ("vpn_availability_mean", "vpn_use_mean", "foreign_cloud_share_mean")


def _calibration_file(ctx: Context) -> config.CalibrationFile:
    sets = {k.removeprefix("settings."): v for k, v in parse_sets(ctx.size.calibration).items()}
    return config.load(ctx.experiments / "calibration_2017.toml", sets)


def calibration(ctx: Context) -> list[Path]:
    """ABC-SMC on the record, then on synthetic data (parameter recovery); the record's
    point estimate becomes the scenarios' defaults."""
    cfg = _calibration_file(ctx)
    out = ctx.results / "calibration_2017"
    written = fit.write(fit.calibrate(cfg, out, ctx.workers, ctx.scheduler, ctx.quiet,
                                      say=ctx.say), out)
    rec_out = ctx.results / "calibration_2017-recovery"
    result, table = recovery.recover(cfg, rec_out, None, ctx.workers, ctx.scheduler,
                                     ctx.quiet, ctx.say)
    written += recovery.write(result, table, rec_out)
    record = page.record_paths(ctx.data)["calibration"]
    return [*apply(out, record), record, *written]


def validation(ctx: Context) -> list[Path]:
    cfg = _calibration_file(ctx)
    calibration_dir = ctx.results / "calibration_2017"
    found = val.observations()
    runs, meta = val.run(cfg, calibration_dir, ctx.results / "validation", seed=VALIDATION_SEED,
                         observations=found, workers=ctx.workers, scheduler=ctx.scheduler,
                         quiet=ctx.quiet, **ctx.size.validation)
    return val.publish(runs, meta, calibration_dir, ctx.results / "calibration_2017-recovery",
                       ctx.data, ctx.docs / "validation.md", found)


def sensitivity(ctx: Context) -> list[Path]:
    morris_file = ctx.experiments / "sensitivity.toml"
    morris = ctx.run(morris_file, "sensitivity", ctx.size.morris)
    write_report(morris)
    screening = pd.read_csv(morris / "report" / "sensitivity.csv")
    top = most_influential(screening, ctx.size.sobol_top)
    sobol_file = write_sobol_experiment(ctx.experiments / "sensitivity_sobol.toml",
                                        morris_file, top, ctx.size.sobol["samples"],
                                        ctx.size.sobol["users"], len(screening["parameter"]
                                                                     .unique()))
    sobol = ctx.run(sobol_file, "sensitivity_sobol", [])
    write_report(sobol)
    written = _publish(ctx, {morris / "report" / "sensitivity.png": "sensitivity_morris.png",
                             sobol / "report" / "sensitivity.png": "sensitivity_sobol.png"},
                       {morris / "report" / "sensitivity.csv": "sensitivity_morris.csv",
                        sobol / "report" / "sensitivity.csv": "sensitivity_sobol.csv"})
    page = ctx.docs / "sensitivity.md"
    page.write_text(pages.sensitivity(load_experiment_folder(morris),
                                      load_experiment_folder(sobol), screening,
                                      pd.read_csv(sobol / "report" / "sensitivity.csv"), top,
                                      ctx.size.name), encoding="utf-8")
    return [sobol_file, page, *written]


def results(ctx: Context) -> list[Path]:
    sweep_file = ctx.experiments / "intensity_sweep.toml"
    sweep = ctx.run(sweep_file, "intensity_sweep", ctx.size.sweep)
    counter = ctx.run(ctx.experiments / "counterfactuals.toml", "counterfactuals",
                      ctx.size.counterfactuals)
    spread_file = posterior_sweep.write_experiment(
        ctx.results / "calibration_2017", sweep_file,
        ctx.experiments / f"{posterior_sweep.NAME}.toml", seed=20170731,
        **ctx.size.posterior_sweep)
    spread_run = ctx.run(spread_file, posterior_sweep.NAME, [])
    for folder in (sweep, counter):
        write_report(folder)
    sweep_data = load_experiment_folder(sweep)
    curve = pd.read_csv(sweep / "report" / "sweep_enforcement_intensity.csv")
    spread = posterior_sweep.band(load_experiment_folder(spread_run))
    ctx.figures.mkdir(parents=True, exist_ok=True)
    ctx.data.mkdir(parents=True, exist_ok=True)
    figure = posterior_sweep.figure(curve, spread, sweep_data.outcomes,
                                    ctx.figures / "results_intensity.png")
    spread.to_csv(ctx.data / "results_intensity_posterior.csv", index=False)
    written = _publish(
        ctx, {counter / "report" / "contrasts.png": "results_counterfactuals.png",
              counter / "report" / "timeseries.png": "results_timeseries.png"},
        {sweep / "report" / "sweep_enforcement_intensity.csv": "results_intensity.csv",
         counter / "report" / "contrasts.csv": "results_counterfactuals.csv"})
    page = ctx.docs / "results.md"
    page.write_text(pages.results(sweep_data, load_experiment_folder(counter),
                                  load_experiment_folder(spread_run), curve, spread,
                                  pd.read_csv(counter / "report" / "contrasts.csv"),
                                  ctx.size.name), encoding="utf-8")
    return [spread_file, page, figure, ctx.data / "results_intensity_posterior.csv", *written]


def most_influential(screening: pd.DataFrame, k: int) -> list[str]:
    """The k parameters with the largest mu*, each outcome's mu* scaled by its largest, averaged
    over the outcomes (so an outcome with large units does not decide alone)."""
    return list(pages.ranking(screening).index[:k])


def write_sobol_experiment(path: Path, morris_file: Path, top: list[str], samples: int,
                           users: int, screened: int) -> Path:
    """Sobol design over the `top` parameters, with the ranges the screening used."""
    ranges = load_experiment(morris_file).design.parameters
    lines = [
        "# Generated by `pressure reproduce --step sensitivity` from the Morris screening of",
        f"# {morris_file.name}: do not edit. The {len(top)} of its {screened} parameters with the",
        "# largest effects (mu* scaled per outcome, averaged over the outcomes), over the same",
        "# ranges; Saltelli's sample, N x (parameters + 2) runs.",
        'name = "sensitivity_sobol"',
        'description = "Sobol indices of the most influential uncertain parameters"',
        'scenarios = ["../scenarios/china_2017.toml"]',
        "replicates = 1",
        "seed = 20170730",
        "outcomes = [" + ", ".join(f'"{o}"' for o in SENSITIVITY_OUTCOMES) + "]",
        "",
        "[settings]",
        f"users = {users}",
        "days = 365",
        "",
        "[design]",
        'kind = "sobol"',
        f"samples = {samples}",
        "second_order = false",
        "",
        "[design.parameters]",
        *(f"{p} = [{float(ranges[p][0])!r}, {float(ranges[p][-1])!r}]" for p in top),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _publish(ctx: Context, figures: dict[Path, str], tables: dict[Path, str]) -> list[Path]:
    """Copy report figures and tables into docs/figures and docs/data."""
    out = []
    for sources, folder in ((figures, ctx.figures), (tables, ctx.data)):
        folder.mkdir(parents=True, exist_ok=True)
        for source, name in sources.items():
            shutil.copyfile(source, folder / name)
            out.append(folder / name)
    return out
