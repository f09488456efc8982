"""Print a resolved scenario as TOML (the subset scenarios use: scalars, tables, [[events]])."""

from __future__ import annotations

import datetime as dt


def dumps(data: dict) -> str:
    lines = [f"{k} = {_scalar(v)}" for k, v in data.items() if not isinstance(v, dict | list)]
    for key, table in data.items():
        if isinstance(table, dict):
            lines += ["", f"[{key}]", *(f"{k} = {_scalar(v)}" for k, v in table.items())]
    for key, array in data.items():
        if isinstance(array, list):
            for item in array:
                lines += ["", f"[[{key}]]", *(f"{k} = {_scalar(v)}" for k, v in item.items())]
    return "\n".join(lines) + "\n"


def _scalar(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    text = str(v).strip()
    if "\n" in text:
        return '"""\n' + _escape(text, keep="\n\t") + '\n"""'
    return '"' + _escape(text, keep="\t") + '"'


def _escape(text: str, keep: str) -> str:
    """Escape a TOML basic string: backslash, quote, and every control character not kept."""
    return "".join("\\" + c if c in '\\"' else c if c in keep or c.isprintable()
                   else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
                   for c in text)
