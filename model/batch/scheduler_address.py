"""`--scheduler`: check the address, then make sure a Dask scheduler answers there, in bounded time.

A malformed address (an unknown scheme, a port that is not a number) is refused before Dask sees
it, so no half-made client stalls on its way out. A scheduler file is read like any input file
(a regular file, capped in size) and must hold an `address`. Then, before the client is made,
one request goes to the scheduler and must be answered within the timeout (default 30 s,
`--scheduler-timeout`): a closed port, an unknown host, a port that accepts and never answers,
or something that is not a Dask scheduler each get one line saying which.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from pathlib import Path

from ..config.errors import ScenarioError
from ..config.reading import read_input

DEFAULT_TIMEOUT_S = 30.0
SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
_ADDRESS = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<host>\[[^\]]*\]|[^:/\[\]]*)"
                      r"(?::(?P<port>[^/]*))?/?$")
_FORM = "tcp://HOST:PORT"


def resolve(text: str) -> str:
    """The scheduler's address from `--scheduler` (an address, or a scheduler file)."""
    if "://" in text:
        return check_address(text, "--scheduler", None)
    path = Path(text)
    if not path.exists():
        raise ScenarioError("--scheduler", None, f"a scheduler address like {_FORM} or a "
                            "scheduler file (JSON)", text)
    data = read_input(path, "scheduler file (JSON)", limit=1 << 20)
    try:
        info = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ScenarioError(text, None, "a scheduler file: JSON with the scheduler's "
                            f"\"address\" ({type(exc).__name__})") from None
    address = info.get("address") if isinstance(info, dict) else None
    if not isinstance(address, str):
        raise ScenarioError(text, "address", "the scheduler's address (a scheduler file as "
                            "`dask scheduler --scheduler-file` writes it)")
    return check_address(address, text, "address")


def check_address(address: str, source: str, key: str | None) -> str:
    """`address` if it is SCHEME://HOST:PORT with a scheme Dask knows and a port number."""
    match = _ADDRESS.match(address.strip())
    if not match:
        raise ScenarioError(source, key, f"a scheduler address like {_FORM}", address)
    scheme, host, port = match["scheme"].lower(), match["host"], match["port"]
    if scheme not in SCHEMES:
        raise ScenarioError(source, key, f"an address with the scheme {', '.join(SCHEMES)} "
                            f"(like {_FORM})", address)
    if not host.strip("[]"):
        raise ScenarioError(source, key, f"an address with a host (like {_FORM})", address)
    if port is None or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ScenarioError(source, key, f"an address with a port number in 1..65535 (like "
                            f"{_FORM})", address)
    return f"{scheme}://{host}:{int(port)}"


def probe(address: str, timeout: float = DEFAULT_TIMEOUT_S) -> None:
    """Return when a Dask scheduler at `address` has answered a request within `timeout`
    seconds; ScenarioError saying what happened otherwise."""
    def fail(why: str) -> ScenarioError:
        return ScenarioError("--scheduler", None, f"a Dask scheduler answering at {address} "
                             f"within {timeout:g} s ({why})")

    scheme, rest = address.split("://", 1)
    host, port = rest.rsplit(":", 1)
    if scheme in ("tcp", "tls", "ws", "wss"):         # is anything listening at all?
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
        except socket.gaierror:
            raise fail(f"unknown host {host}") from None
        except TimeoutError:
            raise fail("no connection: pass --scheduler-timeout SECONDS to wait longer") from None
        except OSError as exc:
            raise fail(f"no connection: {exc.strerror or type(exc).__name__}") from None
    try:
        reply = asyncio.run(asyncio.wait_for(_identity(address, timeout), timeout))
    except TimeoutError:
        raise fail("it accepts connections but does not answer: pass --scheduler-timeout "
                   "SECONDS to wait longer") from None
    except Exception as exc:  # noqa: BLE001 - every way a handshake can fail is one answer
        raise fail(f"no Dask handshake: {type(exc).__name__}") from None
    if not (isinstance(reply, dict) and reply.get("type") == "Scheduler"):
        raise fail("something that is not a Dask scheduler answers there")


async def _identity(address: str, timeout: float) -> object:
    from distributed.comm import connect
    from distributed.security import Security

    comm = await connect(address, timeout=timeout,
                         **Security().get_connection_args("client"))
    try:
        await comm.write({"op": "identity", "reply": True})
        return await comm.read()
    finally:
        comm.abort()
