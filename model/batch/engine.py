"""Run an experiment into its folder: plan, skip what is done, run the rest, record everything.

Planning (`plan_experiment`) validates the design against every scenario, then locks the output
folder and only then looks at it (so no other command can slip in between), holding it until the
run ends or `Plan.release()`; a bad experiment or a refused folder leaves no trace.
Running (`run_experiment`) first verifies the run files already there (verify.py; a bad one is
set aside and its run redone), hands the runs not done to an executor, saves each result as it
arrives, keeps the manifest current, and combines the tables once every run has been tried. The
manifest says how each session ended, however it ended.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..crash_log import remember_folder
from .designs import Design, build_design
from .experiment import Experiment
from .limits import MAX_RUNS, check_memory, check_run_count
from .grow import grown_design, keeps_runs
from .manifest import (environment, fingerprint, new_manifest, now, read_manifest, set_counts,
                       write_manifest)
from .progress import Progress
from .runs import RunSpec, plan_runs
from .scheduler_address import DEFAULT_TIMEOUT_S
from .shards import Shard, check_resumed
from .storage import ResultStore, Storage

MANIFEST_EVERY_S = 5.0      # how often the manifest is refreshed while runs finish


@dataclass
class Plan:
    """An experiment ready to run into a folder (nothing written yet)."""

    experiment: Experiment
    design: Design
    specs: list[RunSpec]
    fingerprint: str
    store: ResultStore
    previous: dict | None      # the folder's manifest when resuming
    grows: str | None = None   # the folder's fingerprint, when this plan grows it by points
    shard: dict | None = None  # this job's share of the runs (shards.py), when sharded

    def claim(self) -> None:
        """Lock and inspect the folder (again, if it was released)."""
        if not self.store.claimed:
            self.previous = self.store.claim(self.grows or self.fingerprint,
                                             self.experiment.name, self.experiment.source,
                                             {s.run_id for s in self.specs},
                                             new_points=self.grows is not None)

    def release(self, undo: bool = False) -> None:
        """Let go of the folder; `undo` when nothing ran: remove what claiming created."""
        self.store.release(undo=undo)

    def __enter__(self) -> Plan:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


@dataclass
class ExperimentOutcome:
    folder: Path
    total: int
    done: int
    failed: int
    skipped: int                # finished in an earlier session
    failures: list[tuple[str, str]] = field(default_factory=list)   # (run_id, error)
    notes: list[str] = field(default_factory=list)


def plan_experiment(experiment: Experiment, folder: Path, max_runs: int = MAX_RUNS,
                    in_flight: int | None = None, shard: Shard | None = None,
                    storage: Storage | None = None) -> Plan:
    """Design points, run specs, and the folder locked and checked; raises ScenarioError and
    then leaves nothing behind. The plan holds the folder until it has run or is released.
    Refuses more than `max_runs` runs, and, given `in_flight` (runs at once on this machine),
    runs that would not fit in its memory (limits.py). With `shard`, the plan holds only that
    shard's runs (shards.py). `storage` is how a new folder stores runs (a folder being resumed
    keeps its layout)."""
    check_run_count(experiment, max_runs)
    design = build_design(experiment.design, experiment.seed)
    specs = plan_runs(experiment, design)
    shard_record = shard.record(len(specs)) if shard else None
    if shard is not None:
        specs = shard.select(specs)
    grows, held = None, _peek(Path(folder))
    check_resumed(held, shard_record, Path(folder))     # before claiming: the clear message
    if held is not None and shard is None and held["fingerprint"] != fingerprint(experiment):
        grown = grown_design(experiment, design, held)
        grown_specs = plan_runs(experiment, grown) if grown is not None else None
        if grown_specs is not None and keeps_runs(held, grown_specs):
            design, specs, grows = grown, grown_specs, held["fingerprint"]
    if in_flight is not None:
        check_memory((s.resolved.params for s in specs), in_flight, experiment.source)
    plan = Plan(experiment, design, specs, fingerprint(experiment), ResultStore(folder, storage),
                None, grows, shard_record)
    plan.claim()
    try:
        check_resumed(plan.previous, shard_record, Path(folder))   # again, under the lock
    except BaseException:
        plan.release()
        raise
    return plan


def _peek(folder: Path) -> dict | None:
    """The folder's manifest, read before claiming it (claiming checks it again, locked), to
    see whether the plan grows it by points; None for anything claiming will judge."""
    from ..config.errors import ScenarioError

    try:
        return read_manifest(folder) if folder.is_dir() else None
    except (ScenarioError, OSError):
        return None


def run_experiment(plan: Plan, executor, quiet: bool = True,
                   on_note: Callable[[str], None] = lambda note: None) -> ExperimentOutcome:
    """Run every run of `plan` not yet done; see the module docstring. `on_note` hears each
    note (changed code, a run file set aside) as it happens; the outcome lists them too."""
    store = plan.store
    plan.claim()
    try:
        store.open()
        return _session(plan, executor, quiet, on_note)
    except Exception as exc:
        remember_folder(exc, store.root)        # its trace is written beside the results
        raise
    finally:
        plan.release()


def _session(plan: Plan, executor, quiet: bool, on_note) -> ExperimentOutcome:
    """One session on the folder: the manifest says how it ended, however it ends."""
    store, experiment = plan.store, plan.experiment
    manifest = plan.previous or new_manifest(
        experiment, plan.fingerprint, len(plan.design.points),
        [s.record() for s in plan.specs])
    if plan.shard is not None:
        manifest["shard"] = plan.shard
    manifest["storage"] = store.layout.record()
    held = {r["run_id"] for r in manifest["runs"]}
    manifest["runs"].extend({**s.record(), "status": "pending", "error": None}
                            for s in plan.specs if s.run_id not in held)   # more replicates
    manifest["experiment"] = {**experiment.describe(), "content": experiment.text}
    if plan.grows is not None:               # more grid points: the folder now holds this one
        manifest["fingerprint"] = plan.fingerprint
        manifest["design_points"] = len(plan.design.points)
    env = environment()
    notes = _revision_notes(manifest, env)
    for note in notes:
        on_note(note)
    session = {"started": now(), "ended": None, "status": "running",
               "executor": executor.describe(), "environment": env, "ran": 0, "failed": 0}
    manifest["started"] = manifest["started"] or session["started"]
    manifest["ended"] = None
    manifest["environment"] = env
    manifest["sessions"].append(session)
    progress = None
    try:
        status, finished = _reconcile(plan, manifest, notes, on_note)
        todo = [s for s in plan.specs if s.run_id not in finished]
        progress = Progress(len(plan.specs), len(finished), quiet, experiment.name)
        failures = _run_all(store, executor, todo, status, session, manifest, progress)
        _stored(store.flush(), status)
        progress.close()
        counts = set_counts(manifest)
        store.combine(plan.specs)
    except BaseException as exc:
        if progress is not None:
            progress.close()
        try:                                     # what finished is kept, however it ends
            _stored(store.flush(), status)
        except Exception:  # noqa: BLE001 - the runs held back run again; the cause is `exc`
            pass
        _record_end(store, manifest, session, exc)
        raise
    session.update(status="complete" if not counts["failed"] else "complete with failures",
                   ended=now())
    manifest["ended"] = session["ended"]
    write_manifest(store.root, manifest)
    return ExperimentOutcome(store.root, counts["total"], counts["done"], counts["failed"],
                             len(finished), failures, notes)


def _reconcile(plan: Plan, manifest: dict, notes: list[str], on_note
               ) -> tuple[dict[str, dict], set[str]]:
    """Run records by id, and the runs done: the files, verified, decide, not the manifest."""
    store = plan.store
    status = {r["run_id"]: r for r in manifest["runs"]}
    for spec in plan.specs:                      # manifests from before days were recorded
        status[spec.run_id].setdefault("days", spec.days)
    finished = _verified(store, status, notes, on_note)
    for run_id, record in status.items():
        if run_id in finished:
            record.update(status="done", error=None)
        elif record["status"] == "done":
            record.update(status="pending")
    set_counts(manifest)
    write_manifest(store.root, manifest)
    store.write_design(plan.design)
    return status, finished


def _run_all(store: ResultStore, executor, todo: list[RunSpec], status: dict[str, dict],
             session: dict, manifest: dict, progress: Progress) -> list[tuple[str, str]]:
    """Hand `todo` to the executor and save each result as it arrives; the manifest is
    refreshed every MANIFEST_EVERY_S. Returns the failures (run id, error)."""
    failures: list[tuple[str, str]] = []
    last_write = time.monotonic()
    for result in executor.run(todo):
        record = status[result.run_id]
        record.update(elapsed_s=round(result.elapsed_s, 3), cpu_s=round(result.cpu_s, 3),
                      host=result.host)
        if result.status == "failed":
            record.update(status="failed", error=result.error)
        _stored(store.save(result), status)
        session["ran"] += 1
        if result.status == "failed":
            session["failed"] += 1
            failures.append((result.run_id, result.error or "unknown error"))
        progress.advance(result.status == "failed")
        if time.monotonic() - last_write > MANIFEST_EVERY_S:
            set_counts(manifest)
            write_manifest(store.root, manifest)
            last_write = time.monotonic()
    return failures


def _stored(run_ids: list[str], status: dict[str, dict]) -> None:
    """Runs stored for good are done (not before: a batched part is written every so often)."""
    for run_id in run_ids:
        status[run_id].update(status="done", error=None)


def _verified(store: ResultStore, status: dict[str, dict], notes: list[str], on_note
              ) -> set[str]:
    """The runs whose stored tables hold them, whole. The files of any other are moved aside,
    with a note for each problem, and its runs run again."""
    finished = sorted(store.finished(status))
    problems = store.problems([status[r] for r in finished])
    if problems:
        folder = store.set_aside(sorted(problems))
        for problem, count in Counter(problems[r] for r in sorted(problems)).items():
            again = "the run runs again" if count == 1 else f"its {count} runs run again"
            note = f"{problem}: moved to {folder.name}/ (kept, not deleted); {again}"
            notes.append(note)
            on_note(note)
    return set(finished) - set(problems)


def _record_end(store: ResultStore, manifest: dict, session: dict, exc: BaseException) -> None:
    """The manifest after a session stopped early: "interrupted" (Ctrl-C, SIGTERM) or "error",
    with the true counts. A failure to write it must not hide why the session stopped."""
    stopped = isinstance(exc, KeyboardInterrupt)
    session.update(status="interrupted" if stopped else "error", ended=now())
    if not stopped:
        session["error"] = type(exc).__name__
    try:
        set_counts(manifest)
        write_manifest(store.root, manifest)
    except OSError:
        pass


def _revision_notes(manifest: dict, env: dict) -> list[str]:
    """A note when this session runs other model code than the sessions before it."""
    earlier = [s.get("environment") or {} for s in manifest["sessions"]]
    if not earlier or {e.get("code_sha256") for e in earlier} == {env["code_sha256"]}:
        return []
    revisions = {str((e.get("git") or {}).get("revision"))[:10] for e in earlier}
    return [f"this session runs different model code (source sha256 {env['code_sha256'][:10]}, "
            f"git {str(env['git']['revision'])[:10]}) than earlier sessions "
            f"(git {', '.join(sorted(revisions))}); manifest.json records each session's"]


def run_in_folder(experiment: Experiment, out: Path | None = None, workers: int | None = None,
                  scheduler: str | None = None, quiet: bool = True,
                  on_note: Callable[[str], None] = lambda note: None,
                  max_runs: int = MAX_RUNS, memory_check: bool = True,
                  scheduler_timeout: float = DEFAULT_TIMEOUT_S,
                  shard: Shard | None = None, min_in_flight: int = 4,
                  storage: Storage | None = None) -> ExperimentOutcome:
    """Plan `experiment` into `out` (default results/<name>, or results/<name>-shard-IofN),
    open the executor the flags ask for, run, close: what `pressure experiment` does, for every
    command that runs experiments. The memory check covers local runs only (a cluster's
    workers have their own memory)."""
    from ..config.errors import ScenarioError
    from .executors import default_workers, make_executor

    in_flight = None
    if memory_check and not scheduler:
        in_flight = max(1, min(workers or default_workers(),
                               check_run_count(experiment, max_runs)))
    default = shard.default_folder(experiment.name) if shard else \
        Path("results") / experiment.name
    plan = plan_experiment(experiment, out or default, max_runs, in_flight, shard, storage)
    try:
        executor = make_executor(workers, scheduler, scheduler_timeout, min_in_flight)
    except ScenarioError:
        plan.release(undo=True)
        raise
    except (OSError, TimeoutError, ValueError) as exc:    # the client, after a good probe
        plan.release(undo=True)
        raise ScenarioError("--scheduler", None, "a Dask scheduler that accepts this client "
                            f"({type(exc).__name__})", scheduler) from None
    except BaseException:
        plan.release(undo=True)
        raise
    try:
        return run_experiment(plan, executor, quiet=quiet, on_note=on_note)
    finally:
        executor.close()
