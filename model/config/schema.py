"""What a parameter is: name, TOML section, type, unit, range, default, meaning, source.

Every parameter of the model is declared once (see `parameters.py`); the loader, the CLI's
`--set`, `simulate`'s keywords, the Mesa model's keywords and the parameter reference in `docs/`
all read these declarations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

Value = bool | int | float | str | dt.date


@dataclass(frozen=True)
class Param:
    """One scenario parameter.

    `name` is unique across sections, so it is also the flat keyword used by `simulate`, the
    Mesa model and `--set`. `section` is the TOML table it is written in ("" for top level).
    """

    name: str
    section: str
    kind: type
    default: Value
    unit: str
    meaning: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    source: str = ""
    optional: bool = False        # None (not set) is a value

    @property
    def key(self) -> str:
        """The dotted key as written in a TOML file (`section.name`)."""
        return f"{self.section}.{self.name}" if self.section else self.name

    def expected(self) -> str:
        """Human description of an acceptable value, for error messages and docs."""
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        kind = {bool: "true or false", int: "an integer", float: "a number",
                str: "a string", dt.date: "a date (YYYY-MM-DD)"}[self.kind]
        if self.low is not None and self.high is not None:
            return f"{kind} in [{_fmt(self.low)}, {_fmt(self.high)}]"
        if self.low is not None:
            return f"{kind} >= {_fmt(self.low)}"
        return kind + (" (or none)" if self.optional else "")

    def coerce(self, value: object) -> Value:
        """Return `value` as this parameter's type, or raise ValueError saying what was expected."""
        value = plain_scalar(value)
        if value is None and self.optional:
            return None
        v = _coerce_kind(self.kind, value)
        if v is None:
            raise ValueError(self.expected())
        if self.choices and v not in self.choices:
            raise ValueError(self.expected())
        if self.kind in (int, float):
            if v != v or v in (float("inf"), float("-inf")):
                raise ValueError(self.expected())
            if (self.low is not None and v < self.low) or (self.high is not None and v > self.high):
                raise ValueError(self.expected())
        return v


def plain_scalar(value: object) -> object:
    """A numpy or pandas scalar as the Python value it holds (np.int64 -> int, np.bool_ -> bool,
    np.float32 -> float), anything else unchanged.

    Outside tools hand these over: EMA Workbench's IntegerParameter, Mesa's batch_run over
    np.arange, values taken from pandas rows. numpy is not imported here (it is not needed to
    recognise its scalars), so the schema stays cheap to import.
    """
    module = type(value).__module__
    if module == "numpy" or module.startswith(("numpy.", "pandas.")):
        item = getattr(value, "item", None)
        if callable(item) and getattr(value, "ndim", 0) == 0:
            try:
                return item()
            except (TypeError, ValueError):
                return value
    return value


def _coerce_kind(kind: type, value: object) -> Value | None:
    # bool is a subclass of int in Python: never let true/false pass as a number, or 1 as a bool.
    if kind is bool:
        return value if isinstance(value, bool) else None
    if isinstance(value, bool):
        return None
    if kind is int:
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return None
    if kind is float:
        if not isinstance(value, int | float):
            return None
        try:
            return float(value)
        except OverflowError:               # an integer beyond the range of a float
            return None
    if kind is str:
        return value if isinstance(value, str) else None
    if kind is dt.date:
        if isinstance(value, dt.datetime):
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return None
        return None
    raise TypeError(f"unsupported parameter kind {kind!r}")


def parse_text(param: Param, text: str) -> Value:
    """Parse a command-line string (from `--set KEY=VALUE`) into the parameter's type."""
    text = text.strip()
    if param.optional and text.lower() in ("", "none"):
        return None
    if param.kind is bool:
        lowered = text.lower()
        if lowered in ("true", "yes", "1", "on"):
            return True
        if lowered in ("false", "no", "0", "off"):
            return False
        raise ValueError(param.expected())
    if param.kind is int:
        try:
            return param.coerce(int(text))
        except ValueError:
            try:
                return param.coerce(float(text))
            except ValueError:
                raise ValueError(param.expected()) from None
    if param.kind is float:
        try:
            return param.coerce(float(text))
        except ValueError:
            raise ValueError(param.expected()) from None
    return param.coerce(text)


def _fmt(x: float) -> str:
    return f"{x:g}"
