"""The one error bad input raises: it names the file, the key and what was expected."""

from __future__ import annotations


class ScenarioError(ValueError):
    """Bad scenario or experiment input. `str()` is the one-line message the CLI prints."""

    def __init__(self, source: str, key: str | None, expected: str, got: object = ...) -> None:
        self.source, self.key, self.expected, self.got = str(source), key, expected, got
        where = f"{self.source}: {key}" if key else self.source
        tail = "" if got is ... else f", got {_show(got)}"
        super().__init__(f"{where}: expected {expected}{tail}")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
