"""The runner's words carry no citations, and say nothing another page contradicts.

One walk over every text a runner reads (the fields that can hold free text, worked out once per model
class) does each check: a citation here; a warning sign said later than its red flag (signs.py); a pain
score on an exercise, where a week page's own limit would contradict it.

A source is named in a document's `sources:` lists, and the handout prints every one of them on its
"Where this plan comes from" page; notes on the evidence go to `evidence_notes` (the clinician's section).
Inside an instruction, "(Goom 2016)" or "(S2)" means nothing to a runner, so `hamrehab validate` finds
them: a built-in document with one is a problem, a clinician's own document gets a notice (their folder
still loads, as it did before this check).
"""
from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from ..model import Reference
from .files import Collector, Entry

# Fields that are not the runner's words: the sources themselves, notes for the clinician, ids, drawings.
NOT_WORDS = frozenset({"id", "sources", "evidence_notes", "basis", "citation", "figure"})
_PARENS = re.compile(r"\(([^()]{1,120})\)")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+")
_YEAR = re.compile(r"(?:19|20)\d\d")  # a cheap first look: most texts hold no year, and then no paper is named


def _author_year(refs: Mapping[str, Reference]) -> re.Pattern[str] | None:
    """'Goom 2016', 'van Dyk et al. 2019', 'goom-2016': a cited paper's name and year, however written."""
    names = []
    for key in refs:
        found = re.fullmatch(r"([a-z][a-z-]*?)-((?:19|20)\d\d)", key)
        if found:
            name = r"[\s-]+".join(re.escape(part) for part in found.group(1).split("-"))
            names.append(rf"{name}[\s-]+(?:et\s+al\.?\s+)?{found.group(2)}")
    return re.compile(r"\b(?:" + "|".join(names) + r")\b", re.IGNORECASE) if names else None


def citation_in(text: str, refs: Mapping[str, Reference], author_year: re.Pattern[str] | None) -> str | None:
    """The first citation in a text: a paper's name and year anywhere, or a parenthesis of source keys ('(S2, S3)')."""
    if author_year is not None and _YEAR.search(text) and (hit := author_year.search(text)):
        return hit.group(0)
    if "(" not in text:
        return None
    for parens in _PARENS.finditer(text):
        parts = [p.strip() for p in parens.group(1).split(",")]
        if all(p in refs for p in parts):
            return parens.group(0)
    return None


_FIELDS: dict[type, tuple[str, ...]] = {}  # each model class's fields that may hold the runner's words


def _may_hold_words(annotation: Any, seen: frozenset[type] = frozenset()) -> bool:
    """Whether a field of this type can hold free text: a str, or a container or model that can. Vocabulary
    words (Literal), numbers and flags cannot, so the walk never visits them."""
    if annotation is str:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation not in seen and bool(_fields(annotation, seen | {annotation}))
    origin = typing.get_origin(annotation)
    if origin is typing.Literal or (origin is None and annotation in (int, float, bool, type(None))):
        return False
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _may_hold_words(args[0], seen)
    return any(_may_hold_words(a, seen) for a in args if a is not Ellipsis) if args else origin is None


def _fields(model: type[BaseModel], seen: frozenset[type] = frozenset()) -> tuple[str, ...]:
    """The model's fields that may hold the runner's words (worked out once per class)."""
    names = _FIELDS.get(model)
    if names is None:
        names = tuple(name for name, info in model.model_fields.items()
                      if name not in NOT_WORDS and _may_hold_words(info.annotation, seen | {model}))
        if not seen:
            _FIELDS[model] = names
    return names


def sentences(text: str) -> list[str]:
    """A text's sentences (and parts between semicolons), for checks that read one sentence at a time."""
    return _SENTENCE.split(text)


def texts_of(value: Any, path: tuple[object, ...]) -> Iterator[tuple[tuple[object, ...], str]]:
    """Every string of a validated document, with its path, leaving out the fields that are not the runner's words."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in _fields(type(value)):
            yield from texts_of(getattr(value, name), path + (name,))
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from texts_of(item, path + (i,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_of(item, path + (key,))


TextCheck = Callable[[tuple[object, ...], str], str | None]  # (path, text) -> what is wrong, or None
Gate = Callable[[str], bool]  # whether a document's words, all joined, may hold what its check looks for at all
_PAIN_SCORE = re.compile(r"\b(?:10|\d)(?:\s*-\s*(?:10|\d))?\s*(?:/|out of)\s*10\b", re.IGNORECASE)


def may_name_a_score(words: str) -> bool:
    return "10" in words  # every score is out of 10


def pain_score(path: tuple[object, ...], text: str) -> str | None:
    """An exercise's words name no pain score: the week page gives the phase's own limit, and a card's "stop above
    3 out of 10" beside a week page's "stop at 3" (a strain) or "carry on at 4" (a tendon) contradicts it."""
    hit = _PAIN_SCORE.search(text) if may_name_a_score(text) else None
    if hit is None:
        return None
    return (f"'{hit.group(0)}' is a pain score on an exercise, which every plan's week pages may contradict (each phase "
            f"has its own limit); say 'your week page's stop level', or 'the green of your pain traffic light'")


def check_plain_words(entries: Mapping[str, Entry] | list[Entry | None], refs: Mapping[str, Reference], out: Collector,
                      checks: Sequence[tuple[Gate, TextCheck]] = ()) -> None:
    """A citation in the runner's words, or what one of `checks` finds wrong in them (a warning sign said too late,
    signs.py; a pain score on an exercise): a problem in a built-in document, a notice in a clinician's own.
    One walk over the words does every check; a check whose gate finds nothing in a document's words, all
    joined, is not run on them one by one (most documents give no time to act and name no score)."""
    author_year = _author_year(refs)
    for entry in entries.values() if isinstance(entries, Mapping) else entries:
        if entry is None:
            continue
        texts = list(texts_of(entry.item, ()))
        words = "\n".join(text for _, text in texts) if checks else ""
        live = [check for gate, check in checks if gate(words)]
        for path, text in texts:
            cited = citation_in(text, refs, author_year)
            if cited is not None:
                report(entry, path, out, f"'{cited}' is a citation in the runner's words; name the source in `sources:` "
                                         f"(the handout lists every source) and keep the sentence plain")
                continue
            for check in live:
                message = check(path, text)
                if message is not None:
                    report(entry, path, out, message)
                    break


def report(entry: Entry, path: tuple[object, ...], out: Collector, message: str) -> None:
    """A problem in a built-in document; a notice, with its file and line, in a clinician's own (whose folder still
    loads, as it did before the check)."""
    if entry.builtin:
        out.add(entry.doc, path, message)
    else:
        field = ".".join(str(p) for p in path)
        out.notices.append(f"notice: {entry.doc.file}:{entry.doc.line_of(path)}: {field}: {message}")
