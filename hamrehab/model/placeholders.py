"""The placeholders of the handout's wording: which `{name}`s each text may use, checked as it is validated.

A text in rules/handout.yaml may leave out a number, but every `{placeholder}` it uses must be one its renderer
fills: each field declares the ones it accepts (`Holes`), and validation names the field and lists them; the
JSON Schema lists them too. Also the pain thresholds as those placeholders fill them in.
"""

import string
from typing import Annotated, Any

from pydantic import BaseModel, Field, GetCoreSchemaHandler, GetJsonSchemaHandler, Strict, StringConstraints, ValidationInfo
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from ..validation import did_you_mean
from .base import Line, Name, Sentence, SourceKey
from .rules import PainThresholds

TextKey = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Where = tuple[object, ...]

PAIN = ("green_max", "amber_min", "amber_max", "first_phase_at", "refer_at", "refer_same_day_at")  # every pain threshold, filled in


def pain_values(pain: PainThresholds) -> dict[str, int]:
    """The pain thresholds as the PAIN placeholders fill them in (amber_min: the first score above green)."""
    return {"green_max": pain.green_max, "amber_min": pain.green_max + 1, "amber_max": pain.amber_max,
            "first_phase_at": pain.first_phase_at, "refer_at": pain.refer_at, "refer_same_day_at": pain.refer_same_day_at}


def placeholder_problem(text: str, key: str, accepted: tuple[str, ...]) -> str | None:
    """Why `text` cannot be filled in as the field `key` is, or None: only `{name}` of an accepted name."""
    if not accepted:
        return f"'{key}' takes no placeholders: leave out {{ and }}" if "{" in text or "}" in text else None
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return f"'{key}' has an unmatched {{ or }}; write {{{{ or }}}} for a brace itself"
    shown = ", ".join(f"{{{p}}}" for p in accepted)
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            return f"'{written}' in '{key}': write a placeholder as {{name}} alone, without ! or :; accepted: {shown}"
        if name not in accepted:
            hint = did_you_mean(f"{{{name}}}", [f"{{{p}}}" for p in accepted])
            return f"'{{{name}}}' is not a placeholder '{key}' can use{hint}; accepted: {shown}"
    return None


class Holes:
    """Marks a text's accepted `{placeholders}` (in an `Annotated[...]`): validation checks the text uses
    no other, naming the field and what it accepts; the JSON Schema lists them under "placeholders"."""

    __slots__ = ("names",)

    def __init__(self, *names: str) -> None:
        self.names = names

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        accepted = self.names

        def check(value: str, info: ValidationInfo) -> str:
            problem = placeholder_problem(value, info.field_name or "this text", accepted)
            if problem:
                raise PydanticCustomError("rule", "{message}", {"message": problem})
            return value

        return core_schema.with_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        shown = handler(schema)
        shown["placeholders"] = list(self.names)
        return shown


# The bounded texts of model/base.py, with no placeholders (no braces at all); a field that takes some
# is written Annotated[Sentence, Holes("name", ...)].
Word = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=12), Holes()]
Heading = Annotated[Name, Holes()]
Label = Annotated[Line, Holes()]
Words = Annotated[Sentence, Holes()]
Bullets = Annotated[tuple[Words, ...], Field(min_length=1, max_length=12)]
PainText = Annotated[Sentence, Holes(*PAIN)]
Sources = Annotated[dict[TextKey, Annotated[tuple[SourceKey, ...], Field(min_length=1)]], Field(
    min_length=1, description="The references a text rests on, by the text's key (where a text states a clinical fact).")]


def placeholders_of(model: type[BaseModel], name: str) -> tuple[str, ...]:
    """The placeholders a field accepts (also of a list field's items); () when none or not a text."""
    stack: list[Any] = [model.model_fields[name]]
    while stack:
        item = stack.pop()
        if isinstance(item, Holes):
            return item.names
        if isinstance(item, FieldInfo):
            stack.append(item.annotation)
            stack.extend(item.metadata)
        else:
            stack.extend(getattr(item, "__metadata__", ()) or ())
            stack.extend(a for a in getattr(item, "__args__", ()) or () if a is not Ellipsis)
    return ()
