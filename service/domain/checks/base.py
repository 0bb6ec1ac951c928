"""What every quality check is: an id, a translatable name and a level declared beside its logic, and its results."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Callable, Generic, Iterable, ParamSpec

from ..interface_text import Message

P = ParamSpec("P")


class Level(StrEnum):
    """How much a result matters: an ``error`` rejects a save, a ``warning`` is shown to the translator."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class CheckResult:
    """One problem a check found: the check's id, its level and what is wrong (English, translatable)."""

    check: str
    level: Level
    message: Message

    def as_json(self) -> dict[str, str]:
        """Return the result as the API and ``l10n check --format json`` show it."""
        return {"check": self.check, "level": self.level.value, "message": self.message}


@dataclass(frozen=True)
class Check(Generic[P]):
    """A quality check: its id, display name (marked with ``N_``), level, and the function finding its problems.

    Calling the check calls the function and turns each problem it yields into a :class:`CheckResult`.
    """

    id: str
    name: str
    level: Level
    find_problems: Callable[P, Iterable[Message]]

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> list[CheckResult]:
        return [CheckResult(self.id, self.level, problem) for problem in self.find_problems(*args, **kwargs)]


def check(check_id: str, name: str, level: Level) -> Callable[[Callable[P, Iterable[Message]]], Check[P]]:
    """Declare the decorated function, which yields problems, as the check ``check_id``."""
    def declare(find_problems: Callable[P, Iterable[Message]]) -> Check[P]:
        return Check(check_id, name, level, find_problems)
    return declare


def has_errors(results: Iterable[CheckResult]) -> bool:
    """Tell whether any result is an ``error``."""
    return any(result.level == Level.ERROR for result in results)
