"""`pressure viz`: serve the app on the loopback interface (unless told otherwise).

The lead's `model/cli.py` calls `add_commands(subparsers)` while building its parser and
`dispatch(args)` for the `viz` command. The scenario is checked here first, so a bad file gets
the CLI's one-line error and exit code 2 before any server starts, and so does a port in use;
then Solara's server runs in a child process (production mode, no browser opened, no telemetry
or version check: these machines are often offline) until Ctrl-C. "serving on" is printed once
the server listens, with the real port (`--port 0` picks a free one); an address beyond loopback
gets a warning.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

from ..exits import BAD_INPUT as EXIT_BAD_INPUT
from ..exits import INTERNAL_ERROR, guarded
from .listen import beyond_loopback, choose_port, wait_until_listening

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
APP = "model.viz.app:page"
START_TIMEOUT_S = 120.0       # the server imports Solara and the model before it listens


def add_commands(subparsers) -> None:
    """Add `viz` to the `pressure` command's subparsers."""
    viz = subparsers.add_parser("viz", help="open the interactive app in a browser")
    viz.add_argument("--scenario", metavar="FILE",
                     help="scenario TOML file, or a name in scenarios/ (default china_2017)")
    viz.add_argument("--host", default=DEFAULT_HOST,
                     help=f"interface to listen on (default {DEFAULT_HOST}: this machine only)")
    viz.add_argument("--port", type=_port, default=DEFAULT_PORT,
                     help=f"port (default {DEFAULT_PORT}; 0: a free one)")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is not in 0..65535")
    return port


def server_command(host: str, port: int) -> list[str]:
    """The command line that serves the app."""
    return [sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port),
            "--production", "--no-open", "--no-check-version"]


def server_env(scenario: str | None) -> dict[str, str]:
    """The server's environment: the opening scenario, no telemetry, and not Solara's warning
    (on every page load) that a session cookie cannot be `SameSite=None` over plain http on an
    address other than `localhost`: it falls back to `Lax`, which is right for this app."""
    from .levers import SCENARIO_ENV
    from .sessions import CULL_ENV, CULL_TIMEOUT

    env = dict(os.environ)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    env["SOLARA_THEME_SHOW_BANNER"] = "False"       # it covers the corner of the page
    env.setdefault(CULL_ENV, CULL_TIMEOUT)          # a lost page's session ends (sessions.py)
    quiet = "ignore:Cookies with samesite=none require https:UserWarning"
    env["PYTHONWARNINGS"] = ",".join(w for w in (env.get("PYTHONWARNINGS"), quiet) if w)
    if scenario:
        env[SCENARIO_ENV] = scenario
    else:
        env.pop(SCENARIO_ENV, None)
    return env


def resolve_scenario(ref: str | None) -> str | None:
    """Validate the scenario; one in scenarios/ is passed on by name (as the picker lists it),
    any other file as an absolute path (the server may run in another folder)."""
    from ..config.loader import SCENARIO_DIR, load_scenario, resolve_path

    if ref is None:
        return None
    load_scenario(ref)
    path = resolve_path(ref).resolve()
    return path.stem if path.parent == SCENARIO_DIR else str(path)


def dispatch(args) -> int:
    """Run `pressure viz`; returns the exit code."""
    from ..config.errors import ScenarioError

    try:
        scenario = resolve_scenario(args.scenario)
    except ScenarioError as exc:
        print(f"pressure viz: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        import mesa.visualization  # noqa: F401
        import solara  # noqa: F401
    except ImportError as exc:
        print(f"pressure viz: error: the app needs the viz extra ({exc.name} is missing): "
              "pip install -e '.[viz]'", file=sys.stderr)
        return INTERNAL_ERROR
    try:
        port = choose_port(args.host, args.port)
    except ScenarioError as exc:
        print(f"pressure viz: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    reach = beyond_loopback(args.host)
    if reach:
        print(f"pressure viz: warning: listening on {args.host} ({reach}): anyone who can reach "
              f"this machine on port {port} can open the app and run simulations on it; "
              f"--host {DEFAULT_HOST} keeps it to this machine", file=sys.stderr, flush=True)
    host = "[" + args.host + "]" if ":" in args.host else args.host
    proc = subprocess.Popen(server_command(args.host, port), env=server_env(scenario))
    previous = signal.signal(signal.SIGTERM, _interrupt)     # stop the server with us
    try:
        if not wait_until_listening(args.host, port, proc, START_TIMEOUT_S):
            _stop(proc)
            print(f"pressure viz: error: the app's server did not start listening on "
                  f"{host}:{port} (exit code {proc.returncode}; its own messages are above)",
                  file=sys.stderr)
            return INTERNAL_ERROR
        print(f"pressure viz: serving on http://{host}:{port}  (Ctrl-C to stop)", flush=True)
        code = proc.wait()
        return 0 if code in (-signal.SIGINT, -signal.SIGTERM) else code
    except KeyboardInterrupt:
        _stop(proc)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """`python -m model.viz.cli [--scenario FILE] [--host HOST] [--port PORT]`."""
    parser = argparse.ArgumentParser(prog="pressure")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["viz", *(sys.argv[1:] if argv is None else argv)])
    return guarded("viz", lambda: dispatch(args))


if __name__ == "__main__":
    sys.exit(main())
