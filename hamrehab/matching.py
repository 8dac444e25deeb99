"""Reading words and dates as people write them: any case, spaces, hyphens or underscores, and clear typos.

- `match_word`: a value equal to an accepted word once case, spaces, hyphens and underscores are
  ignored is that word ("Hamstring Strain" -> hamstring-strain, "loop band" -> loop-band), silently:
  nothing is guessed. A near miss ("hamstring strian", "dumbell") is read as the accepted word only
  when that word is the only one close to it (difflib ratio >= CLOSE on the plain letters); the caller
  reports the correction as a notice. The word must reach a difflib ratio of CLOSE on the plain letters,
  and every other word must be at least MARGIN below it: two close words are never a guess (the error
  names both). "tendinopathy" (0.80 distal-, 0.75 proximal-tendinopathy) is refused; "proximal
  tendinopaty" (0.97 proximal-, 0.76 distal-) is read.
- `parse_date`: ISO dates (YYYY-MM-DD) by default, or a clinic's own strptime format; the message for
  a bad date names the format expected.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

from .exceptions import InputError

CLOSE = 0.8  # difflib ratio (on the plain letters) an accepted word must reach to be read for a near miss ...
MARGIN = 0.1  # ... with every other accepted word at least this much further away
NEAR = 0.7  # words this near are named in a "did you mean"
SAMPLE = dt.date(2026, 3, 2)  # day and month differ, so a format that swaps them is seen
ISO = "%Y-%m-%d"
_SEPARATORS = re.compile(r"[\s_\-]+")


def plain(text: str) -> str:
    """A word without case, spaces, hyphens or underscores: 'Loop Band' -> 'loopband'."""
    return _SEPARATORS.sub("", text.strip().lower())


@lru_cache(maxsize=64)
def _table(choices: tuple[str, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for word in choices:
        table.setdefault(plain(word), word)  # the first word wins if two ever read the same
    return table


def _scores(value: str, choices: Iterable[str]) -> list[tuple[float, str]]:
    """(ratio, word) for each accepted word near `value` (ratio >= NEAR on the plain letters), best first."""
    key = plain(value)
    if not key:
        return []
    import difflib  # only for a word that matched nothing exactly: most requests never need it

    table = _table(tuple(choices))
    scored = [(difflib.SequenceMatcher(None, key, k).ratio(), word) for k, word in table.items()]
    return [(ratio, word) for ratio, word in sorted(scored, key=lambda s: -s[0]) if ratio >= NEAR]


def close_words(value: str, choices: Iterable[str]) -> list[str]:
    """The accepted words close to `value`, closest first."""
    return [word for _, word in _scores(value, choices)]


def correction(value: str, choices: Iterable[str]) -> str | None:
    """The one accepted word a near miss stands for: it reaches CLOSE, every other word is MARGIN further."""
    scores = _scores(value, choices)
    if not scores or scores[0][0] < CLOSE:
        return None
    if len(scores) > 1 and scores[0][0] - scores[1][0] < MARGIN:
        return None
    return scores[0][1]


def match_word(value: object, choices: Iterable[str], correct: bool = True) -> tuple[object, str]:
    """(the accepted word, '') for an exact or plain match; (the word, the original) for a corrected
    near miss; (value unchanged, '') when nothing matches, or more than one word is close."""
    if not isinstance(value, str):
        return value, ""
    words = tuple(choices)
    if value in words:
        return value, ""
    found = _table(words).get(plain(value))
    if found is not None:
        return found, ""
    if correct:
        word = correction(value, words)
        if word is not None:
            return word, value
    return value, ""


def suggestion(value: object, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)', or ' (did you mean 'x' or 'y'?)' when two words are about as close; '' when none is."""
    words = tuple(choices)
    scores = _scores(str(value), words)
    if len(scores) >= 2 and scores[0][0] - scores[1][0] < MARGIN:
        return f" (did you mean '{scores[0][1]}' or '{scores[1][1]}'?)"
    import difflib

    match = [w for _, w in scores[:1]] or difflib.get_close_matches(str(value), list(words), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def slug(value: object) -> object:
    """A free id (a stage) in its written form: lower case, spaces and underscores as hyphens."""
    if not isinstance(value, str):
        return value
    return re.sub(r"[\s_]+", "-", value.strip().lower())


# ---------------------------------------------------------------------------------- dates
_SHOWN = {"%Y": "YYYY", "%y": "YY", "%m": "MM", "%d": "DD", "%b": "Mon", "%B": "Month", "%j": "DDD", "%%": "%"}


def format_shown(date_format: str | None) -> str:
    """A strptime format as people read it: '%d/%m/%Y' -> 'DD/MM/YYYY'."""
    return re.sub(r"%.", lambda m: _SHOWN.get(m.group(0), m.group(0)), date_format or ISO)


def check_date_format(date_format: object, what: str = "--date-format") -> str | None:
    """The format itself, checked: it must write and read back a whole date (day, month and year)."""
    if date_format is None:
        return None
    if not isinstance(date_format, str) or not date_format.strip():
        raise InputError(f"{what}: expected a date format such as %d/%m/%Y, got {date_format!r}")
    try:
        back = dt.datetime.strptime(SAMPLE.strftime(date_format), date_format).date()
    except (ValueError, TypeError):
        back = None
    if back != SAMPLE or "%H" in date_format or "%M" in date_format:
        raise InputError(f"{what}: '{date_format}' does not read a whole date (day, month and year); "
                         "e.g. %d/%m/%Y for 02/03/2026 or %m/%d/%Y for 03/02/2026")
    return date_format


def parse_date(text: str, date_format: str | None = None) -> dt.date:
    """A date in the given strptime format (ISO when None); ValueError when it is not one."""
    if date_format is None or date_format == ISO:
        return dt.date.fromisoformat(text)
    return dt.datetime.strptime(text, date_format).date()


def date_problem(text: str, date_format: str | None, roster: bool) -> str:
    """Why `text` is not a date, naming the format expected (and, in a roster, --date-format)."""
    shown = format_shown(date_format)
    example = SAMPLE.strftime(date_format or ISO)
    hint = ("; use --date-format if your roster writes dates another way" if roster and date_format is None
            else f" (as set by --date-format '{date_format}')" if date_format is not None else "")
    return f"is not a date in the format {shown}, e.g. {example}{hint}"
