"""The `hamrehab` command: parse flags, call the library, map its errors to a message and an exit code.

Exit codes: 0 done; 1 some batch rows failed; 2 bad input (the message names the
file, line, field or flag and what is accepted). No logic lives here.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import ClassVar

import click

# hamrehab uses no pydantic plugins: skip pydantic's search of every installed package's entry points
# for one (about 25 ms of each command's start-up). A plugin a user sets up on purpose still runs if they
# set PYDANTIC_DISABLE_PLUGINS themselves.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from . import catalogue as cat
from . import listing, schema
from .exceptions import HamrehabError, ValidationFailed
from .output import write_atomic, write_stdout
from .render import EXTENSIONS, FORMATS, render
from .validation import did_you_mean
from .vocab import CATEGORIES, DIAGNOSES, EQUIPMENT, PHASE_TAGS

EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise click.exceptions.Exit(EXIT_BAD_INPUT)


class _Group(click.Group):
    """Turns the project's own errors and click's usage errors into one-line messages and exit 2."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            click.echo(f"error: {exc.format_message()}{hint}", err=True)
            rv = EXIT_BAD_INPUT
        except click.ClickException as exc:
            click.echo(f"error: {exc.format_message()}", err=True)
            rv = exc.exit_code
        except click.Abort:
            click.echo("Stopped.", err=True)
            rv = 1
        except BrokenPipeError:
            # Standard output was closed early (e.g. `| head`): stop quietly, and keep Python's exit
            # flush from raising again on the dead pipe.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            rv = 1
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            files = len({p.file for p in exc.problems})
            _fail("\n".join(f"error: {p}" for p in exc.problems) + f"\n{len(exc.problems)} problem(s) in {files} file(s)")
        except HamrehabError as exc:  # several problems (e.g. of one request file): one 'error:' line each
            _fail("\n".join(f"error: {line}" for line in (str(exc).splitlines() or [""])))


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


class _Main(_Group):
    """The top-level group: `triage` and `serve` are imported only when asked for (or listed by --help),
    so `plan`, `exercises` and `validate` never pay for the questionnaire's or the web app's modules."""

    LAZY: ClassVar[dict[str, tuple[str, str]]] = {"triage": ("hamrehab.triage_command", "triage"), "serve": ("hamrehab.web.cli", "serve")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.LAZY:
            from importlib import import_module

            module, name = self.LAZY[cmd_name]
            command: click.Command = getattr(import_module(module), name)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
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


REQUEST_OPTIONS = (
    ("diagnosis", click.option("--diagnosis", help="One of: " + ", ".join(DIAGNOSES) + ".")),
    ("grade", click.option("--grade", type=click.IntRange(1, 3), help="Strain grade 1-3 (hamstring-strain only).")),
    ("stage", click.option("--stage", help="Start at this phase id (see `hamrehab protocols show ID`).")),
    ("days_since_onset", click.option("--days-since-onset", type=click.IntRange(0, 3650), help="Days since the pain began; picks the stage.")),
    ("side", click.option("--side", type=click.Choice(["left", "right", "both"]), help="Injured side.")),
    ("weeks", click.option("--weeks", type=click.IntRange(1, 52), help="Plan length in weeks (1-52); default: the protocol's timeline.")),
    ("start", click.option("--start", help="First day of the plan, YYYY-MM-DD (default: today).")),
    ("name", click.option("--name", help="Patient's name, printed on the plan.")),
    ("patient_id", click.option("--patient-id", help="Patient or record id.")),
    ("equipment", click.option("--equipment", help="Comma list of equipment at hand, e.g. chair,band,dumbbell.")),
    ("days_per_week", click.option("--days-per-week", type=click.IntRange(1, 7), help="Training days a week (1-7).")),
    ("pain", click.option("--pain", type=click.IntRange(0, 10), help="Pain now, 0-10.")),
    ("red_flags", click.option("--red-flag", "red_flags", multiple=True, help="A red-flag id (repeatable); any gives a referral instead of a plan.")),
    ("weak_glute_side", click.option("--weak-glute-side", type=click.Choice(["left", "right"]),
                                     help="Side of the weaker glutes: extra glute work there.")),
    ("runner_km_per_week", click.option("--runner-km-per-week", type=click.FloatRange(0, 300), help="Weekly running before the injury, km.")),
    ("clinician_cleared", click.option("--clinician-cleared", is_flag=True, default=None,
                                       help="A clinician has examined the runner and cleared this plan: needed for a grade-3 strain, "
                                            "and for a --stage later than the days since onset allow.")),
    ("notes", click.option("--notes", help="Your own notes for the runner, printed on the plan.")),
    ("follow_up", click.option("--follow-up", metavar="FILE", help="Last time's plan (its .json): the next block continues from it.")),
    ("checkpoint", click.option("--checkpoint", type=click.Choice(["passed", "not-yet"]), help="With --follow-up: today's checkpoint result.")),
    ("week_reached", click.option("--week-reached", type=click.IntRange(1, 52),
                                  help="With --follow-up: the week of the last plan the runner reached (default: the one the start date falls in, "
                                       "or its last once it is over).")),
    ("without", click.option("--without", multiple=True, metavar="ID", help="Leave this exercise out (repeatable).")),
    ("add", click.option("--add", multiple=True, metavar="ID[:PHASE]", help="Add an exercise, to one phase or to all (repeatable).")),
    ("swap", click.option("--swap", multiple=True, metavar="OLD=NEW", help="Use NEW wherever OLD would be (repeatable).")),
    ("dose", click.option("--dose", multiple=True, metavar="ID=DOSE",
                          help="Starting dose, e.g. chair-bridge=3x10, isometric-heel-press=1x5x45s, walking=20min, @N days a week (repeatable).")),
)


def request_options(func):
    """Attach every request flag; their names match the request file's fields."""
    for _, option in reversed(REQUEST_OPTIONS):
        func = option(func)
    return func


def _request_from(flags: dict, request_file: Path | None, today):
    from .request import make_request, read_request_file, request_file_labels  # (plan only: other commands start faster)

    data = read_request_file(request_file) if request_file else {}
    labels = request_file_labels(request_file, data) if request_file else {}
    for field, _ in REQUEST_OPTIONS:
        value = flags.get(field)
        if value is None or value == ():
            continue
        data[field] = value
        labels.pop(field, None)  # a flag overrides the file: its errors name the flag
    return make_request(data, today=today, flags=True, labels=labels)


def _format_for(fmt: str | None, output: str | None) -> str:
    """--format wins; else the -o extension; else PDF to a file, text to standard output."""
    if fmt:
        return fmt
    if output and output != "-":
        return EXTENSIONS.get(Path(output).suffix.lower(), "pdf")
    return "text" if output == "-" else "pdf"


@main.command()
@request_options
@click.option("--request", "request_file", type=click.Path(path_type=Path), help="A request.yaml with the same fields; flags override it.")
@catalogue_option
@click.option("--protocols", "protocol_dirs", multiple=True, type=click.Path(path_type=Path), help="A folder of your own protocols.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), help="Output format (default: from the -o extension).")
@click.option("--page-size", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="PDF paper size.")
@click.option("--large-print", is_flag=True, help="PDF body text of 14 pt or more, for low vision.")
@click.option("--handout", type=click.Choice(["full", "compact", "summary"]), default="full", show_default=True,
              help="PDF length: full (a page a week), compact (a page a phase), summary (two pages).")
@click.option("--clinic", "clinic_file", type=click.Path(path_type=Path),
              help="A clinic.yaml with name, clinician, address, phone, email, website, logo.")
@click.option("-o", "--output",
              help="Where to write; '-' for standard output (default: output/plan-<diagnosis>.pdf, or standard output for text and json).")
def plan(request_file: Path | None, catalogues: tuple[Path, ...], protocol_dirs: tuple[Path, ...], fmt: str | None, output: str | None,
         page_size: str, large_print: bool, handout: str, clinic_file: Path | None, **flags) -> None:
    """Build a phased rehab plan for one runner (PDF by default)."""
    import datetime as dt

    from .clinic import load_clinic
    from .planner import build
    from .render.warnings import Warnings

    request = _request_from(flags, request_file, dt.date.today())
    clinic = load_clinic(clinic_file) if clinic_file else None
    catalogue = _load(catalogues, protocol_dirs)
    fmt = fmt or _format_for(None, output)
    if output is None and fmt == "pdf":
        Path("output").mkdir(exist_ok=True)
        output = str(Path("output") / f"plan-{request.diagnosis}-{request.start.isoformat()}.pdf")
    warnings = Warnings()
    plan = build(request, catalogue)
    data = render(plan, fmt, page_size=page_size, large_print=large_print, clinic=clinic, warnings=warnings, handout=handout)
    for message in warnings.messages:
        click.echo(f"warning: {message}", err=True)
    for notice in plan.clinician_notices:  # the clinician's, never the runner's: on the terminal, and their section
        click.echo(f"notice: {notice}", err=True)
    if output is None or output == "-":
        write_stdout(data)
    else:
        write_atomic(Path(output), data)
        click.echo(f"wrote {output}", err=True)


@main.group(cls=_Group, invoke_without_command=True)
@click.option("--protocols", "protocol_dirs", multiple=True, type=click.Path(path_type=Path), help="A folder of your own protocols.")
@click.pass_context
def protocols(ctx: click.Context, protocol_dirs: tuple[Path, ...]) -> None:
    """List the protocols (or `protocols show ID` for one in full)."""
    ctx.obj = protocol_dirs
    if ctx.invoked_subcommand is None:
        click.echo(listing.protocol_table(_load((), protocol_dirs)), nl=False)


@protocols.command("show")
@click.argument("diagnosis")
@click.pass_obj
def protocols_show(protocol_dirs: tuple[Path, ...], diagnosis: str) -> None:
    """Show one protocol: phases, weeks, exercises, running, pain rules, checkpoints."""
    catalogue = _load((), protocol_dirs)
    click.echo(listing.protocol_detail(catalogue.protocol(diagnosis), catalogue), nl=False)


@main.command()
@click.argument("roster", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Folder for the plans, manifest.csv and errors.csv.")
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: the number of CPUs).")
@click.option("--clinic", "clinic_file", type=click.Path(path_type=Path), help="A clinic.yaml for every plan's cover.")
@click.option("--format", "formats", default="pdf", show_default=True, help="Comma list of formats: pdf, json, text, ics.")
@click.option("--skip-existing", is_flag=True, help="Leave rows whose files are already in --out.")
@click.option("--page-size", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option("--large-print", is_flag=True)
@click.option("--handout", type=click.Choice(["full", "compact", "summary"]), default="full", show_default=True)
@click.option("--date-format", help="How the roster writes dates, e.g. '%d/%m/%Y' for 02/03/2026 (default: YYYY-MM-DD).")
@catalogue_option
@click.option("--protocols", "protocol_dirs", multiple=True, type=click.Path(path_type=Path), help="A folder of your own protocols.")
def batch(roster: Path, out_dir: Path, jobs: int | None, clinic_file: Path | None, formats: str, skip_existing: bool,
          page_size: str, large_print: bool, handout: str, date_format: str | None, catalogues: tuple[Path, ...],
          protocol_dirs: tuple[Path, ...]) -> None:
    """Plans for every row of a roster (CSV, or a YAML/JSON list); exit 1 if any row failed.

    Columns hamrehab does not use are ignored (one warning); values are read in any case, with spaces
    or hyphens; a clear typo is read as the one word close to it and listed in notices.csv.
    """
    import datetime as dt

    from .batch import generate_batch
    from .clinic import load_clinic

    clinic = load_clinic(clinic_file) if clinic_file else None
    progress = _progress_bar() if sys.stderr.isatty() else None
    summary = generate_batch(roster, out_dir, formats=[f.strip() for f in formats.split(",") if f.strip()], jobs=jobs,
                             clinic=clinic, skip_existing=skip_existing, catalogues=catalogues, protocols=protocol_dirs,
                             page_size=page_size, large_print=large_print, handout=handout, today=dt.date.today(), progress=progress,
                             date_format=date_format, notify=lambda message: click.echo(f"warning: {message}", err=True))
    if progress:
        click.echo("", err=True)
    click.echo(summary.line)
    if summary.failed:
        click.echo(f"see {out_dir / 'errors.csv'} for the rows that failed (one line per problem)", err=True)
    if summary.notices:
        click.echo(f"see {out_dir / 'notices.csv'} for values read as something else, columns ignored and checkpoint boxes "
                   "the changes affect", err=True)
    if summary.interrupted:
        by = "a stop signal (SIGTERM)" if summary.stopped_by == "SIGTERM" else "Ctrl-C"
        click.echo(f"stopped by {by}: the files listed in manifest.csv are complete; no partial files were left", err=True)
        raise click.exceptions.Exit(143 if summary.stopped_by == "SIGTERM" else 130)
    if summary.failed:
        raise click.exceptions.Exit(1)


def _progress_bar():
    """A one-line progress bar on the terminal's standard error."""
    def show(done: int, total: int | None) -> None:
        if total:
            filled = int(30 * min(done, total) / total)
            click.echo(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", err=True, nl=False)
        else:
            click.echo(f"\r{done} rows", err=True, nl=False)
    return show


@main.command("schema")
@click.argument("kind", type=click.Choice(sorted(schema.SCHEMAS)))
def schema_cmd(kind: str) -> None:
    """Print the JSON Schema of an exercise, protocol or request file."""
    click.echo(schema.schema_text(kind), nl=False)



if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
