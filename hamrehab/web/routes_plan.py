"""New plan and Follow-up: the form, its live preview (an HTML fragment for htmx), and the downloads.

Each request rebuilds everything from the posted form: the fields, the clinician's changes (hidden
fields), and any uploaded file (last plan's JSON, a logo) saved to a private folder that is deleted
before the response leaves. The library does every check: `make_request` (the same fields and words
as the CLI), `load_clinic`, `build_plan`, the renderers.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..clinic import Clinic, load_clinic
from ..exceptions import HamrehabError, InputError
from ..model import PlanRequest
from ..plan import Plan
from ..planner import build
from ..render import render
from ..request import RequestProblems, make_request
from .app import WebApp, web
from .forms import (
    CLINIC_FIELDS,
    FOLLOW_UP_FORM,
    FORMATS,
    HANDOUT_FIELDS,
    Posted,
    all_labels,
    clinic_document,
    defaults,
    equipment_choices,
    labels,
    page_fields,
    print_options,
    read_plan_form,
    runner_fields,
)
from .tailoring import (
    Tailoring,
    apply_action,
    changeable,
    dose_controls,
    first_prescriptions,
    swap_options,
)
from .uploads import MAX_JSON, MAX_LOGO, FieldError, Scratch, is_upload, safe_name

FOLLOW_UP_FIELDS = ("follow_up", "checkpoint", "week_reached", "pain", "start", "weeks")
CLINIC_KEY = re.compile(r"clinic\.yaml:\d+: (\w+)")
CLINIC_PREFIX = re.compile(r"^clinic\.yaml:\d+: ")


@dataclass
class Outcome:
    """Everything a page or fragment shows after one post: values, errors where they belong, the plan."""

    values: dict[str, Any]
    tailoring: Tailoring = field(default_factory=Tailoring)
    errors: dict[str, str] = field(default_factory=dict)  # form field → message
    card_errors: dict[str, list[str]] = field(default_factory=dict)  # exercise id → messages
    change_errors: list[str] = field(default_factory=list)
    request: PlanRequest | None = None
    plan: Plan | None = None
    done: str = ""  # what the preview button did, for the status line
    focus: str = ""  # where keyboard focus goes after the preview is replaced
    status: int = 200
    data: bytes | None = None
    options: dict[str, Any] = field(default_factory=dict)
    stage_for: str = ""  # the diagnosis whose stages the page's stage list shows

    def fail(self, key: str, message: str, status: int = 400) -> None:
        self.errors.setdefault(key, message)
        self.status = max(self.status, status)


def _place(exc: InputError, scratch: Scratch | None, out: Outcome, shown: tuple[str, ...], names: Mapping[str, str]) -> None:
    """Put each problem of a library error beside its own field (without the field's label, which the field and the
    list at the top already show), or in the list of changes (each with its Undo button)."""
    for problem in exc.problems if isinstance(exc, RequestProblems) else (exc,):
        message = scratch.clean(str(problem)) if scratch else str(problem)
        where = problem.field
        if message.startswith(("--without ", "--swap ", "--dose ", "--add ")) or where in ("without", "swap", "dose", "add"):
            out.change_errors.extend(message.splitlines())
            out.status = max(out.status, 400)
        elif where in shown:  # named by its label, or by its flag where the planner (not the form's reader) refused it
            for named in (f"{names.get(where, where)}: ", f"--{where.replace('_', '-')}: "):
                message = message.removeprefix(named)
            out.fail(where, message)
        else:
            out.fail("form", message)


def _attempt(w: WebApp, data: dict[str, Any]) -> tuple[PlanRequest, Plan]:
    request = make_request(data, today=w.settings.today(), labels=labels(w.catalogue))
    return request, build(request, w.catalogue)


async def _clinic(w: WebApp, form: FormData, values: dict[str, Any], scratch: Scratch, out: Outcome) -> Clinic | None:
    """The clinic block from the form, read by `load_clinic` like a clinic.yaml (its logo decoded in full)."""
    logo, logo_name = form.get("clinic_logo"), None
    if is_upload(logo):
        logo_name = safe_name(logo.filename, "logo.png", (".png", ".jpg", ".jpeg"))  # type: ignore[union-attr]
        try:
            await scratch.save(logo, "clinic_logo", logo_name, MAX_LOGO)
        except FieldError as exc:
            out.fail(exc.field, exc.message, exc.status)
            return None
    doc = clinic_document(values, logo_name)
    if doc is None:
        return None
    path = scratch.path / "clinic.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        return load_clinic(path)
    except InputError as exc:
        message = scratch.clean(str(exc)).removeprefix("--clinic: ")
        key = CLINIC_KEY.search(message)
        name = f"clinic_{key.group(1)}" if key and f"clinic_{key.group(1)}" in {f.name for f in CLINIC_FIELDS} | {"clinic_logo"} else "clinic_name"
        out.fail(name, CLINIC_PREFIX.sub("", message))
        return None


async def _follow_up(form: FormData, data: dict[str, Any], scratch: Scratch, out: Outcome) -> bool:
    """Last plan's JSON saved for `make_request(follow_up=path)`; today's checkpoint and week reached."""
    upload = form.get("follow_up")
    for name in ("checkpoint", "week_reached"):
        raw = form.get(name)
        out.values[name] = raw.strip() if isinstance(raw, str) else ""
        if out.values[name]:
            data[name] = out.values[name]
    if not is_upload(upload):
        out.fail("follow_up", "choose last time's plan: the .json file saved with it (Download JSON)")
        return False
    name = safe_name(upload.filename, "last-plan.json", (".json",))  # type: ignore[union-attr]
    try:
        data["follow_up"] = str(await scratch.save(upload, "follow_up", name, MAX_JSON))
    except FieldError as exc:
        out.fail(exc.field, exc.message, exc.status)
        return False
    out.values["follow_up_name"] = name
    return True


async def evaluate(w: WebApp, form: FormData | None, kind: str, fmt: str | None = None) -> Outcome:
    """Read the form, build the plan (and the download), and say where any problem is."""
    today = w.settings.today()
    if form is None:  # the page as first opened: safe defaults
        posted = Posted(values=defaults(today), request={"diagnosis": "hamstring-strain"} if kind == "plan" else {})
        tailoring, action = Tailoring(), ""
    else:
        posted = read_plan_form(form, form.getlist)
        if not form.get("equipment_shown"):  # from triage, or the first post: unshown fields keep their defaults
            posted.values = {**defaults(today), **{k: v for k, v in posted.values.items() if v not in ("", [], None, False)}}
        tailoring = Tailoring.from_form(form.getlist) if kind == "plan" else Tailoring()
        raw_action = form.get("action")
        action = raw_action if isinstance(raw_action, str) and kind == "plan" else ""
    out = Outcome(values=posted.values, tailoring=tailoring)
    if form is not None and isinstance(form.get("stage_for"), str):
        out.stage_for = str(form.get("stage_for"))
    options, problems = print_options(posted.values)
    out.options = options
    for key, message in problems.items():
        out.fail(key, message)
    shown = tuple(f.name for _, group in runner_fields(w.catalogue) for f in group) + ("equipment", "red_flags")
    if kind == "follow-up":
        shown = FOLLOW_UP_FIELDS
    with Scratch(w.root) as scratch:
        data = dict(posted.request)
        if kind == "follow-up":
            data = {k: v for k, v in data.items() if k in FOLLOW_UP_FIELDS}
            if form is None or not await _follow_up(form, data, scratch, out):
                if form is None:
                    out.errors.clear()
                return out
        clinic = await _clinic(w, form, posted.values, scratch, out) if form is not None else None
        try:
            out.request, out.plan = _attempt(w, {**data, **tailoring.fields()})
        except InputError as exc:
            _place(exc, scratch, out, shown, labels(w.catalogue))
            return out
        if action:
            _act(w, action, form, data, out)
        if fmt is not None and not out.errors and not out.card_errors and not out.change_errors:
            try:
                out.data = render(out.plan, fmt, clinic=clinic, **options)
            except HamrehabError as exc:
                out.fail("form", scratch.clean(str(exc)))
    return out


def _act(w: WebApp, action: str, form: FormData | None, data: dict[str, Any], out: Outcome) -> None:
    """One preview button: the changed plan, or the library's refusal shown on that exercise's card."""
    try:
        tailoring, target, focus, done = apply_action(action, form or {}, out.tailoring, w.catalogue)
    except InputError as exc:
        out.change_errors.append(str(exc))
        out.status = 400
        return
    try:
        out.request, out.plan = _attempt(w, {**data, **tailoring.fields()})
    except InputError as exc:
        if target:
            out.card_errors.setdefault(target, []).append(str(exc))  # focus stays on the pressed button
            out.status = 400
        else:
            _place(exc, None, out, (), {})
        return  # the plan stays as it was before the button
    out.tailoring, out.done, out.focus = tailoring, done, focus


def _context(w: WebApp, out: Outcome, kind: str) -> dict[str, Any]:
    plan = out.plan
    diagnosis = str(out.values.get("diagnosis") or "") if kind == "plan" else (plan.diagnosis if plan else "")
    phases = w.catalogue.protocols[diagnosis].phases if diagnosis in w.catalogue.protocols else ()
    editable = kind == "plan" and plan is not None and plan.referral is None
    return {
        "kind": kind, "values": out.values, "errors": out.errors, "card_errors": out.card_errors,
        "change_errors": out.change_errors, "plan": plan, "tailoring": out.tailoring, "done": out.done, "focus": out.focus,
        "fieldsets": runner_fields(w.catalogue), "equipment": equipment_choices(), "handout_fields": HANDOUT_FIELDS,
        "clinic_fields": CLINIC_FIELDS, "stages": [(ph.id, ph.name) for ph in phases], "editable": editable,
        "swaps": swap_options(out.request, plan, w.catalogue) if plan is not None and editable and out.request else {},
        "doses": dose_controls(plan, w.catalogue) if plan is not None and editable else {},
        "changeable": set(changeable(plan)) if plan is not None and editable else set(),
        "exercises": w.catalogue.exercises, "today": w.settings.today().isoformat(),
        "firsts": first_prescriptions(plan) if plan is not None else {}, "labels": all_labels(w.catalogue),
        "field_names": page_fields(w.catalogue, kind), "fu": FOLLOW_UP_FORM, "stage_changed": kind == "plan" and out.stage_for != diagnosis,
    }


def _base(kind: str) -> str:
    return "/plan" if kind == "plan" else "/follow-up"


async def _page(request: Request, kind: str) -> Response:
    w = web(request)
    form = await w.form(request) if request.method == "POST" else None
    out = await evaluate(w, form, kind)
    template = "plan.html" if kind == "plan" else "follow_up.html"
    return w.page(request, template, status=out.status, base=_base(kind), **_context(w, out, kind))


async def _preview(request: Request, kind: str) -> Response:
    w = web(request)
    out = await evaluate(w, await w.form(request), kind)
    return w.page(request, "preview_response.html", status=out.status, base=_base(kind), **_context(w, out, kind))


async def _download(request: Request, kind: str) -> Response:
    w = web(request)
    fmt = request.path_params["fmt"]
    if fmt not in FORMATS:
        return w.page(request, "error.html", status=404, status_code=404, message="There is no such download.")
    out = await evaluate(w, await w.form(request), kind, fmt)
    if out.data is None or out.plan is None:
        out.errors.setdefault("form", "The plan could not be made: see the messages beside the fields.")
        template = "plan.html" if kind == "plan" else "follow_up.html"
        return w.page(request, template, status=max(out.status, 400), base=_base(kind), **_context(w, out, kind))
    media, suffix = FORMATS[fmt]
    stem = "referral" if out.plan.referral is not None else "plan"
    name = f"{stem}-{out.plan.diagnosis}-{out.plan.request.start.isoformat()}{'-follow-up' if kind != 'plan' else ''}{suffix}"
    return Response(out.data, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})


async def new_plan(request: Request) -> Response:
    return await _page(request, "plan")


async def plan_preview(request: Request) -> Response:
    return await _preview(request, "plan")


async def plan_download(request: Request) -> Response:
    return await _download(request, "plan")


async def follow_up_page(request: Request) -> Response:
    return await _page(request, "follow-up")


async def follow_up_preview(request: Request) -> Response:
    return await _preview(request, "follow-up")


async def follow_up_download(request: Request) -> Response:
    return await _download(request, "follow-up")


ROUTES = [
    Route("/plan", new_plan, methods=["GET", "POST"]),
    Route("/plan/preview", plan_preview, methods=["POST"]),
    Route("/plan/download/{fmt}", plan_download, methods=["POST"]),
    Route("/follow-up", follow_up_page, methods=["GET", "POST"]),
    Route("/follow-up/preview", follow_up_preview, methods=["POST"]),
    Route("/follow-up/download/{fmt}", follow_up_download, methods=["POST"]),
]
