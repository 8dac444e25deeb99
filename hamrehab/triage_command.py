"""The `triage` command: the questions on the terminal, one at a time, then the assessment (and, with --plan, the plan).

Apart from cli.py so that module keeps to parsing the plan commands; it imports the triage package only
when the command runs, so other commands never load it.
"""
from __future__ import annotations

from pathlib import Path

import click


def _ask(question, width: int) -> object:
    """One triage question on the terminal (standard error, so standard output stays clean for --format json),
    wrapped on word boundaries to the terminal's width. Returns the answer, None for "don't know", or BACK."""
    from .triage import parse_answer, wrap

    def say(lines: list[str]) -> None:
        for line in lines:
            click.echo(line, err=True)

    click.echo("", err=True)
    if question.how_to:
        say(wrap(question.how_to, width, "  ", "How to test: "))
    skip = ", Enter to skip" if question.skippable else ""
    if question.kind == "choice":
        say(wrap(question.text, width))
        for i, choice in enumerate(question.choices, 1):
            say(wrap(choice.label, width, "     ", f"  {i}. "))
        lines = wrap(f"Your answer [1-{len(question.choices)}{skip} or ?]", width)
    else:
        suffix = {"yes-no": " [y/n/?]", "number": f" [{question.low}-{question.high} or ?]",
                  "duration": " [e.g. 3 days, 2 weeks, 2 months, or ?]", "text": " [Enter to skip]"}[question.kind]
        lines = wrap(question.text + suffix, width - 1)  # room for the typed answer's first character
    say(lines[:-1])

    def convert(raw: str) -> object:
        try:
            return parse_answer(question, raw)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return click.prompt(lines[-1], value_proc=convert, prompt_suffix=" ", err=True,
                        default="" if question.skippable else None, show_default=False)


@click.command("triage")
@click.option("--answers", "answers_file", type=click.Path(path_type=Path), help="A YAML file of answers instead of the questions.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--plan", "make_plan", is_flag=True, help="Build the suggested plan (or the referral handout) straight away.")
@click.option("-o", "--output", help="With --plan: where to write it (default plan.pdf; the format follows the extension).")
def triage(answers_file: Path | None, fmt: str, make_plan: bool, output: str | None) -> None:
    """Questions about your pain, then the likely causes, warning signs and the plan command (not a diagnosis)."""
    import datetime as dt

    from . import triage as tri
    from .cli import _format_for, _load
    from .output import write_atomic
    from .planner import build
    from .render import render
    from .request import make_request

    if output and not make_plan:
        raise click.UsageError("-o needs --plan")
    catalogue = _load(())
    width = tri.terminal_width()
    if answers_file is not None:
        answers = tri.load_answers(answers_file, catalogue.triage)
    else:
        for line in tri.wrap("A few questions about the pain at the back of your thigh. Type ? if you do not know, "
                             "or back to change your last answer. This is not a diagnosis.", width):
            click.echo(line, err=True)
        given: dict[str, object] = {}
        asked: list[str] = []  # in the order asked, so `back` can step back through them
        while (question := tri.next_question(given, asked, catalogue)) is not None:
            value = _ask(question, width)
            if value is tri.BACK:
                if not asked:
                    click.echo("This is the first question; there is nothing to go back to.", err=True)
                    continue
                previous = asked.pop()
                given.pop(previous, None)
                continue
            asked.append(question.key)
            if value is not None:
                given[question.key] = value
        if note := tri.stop_note(given, asked, catalogue):
            click.echo("", err=True)
            for line in tri.wrap(note, width):
                click.echo(line, err=True)
        click.echo("", err=True)
        answers = tri.Answers(given, rules=catalogue.triage)
    result = tri.assess(answers, catalogue, output)
    click.echo(tri.as_json(result) if fmt == "json" else tri.as_text(result, width), nl=False)
    if make_plan:
        request = make_request(result.request, today=dt.date.today(), flags=True)
        data = render(build(request, catalogue), _format_for(None, result.output))
        write_atomic(Path(result.output), data)
        what = "the referral handout (no exercises: see a professional first)" if result.referral else "the plan"
        click.echo(f"wrote {what} to {result.output}", err=True)
