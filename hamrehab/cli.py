"""The `hamrehab` command: parse flags, call the library, map its errors to a message and an exit code.

Exit codes: 0 done; 1 some batch rows failed; 2 bad input (the message names the
file, line, field or flag and what is accepted). No logic lives here.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import catalogue as cat
from . import listing, schema
from .exceptions import HamrehabError, ValidationFailed
from .validation import did_you_mean
from .vocab import CATEGORIES, DIAGNOSES, EQUIPMENT, PHASE_TAGS

EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise click.exceptions.Exit(EXIT_BAD_INPUT)


class _Group(click.Group):
    """Turns the project's own errors into one-line messages and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            files = len({p.file for p in exc.problems})
            _fail("\n".join(f"error: {p}" for p in exc.problems) + f"\n{len(exc.problems)} problem(s) in {files} file(s)")
        except HamrehabError as exc:
            _fail(f"error: {exc}")


def _equipment_list(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    items = tuple(v.strip() for v in value.split(",") if v.strip())
    for item in items:
        if item not in EQUIPMENT:
            raise click.BadParameter(f"'{item}' is not known equipment{did_you_mean(item, EQUIPMENT)}; accepted: {', '.join(EQUIPMENT)}")
    return items


catalogue_option = click.option(
    "--catalogue", "catalogues", multiple=True, type=click.Path(path_type=Path),
    help="A folder of your own exercise YAML files; adds to or replaces built-ins by id. Repeatable.")


def _load(catalogues: tuple[Path, ...], protocols: tuple[Path, ...] = ()) -> cat.Catalogue:
    catalogue = cat.load_catalogue(catalogues, protocols)
    for notice in catalogue.notices:
        click.echo(notice, err=True)
    return catalogue


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hamrehab")
def main() -> None:
    """hamrehab: printable, phased rehab plans for runners with pain at the back of the thigh."""


@main.group(cls=_Group, invoke_without_command=True)
@catalogue_option
@click.option("--category", type=click.Choice(CATEGORIES), help="Only this kind of exercise.")
@click.option("--equipment", callback=_equipment_list, help="Comma list of what you have; shows exercises needing nothing more.")
@click.option("--safe-for", type=click.Choice(DIAGNOSES), help="Only exercises usable for this diagnosis.")
@click.option("--phase", type=click.Choice(PHASE_TAGS), help="With --safe-for: usable in this phase kind.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def exercises(ctx: click.Context, catalogues: tuple[Path, ...], category: str | None, equipment: tuple[str, ...],
              safe_for: str | None, phase: str | None, fmt: str) -> None:
    """List the exercise catalogue (or `exercises show ID` for one in full)."""
    ctx.obj = catalogues
    if ctx.invoked_subcommand is not None:
        return
    if phase and not safe_for:
        raise click.UsageError("--phase needs --safe-for DIAGNOSIS")
    chosen = listing.select(_load(catalogues), category, equipment, safe_for, phase)
    click.echo(listing.as_json(chosen) if fmt == "json" else listing.table(chosen), nl=False)


@exercises.command("show")
@click.argument("exercise_id")
@click.pass_obj
def exercises_show(catalogues: tuple[Path, ...], exercise_id: str) -> None:
    """Show one exercise in full: steps, cues, mistakes, dose, cautions, sources."""
    catalogue = _load(catalogues)
    click.echo(listing.detail(catalogue.exercise(exercise_id), catalogue), nl=False)


@main.command()
@catalogue_option
@click.option("--protocols", "protocol_dirs", multiple=True, type=click.Path(path_type=Path),
              help="A folder of your own protocol YAML files. Repeatable.")
def validate(catalogues: tuple[Path, ...], protocol_dirs: tuple[Path, ...]) -> None:
    """Check the built-in and your own exercises and protocols; list every problem, exit 2 if any."""
    catalogue = _load(catalogues, protocol_dirs)
    click.echo(f"ok: {len(catalogue.exercises)} exercises, {len(catalogue.protocols)} protocols, "
               f"{len(catalogue.references)} sources")


@main.command("schema")
@click.argument("kind", type=click.Choice(sorted(schema.SCHEMAS)))
def schema_cmd(kind: str) -> None:
    """Print the JSON Schema of an exercise, protocol or request file."""
    click.echo(schema.schema_text(kind), nl=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
