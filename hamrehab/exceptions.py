"""The project's own errors. The CLI maps every one of them to a one-line message and exit 2."""
from __future__ import annotations

from dataclasses import dataclass


class HamrehabError(Exception):
    """Base of every error hamrehab raises on purpose (bad input, not a bug)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place: the file, its line, the field and what is expected."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class InputError(HamrehabError):
    """Bad input from a flag, a file or a roster row; the message says which and what is accepted.

    `field` names the request field at fault when there is one (a roster's errors.csv lists it).
    """

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


class ValidationFailed(InputError):
    """A catalogue, protocol or request file has problems; all of them are carried, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
