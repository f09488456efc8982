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
        return '"""\n' + text.replace("\\", "\\\\").replace('"""', '\\"""') + '\n"""'
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
