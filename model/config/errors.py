"""The one error bad input raises: it names the file, the key and what was expected."""

from __future__ import annotations

import datetime as dt


class ScenarioError(ValueError):
    """Bad scenario or experiment input. `str()` is the one-line message the CLI prints."""

    def __init__(self, source: str, key: str | None, expected: str, got: object = ...) -> None:
        self.source, self.key, self.expected, self.got = str(source), key, expected, got
        where = f"{self.source}: {key}" if key else self.source
        tail = "" if got is ... else f", got {_show(got)}"
        message = f"{where}: expected {expected}{tail}"
        # one line whatever the input: escape newlines and other control characters
        super().__init__("".join(c if c.isprintable() else repr(c)[1:-1] for c in message))


def _show(value: object) -> str:
    text = _plain(value)                # long values keep both ends (a path keeps its file)
    return text if len(text) <= 60 else text[:28] + "..." + text[-29:]


def _plain(value: object, depth: int = 0) -> str:
    """`repr`, but dates and times as the ISO text a TOML file would hold (2017-04-01, not
    datetime.date(2017, 4, 1)), also inside arrays and tables; deep nesting is elided."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple | dict):
        if depth >= 4:
            return "[...]" if not isinstance(value, dict) else "{...}"
        if isinstance(value, dict):
            items = [f"{_plain(k, depth + 1)}: {_plain(v, depth + 1)}"
                     for k, v in list(value.items())[:8]]
            return "{" + ", ".join(items) + (", ..." if len(value) > 8 else "") + "}"
        items = [_plain(v, depth + 1) for v in list(value)[:8]]
        return "[" + ", ".join(items) + (", ..." if len(value) > 8 else "") + "]"
    try:
        return repr(value)
    except Exception:  # noqa: BLE001 - a value whose repr fails still gets a message
        return f"<{type(value).__name__}>"
