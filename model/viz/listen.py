"""Where the app listens: the real port (a free one for `--port 0`), a clear refusal of a port
another program holds or an address this machine does not have, and whether the address reaches
beyond this machine (then `pressure viz` warns: anyone who can reach it can run simulations)."""

from __future__ import annotations

import errno
import ipaddress
import socket
import subprocess
import time

from ..config.errors import ScenarioError

_ANY = {"0.0.0.0": "every IPv4 interface", "::": "every interface", "": "every interface"}


def choose_port(host: str, port: int) -> int:
    """`port`, checked free on `host`, or for 0 a free port chosen now. Binds the way the
    server will (SO_REUSEADDR), so a port the check passes is one the server can take."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise ScenarioError("--host", None, "an address or host name of this machine",
                            host) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ScenarioError("--port", None, f"a free port ({port} on {host} is in use by "
                                    "another program): pass another --port, or --port 0 for "
                                    "a free one") from None
            raise ScenarioError("--host", None, f"an address this machine can listen on "
                                f"({exc.strerror or type(exc).__name__})", host) from None
        return probe.getsockname()[1]


def beyond_loopback(host: str) -> str | None:
    """None when `host` is only reachable from this machine, else how far it reaches."""
    if host in _ANY:
        return _ANY[host]
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        return None                     # choose_port refuses it
    if all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        return None
    return "the network"


def wait_until_listening(host: str, port: int, server: subprocess.Popen,
                         timeout: float) -> bool:
    """True once the server accepts connections; False if it exited or `timeout` passed."""
    target = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            socket.create_connection((target, port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False
