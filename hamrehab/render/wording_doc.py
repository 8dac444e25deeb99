"""docs/handout-wording.md, generated from rules/handout.yaml so a clinician reviews exactly what the
handouts say. Regenerate with:

    python3 -m hamrehab.render.wording_doc > docs/handout-wording.md

tests/test_handout_wording.py fails when the file and the data drift apart.
"""
from __future__ import annotations

import inspect
import sys
from collections.abc import Mapping

from pydantic import BaseModel

from ..model import HandoutWording, Reference, placeholders_of
from ..model.handout import Cited
from ..model.placeholders import PAIN

INTRO = """\
# The handout's wording

<!-- Generated from rules/handout.yaml by `python3 -m hamrehab.render.wording_doc > docs/handout-wording.md`.
     Edit the YAML, not this file: a test fails when they differ. -->

Every fixed sentence the handouts tell the runner (everything that is not a protocol's or an exercise's
own words) lives in `rules/handout.yaml`: the traffic light, "how to use this plan", the referral
handout, the urgency titles, the week pages, the text and calendar outputs, and the planner's notes.
The full, compact and summary PDFs, `--format text` and `--format ics` all read it, and so does the
planner, through the catalogue. `hamrehab validate` checks it (every problem with its file and line):

- every key below is required, and no other key is accepted;
- a text may use only the `{placeholders}` listed beside it, which the program fills in; it may leave
  one out, but never add another (write `{{` or `}}` for a brace itself; a text with no placeholders
  takes no braces at all);
- `sources:` in a group maps a text's key to the references it rests on, each of which must be in
  `exercises/references.yaml`. A sentence without sources states no clinical fact of its own, or
  repeats one whose source is given where its number is set (`rules/planning.yaml`).

"Pain thresholds" below stands for the placeholders of every threshold of `rules/planning.yaml` (`pain`):
`{green_max}`, `{amber_max}`, `{first_phase_at}`, `{refer_at}`, `{refer_same_day_at}`, and `{amber_min}`,
the first score above green.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _key(model: type[BaseModel], name: str) -> str:
    """A field as it is written in the YAML file (its alias, if it has one)."""
    return model.model_fields[name].alias or name


def _group(name: str, part: BaseModel, refs: Mapping[str, Reference]) -> list[str]:
    model = type(part)
    doc = inspect.cleandoc(model.__doc__ or "")
    described = HandoutWording.model_fields[name].description
    lines = [f"## `{name}`", "", described or doc, ""]
    if described and doc:
        lines += [doc, ""]
    sources = part.sources if isinstance(part, Cited) else {}
    lines += ["| Key | Placeholders | Wording | Sources |", "|---|---|---|---|"]
    for field in model.model_fields:
        if field == "sources":
            continue
        value = getattr(part, field)
        shown = "<br>".join(f"{i}. {_cell(v)}" for i, v in enumerate(value, 1)) if isinstance(value, tuple) else _cell(value)
        accepted = placeholders_of(model, field)
        pain = set(PAIN) <= set(accepted)
        holes = ", ".join((["pain thresholds"] if pain else []) + [f"`{{{p}}}`" for p in accepted if not pain or p not in PAIN])
        cited = ", ".join(sources.get(field, ()))
        lines.append(f"| `{_key(model, field)}` | {holes} | {shown} | {cited} |")
    return lines + [""]


def render(wording: HandoutWording | None = None, refs: Mapping[str, Reference] | None = None) -> str:
    """docs/handout-wording.md as text (the built-in files when no arguments)."""
    if wording is None or refs is None:
        from ..catalogue import load_catalogue

        catalogue = load_catalogue()
        wording = wording or catalogue.wording
        refs = refs if refs is not None else catalogue.references
    lines = [INTRO]
    cited: dict[str, None] = {}
    for name in HandoutWording.model_fields:
        part = getattr(wording, name)
        lines += _group(name, part, refs)
        if isinstance(part, Cited):
            cited.update(dict.fromkeys(k for keys in part.sources.values() for k in keys))
    lines += ["## Sources cited", ""]
    for key in cited:
        lines.append(f"- **{key}**: {_cell(refs[key].citation) if key in refs else '(not in references.yaml)'}")
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(render())
