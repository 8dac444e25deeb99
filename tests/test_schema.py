import json
from pathlib import Path

import pytest

from hamrehab.cli import main
from hamrehab.schema import SCHEMAS, schema_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_schema_command_prints_json_schema(runner, kind):
    result = runner.invoke(main, ["schema", kind])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["type"] == "object" and schema["additionalProperties"] is False


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_shipped_schema_files_are_current(kind):
    """schema/*.json is what editors use: it must match the models (regenerate with `hamrehab schema`)."""
    assert (ROOT / "schema" / f"{kind}.json").read_text(encoding="utf-8") == schema_text(kind)


def test_exercise_schema_does_not_require_id_but_lists_fixed_words(runner):
    schema = json.loads(runner.invoke(main, ["schema", "exercise"]).output)
    assert "id" not in schema["required"]
    assert {"name", "steps", "dosage", "figure", "sources"} <= set(schema["required"])
    assert "dumbbell" in json.dumps(schema["properties"]["equipment"])


def test_unknown_schema_kind_is_exit_2(runner):
    result = runner.invoke(main, ["schema", "exercises"])
    assert result.exit_code == 2 and "exercise" in result.output
