"""Reading a roster: a CSV file or a YAML/JSON list of requests, checked whole before any plan is written.

- The roster must be a regular file of bounded size: a FIFO, a device such as /dev/zero, a folder or a
  symlink to any of those is refused before a byte is read (and before `--out` is created).
- A CSV roster is checked to be UTF-8 from its first byte to its last before the first row is handed
  out: a bad byte anywhere refuses the whole roster, naming its line, and nothing is written. (A roster
  saved in another encoding has every accented name wrong, not just the row where it first shows.)
- The header is checked whole: one column given twice (`diagnosis,Diagnosis`, or `id,patient_id`)
  refuses the roster, naming both positions. A column hamrehab does not know ("Phone") is ignored, never
  a stop: `Roster.ignored` lists them for one warning. A header one letter or so off a field
  ("Equipmnet") is read as that field when it is the only field close to it and no other column gives
  it (`Roster.notices` says so); the same for the keys of a YAML/JSON list.
- Rows then stream, one in memory at a time. A row that cannot be used (more cells than columns, a cell
  over MAX_CELL characters, broken quoting) comes out as an error row with its line, and the rows after
  it go on. An error row lists every problem the reader found (PROBLEMS); when its other cells can
  still be read (CHECK), the batch checks them too, so every problem of a row is reported at once.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import IO, Any

from .documents import load_document
from .exceptions import InputError
from .inputfile import MAX_ROSTER, check_regular, display_path
from .matching import correction
from .request import FIELDS
from .validation import did_you_mean

ALIASES = {"red_flag": "red_flags", "id": "patient_id", "patient": "name", "weak_glute": "weak_glute_side", "km_per_week": "runner_km_per_week",
           "start_date": "start", "patient_name": "name", "full_name": "name", "red_flags_found": "red_flags"}
MAX_CELL = 65_536  # characters in one cell (a notes cell of a few pages is fine; a megabyte is not a note)
ERROR = "__error__"  # key of an error row: the (first) message; FIELD names the column at fault, if any
FIELD = "__field__"
PROBLEMS = "__problems__"  # every (field, message) the reader found in the row
CHECK = "__check__"  # True when the row's other cells can still be checked (they are in the row)
LIST_SUFFIXES = (".yaml", ".yml", ".json")


def column(name: str) -> str:
    """The request field a column header (or a YAML key) stands for: any case, spaces or hyphens."""
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return ALIASES.get(key, key)


def short(text: str, limit: int = 60) -> str:
    """A value as it may be quoted in a message: at most `limit` characters."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@contextmanager
def _no_field_limit() -> Iterator[None]:
    """Lift the csv module's 131,072-character field limit for one read (our own MAX_CELL applies).

    Over its limit the csv module raises in the middle of a record and loses its place; with the limit
    lifted every record is read whole (never more than the file, itself at most MAX_ROSTER bytes), and a
    cell that is too long becomes an error on its own row.
    """
    old = csv.field_size_limit(MAX_ROSTER + 1)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _error_row(message: str, fields: Mapping[str, Any] | None = None, field: str = "") -> dict[str, Any]:
    """A row that cannot be used at all (broken quoting, cells out of line): only its patient id is kept."""
    row: dict[str, Any] = {ERROR: message, FIELD: field, PROBLEMS: [(field, message)], CHECK: False}
    patient_id = (fields or {}).get("patient_id")
    if isinstance(patient_id, str):
        row["patient_id"] = short(patient_id, 200)
    return row


def _problem_row(problems: list[tuple[str, str]], rest: Mapping[str, Any]) -> dict[str, Any]:
    """A row with problems in some cells; the others (`rest`) stay in it, to be checked as well."""
    return {**rest, ERROR: problems[0][1], FIELD: problems[0][0], PROBLEMS: problems, CHECK: True}


def read_columns(names: list[str]) -> tuple[list[str], list[str], list[str]]:
    """The field each name stands for ('' when ignored), the names ignored, and the notices for names
    read as a close field. Exact names first; a near miss only when one field is close and no other
    name gives it."""
    columns = [column(n) for n in names]
    taken = {c for c in columns if c in FIELDS}
    ignored, notices = [], []
    for i, col in enumerate(columns):
        if not col or col in FIELDS:
            continue
        target = correction(col, FIELDS)
        if target is not None and target not in taken:
            notices.append(f"column '{short(names[i].strip())}' read as '{target}' (the only field close to it)")
            columns[i] = target
            taken.add(target)
        else:
            ignored.append(short(names[i].strip()) + did_you_mean(col, FIELDS))
            columns[i] = ""
    return columns, ignored, notices


class Roster:
    """An open, checked roster; iterate for (row number, fields); the number is the line (CSV) or position."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.name = display_path(self.path)
        self.count: int | None = None  # rows, for a progress bar (CSV only)
        self._fh: IO[bytes] | None = None
        self._items: list[Any] | None = None
        self._reader: Any = None
        self._columns: list[str] = []
        self._header: list[str] = []
        self._keys: dict[str, str] = {}  # YAML/JSON list: key -> field ('' when ignored)
        self.ignored: tuple[str, ...] = ()  # columns (or keys) hamrehab does not use: one warning
        self.notices: tuple[str, ...] = ()  # columns read as a close field
        problem = check_regular(self.path, self.name, MAX_ROSTER)
        if problem is not None:
            raise InputError(f"ROSTER: {problem}")
        if self.path.suffix.lower() in LIST_SUFFIXES:
            self._open_list()
        else:
            try:
                self._open_csv()
            except BaseException:
                self.close()
                raise

    # ------------------------------------------------------------------------- YAML / JSON lists
    def _open_list(self) -> None:
        doc = load_document(self.path, "a list of requests (- diagnosis: ...)", kind=list, limit=MAX_ROSTER, flag="ROSTER: ")
        self._items = doc.data
        self.count = len(doc.data)
        names = list(dict.fromkeys(str(k) for item in doc.data if isinstance(item, dict) for k in item))
        columns, ignored, notices = read_columns(names)
        self._keys = dict(zip(names, columns, strict=True))
        self.ignored, self.notices = tuple(ignored), tuple(f"{self.name}: {n}" for n in notices)

    def _list_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        items, self._items = self._items or [], None  # handed out once; each item is let go as it goes
        for i, item in enumerate(items, 1):
            if not isinstance(item, dict):
                yield i, _error_row(f"expected a mapping of request fields, found {type(item).__name__}")
                continue
            fields: dict[str, Any] = {}
            problems: list[tuple[str, str]] = []
            bad: set[str] = set()
            for key, value in item.items():
                name = self._keys.get(str(key), "")
                if not name:
                    continue  # an ignored key: listed once in Roster.ignored
                if name in fields or name in bad:
                    problems.append((name, f"'{short(key)}' gives the field '{name}' a second time"))
                    continue
                if _too_long(value):
                    problems.append((name, f"{name}: the value is longer than {MAX_CELL:,} characters"))
                    bad.add(name)
                    if name == "patient_id" and isinstance(value, str):
                        fields[name] = short(value, 200)  # for the report; its problem is listed
                    continue
                fields[name] = value
            yield i, _problem_row(problems, fields) if problems else fields

    # ------------------------------------------------------------------------- CSV
    def _open_csv(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        except OSError as exc:
            raise InputError(f"ROSTER: {self.name}: cannot read the file: {exc.strerror}") from None
        self._fh = os.fdopen(fd, "rb")
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # swapped for something else since the check
            raise InputError(f"ROSTER: {self.name}: is not a regular file (a pipe, device or socket); give a saved file")
        self.count = self._check_utf8()
        self._fh.seek(0)
        text = io.TextIOWrapper(self._fh, encoding="utf-8-sig", newline="")
        first = text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        self._reader = csv.reader(chain([first], text), delimiter=delimiter)
        try:
            with _no_field_limit():
                header: list[str] = next(self._reader, [])
        except csv.Error as exc:
            raise InputError(f"ROSTER: {self.name}:1: the header line is not valid CSV ({exc})") from None
        self._check_header(header)

    def _check_utf8(self) -> int:
        """Check every line decodes as UTF-8 (without keeping any); the number of non-blank lines but the header.

        UTF-8 never uses the newline byte inside a character, so each line decodes on its own.
        """
        assert self._fh is not None
        offset, rows, size = 0, -1, 0
        for line_no, raw in enumerate(self._fh, 1):
            size += len(raw)
            if size > MAX_ROSTER:
                raise InputError(f"ROSTER: {self.name}: grew past {MAX_ROSTER:,} bytes while being read; give a saved file")
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"ROSTER: {self.name}:{line_no}: not UTF-8 text (byte {offset + exc.start + 1:,} of the file); "
                                 "save the roster as UTF-8 CSV. Nothing was written.") from None
            offset += len(raw)
            if raw.strip():
                rows += 1
        return max(rows, 0)

    def _check_header(self, header: list[str]) -> None:
        if not any(column(h) for h in header):
            raise InputError(f"ROSTER: {self.name}:1: the first line must name the columns (diagnosis, start, patient_id, ...)")
        columns, ignored, notices = read_columns(header)
        self.ignored, self.notices = tuple(ignored), tuple(f"{self.name}:1: {n}" for n in notices)
        seen: dict[str, int] = {}
        for i, col in enumerate(columns):
            if not col:
                continue
            if col in seen:
                j = seen[col]
                raise InputError(f"ROSTER: {self.name}:1: the column '{col}' is given twice: column {j + 1} "
                                 f"('{short(header[j].strip())}') and column {i + 1} ('{short(header[i].strip())}'); keep one")
            seen[col] = i
        if "diagnosis" not in seen:
            raise InputError(f"ROSTER: {self.name}:1: a 'diagnosis' column is required")
        self._columns, self._header = columns, [h.strip() for h in header]

    def _csv_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        reader, columns = self._reader, self._columns
        if reader is None:
            return
        self._reader = None  # handed out once
        while True:
            line = reader.line_num + 1  # where this record starts
            try:
                with _no_field_limit():
                    cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield line, _error_row(f"line {line} is not valid CSV ({exc})")
                continue
            except UnicodeDecodeError:  # the file was changed after it was checked
                raise InputError(f"ROSTER: {self.name}: not UTF-8 text after line {line - 1} "
                                 "(the file was changed while it was read)") from None
            if not any(c.strip() for c in cells):
                continue
            named = {col: cell.strip() for col, cell in zip(columns, cells, strict=False) if col}
            if len(cells) > len(columns):
                yield line, _error_row(f"{len(cells)} cells but only {len(columns)} columns; "
                                       "a cell with a comma or semicolon inside must be in double quotes", named)
                continue
            long = [i for i, col in enumerate(columns[: len(cells)]) if col and len(cells[i]) > MAX_CELL]
            if long:
                problems = [(columns[i], (f"column '{short(self._header[i])}' has {len(cells[i]):,} characters; "
                                          f"at most {MAX_CELL:,} are accepted in a cell")) for i in long]
                rest = {col: value for col, value in named.items() if value and col not in {columns[i] for i in long}}
                if "patient_id" not in rest and named.get("patient_id"):
                    rest["patient_id"] = short(named["patient_id"], 200)  # for the report; its problem is listed
                yield line, _problem_row(problems, rest)
                continue
            yield line, {col: value for col, value in named.items() if value}

    # ------------------------------------------------------------------------- both
    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        return self._list_rows() if self._fh is None else self._csv_rows()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()

    def __enter__(self) -> Roster:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _too_long(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) > MAX_CELL
    if isinstance(value, (list, tuple)):
        return sum(len(v) for v in value if isinstance(v, str)) > MAX_CELL
    return False


def open_roster(path: Path) -> Roster:
    """Open and check a roster (file kind, size, encoding, header); InputError if it cannot be used at all."""
    return Roster(Path(path))


def read_roster(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, fields) for each non-blank row; an unusable row has the key ERROR with the message."""
    with open_roster(path) as roster:
        yield from roster


def count_rows(path: Path) -> int | None:
    """How many rows (for a progress bar); None when the roster cannot be counted."""
    try:
        with open_roster(path) as roster:
            return roster.count
    except InputError:
        return None


def fingerprint(fields: Mapping[str, Any], options: Mapping[str, Any]) -> str:
    """A row's identity: its request fields and the render options, hashed (recorded in manifest.csv).

    `--skip-existing` leaves a row only when the file there was written for this very request.
    """
    def plain(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return ",".join(str(v) for v in value)
        return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)

    doc = {"fields": {k: plain(v) for k, v in fields.items() if not k.startswith("__")}, "options": dict(options)}
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
