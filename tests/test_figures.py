"""Every exercise's drawing: inside its box, props touching the body, supports on the floor, renders to PDF;
start and end that differ (or a hold that shows its push); each prop, view and cue drawn where it belongs."""
from __future__ import annotations

import io
import itertools
import math
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pikepdf
import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Group, Polygon, PolyLine, String, mmult, transformPoint

from hamrehab.catalogue.files import REFERENCES_FILE
from hamrehab.model import Figure
from hamrehab.pose import HIP_HALF, raw_points
from hamrehab.render.figures import figure_drawing, figure_layout
from hamrehab.render.figures.props import PROPS
from hamrehab.render.figures.style import ARROW_INK, HEAT_LINE, ICE_LINE, INK
from hamrehab.vocab import PropKind

from .pdftext import page_texts

ROOT = Path(__file__).resolve().parent.parent

SIZES = [(230, 110), (300, 140)]          # card size and large print
# Every shipped exercise by id, from the file names (an exercise's id is its file's name, checked by
# `hamrehab validate`), so collecting the tests needs no catalogue; the catalogue is the session fixture.
IDS = sorted(p.stem for p in (ROOT / "exercises").glob("*.yaml") if p.name != REFERENCES_FILE)
HAND_OR_FOOT = (".hand", ".heel", ".toe")


@pytest.fixture
def exercise(exercise_id, catalogue):
    return catalogue.exercises[exercise_id]


def _exercises(catalogue):
    return sorted(catalogue.exercises.values(), key=lambda e: e.id)


def test_every_shipped_exercise_is_drawn_here(catalogue):
    assert sorted(catalogue.exercises) == IDS


def _shape_boxes(node, tf=(1, 0, 0, 1, 0, 0)):
    """(shape, box) of every leaf shape, its stroke's half width included, in drawing coordinates."""
    for child in node.contents:
        if isinstance(child, Group):
            yield from _shape_boxes(child, mmult(tf, child.transform))
            continue
        x0, y0, x1, y1 = child.getBounds()
        if getattr(child, "strokeColor", None) is not None:
            half = (getattr(child, "strokeWidth", 0) or 0) / 2
            x0, y0, x1, y1 = x0 - half, y0 - half, x1 + half, y1 + half
        corners = [transformPoint(tf, c) for c in ((x0, y0), (x0, y1), (x1, y0), (x1, y1))]
        yield child, (min(c[0] for c in corners), min(c[1] for c in corners), max(c[0] for c in corners), max(c[1] for c in corners))


def _seg_dist(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    n2 = dx * dx + dy * dy
    t = 0.0 if n2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / n2))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def _inside(p, poly):
    inside = False
    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]):
        if (y0 > p[1]) != (y1 > p[1]) and p[0] < x0 + (p[1] - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _distance(p, outline):
    """Distance from p to one outline piece, worked out here rather than trusting the module's own."""
    if outline.kind == "circle":
        (cx, cy), = outline.pts
        d = math.hypot(p[0] - cx, p[1] - cy)
        return 0.0 if outline.solid and d <= outline.r else abs(d - outline.r)
    pts = list(outline.pts)
    if outline.kind == "poly":
        if outline.solid and _inside(p, pts):
            return 0.0
        pts.append(pts[0])
    return min(_seg_dist(p, a, b) for a, b in itertools.pairwise(pts))


def _touch_tolerance(layout):
    # The body point is the middle of a limb drawn limb_width thick: its edge meets the prop half a
    # width away. One more point of slack for the prop's own outline stroke.
    return layout.limb_width / 2 + 1.0


def _check_inside_box(drawing, width, height, what):
    eps = 1e-6
    for shape, (x0, y0, x1, y1) in _shape_boxes(drawing):
        assert x0 >= -eps and y0 >= -eps and x1 <= width + eps and y1 <= height + eps, (
            f"{what}: {type(shape).__name__} reaches {x0:.2f},{y0:.2f} to {x1:.2f},{y1:.2f}, outside {width} x {height}")
    bx0, by0, bx1, by1 = drawing.getBounds()
    assert bx0 >= -eps and by0 >= -eps and bx1 <= width + eps and by1 <= height + eps, what


def _check_touching(figure, width, height, what, kinds_seen=None):
    layout = figure_layout(figure, width, height)
    tol = _touch_tolerance(layout)
    for i, pose in enumerate(layout.poses):
        for prop in pose.props:
            if kinds_seen is not None:
                kinds_seen.add(prop.kind)
            if prop.at is None or not prop.at.endswith(HAND_OR_FOOT):
                continue
            assert prop.outline, f"{what} pose {i}: {prop.kind} at {prop.at} has no outline"
            gap = min(_distance(prop.body_point, o) for o in prop.outline)
            assert gap <= tol, f"{what} pose {i}: {prop.at} is {gap:.2f} pt from the {prop.kind} (tolerance {tol:.2f})"
    return layout


def _check_floor(layout, what):
    for i, pose in enumerate(layout.poses):
        for name, (_x, y) in pose.points.items():
            assert y >= pose.floor_y - 1e-6, f"{what} pose {i}: {name} is below the floor"
        for prop in pose.props:
            if prop.supports:
                bottom = prop.bounds[1]
                assert abs(bottom - pose.floor_y) <= 1.5, (   # a leg's stroke may reach into the floor line
                    f"{what} pose {i}: the {prop.kind} stands at {bottom:.2f}, the floor is at {pose.floor_y:.2f}")


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("exercise_id", IDS)
def test_drawing_stays_inside_its_box(exercise, width, height):
    _check_inside_box(figure_drawing(exercise.figure, width, height), width, height, exercise.id)


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("exercise_id", IDS)
def test_hands_and_feet_touch_their_props(exercise, width, height):
    _check_touching(exercise.figure, width, height, exercise.id)


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("exercise_id", IDS)
def test_supports_stand_on_the_floor_and_nothing_sinks_through_it(exercise, width, height):
    _check_floor(figure_layout(exercise.figure, width, height), exercise.id)


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("exercise_id", IDS)
def test_drawing_renders_to_pdf(exercise, width, height):
    """The PDF paints what the drawing holds: a page of the drawing's size, every shape in order in its own
    stroke and fill, the pose labels as text in order, a solid head per pose, the blue arrow only where
    something moves or pushes."""
    _check_pdf(figure_drawing(exercise.figure, width, height), figure_layout(exercise.figure, width, height), width, height)


def _check_pdf(drawing, layout, width, height):
    box, ops = _pdf_operators(renderPDF.drawToString(drawing))
    assert box == [0, 0, width, height]
    shapes = [s for s, _ in _shape_boxes(drawing) if not isinstance(s, String)]
    painted = _painted(ops)
    assert painted == [(_rgb(getattr(s, "strokeColor", None)), _rgb(getattr(s, "fillColor", None))) for s in shapes]
    assert [args[0] for op, args in ops if op == "Tj"] == [line for pose in layout.poses for line in pose.label]
    assert painted.count((None, _rgb(INK))) == len(layout.poses), "one solid head in each picture"
    moves = layout.arrow is not None or any(pose.cues for pose in layout.poses)
    assert any(_rgb(ARROW_INK) in paint for paint in painted) == moves


PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}   # the PDF operators that paint a path


def _rgb(colour):
    return None if colour is None else tuple(round(v, 3) for v in colour.rgb())


def _pdf_operators(pdf: bytes):
    """The page's size and its content stream as (operator, operands), strings and numbers made plain."""
    def plain(operand):
        if isinstance(operand, pikepdf.String):
            return str(operand)
        try:
            return float(operand)
        except (TypeError, ValueError):
            return repr(operand)

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        box = [float(v) for v in page.MediaBox]
        return box, [(str(op), [plain(a) for a in operands]) for operands, op in pikepdf.parse_content_stream(page)]


def _painted(ops):
    """(stroke colour, fill colour) of each painted path in order, None for the part not painted."""
    stroke = fill = (0.0, 0.0, 0.0)
    saved, out = [], []
    for op, args in ops:
        if op == "q":
            saved.append((stroke, fill))
        elif op == "Q":
            stroke, fill = saved.pop()
        elif op == "RG":
            stroke = tuple(round(a, 3) for a in args)
        elif op == "rg":
            fill = tuple(round(a, 3) for a in args)
        elif op in PAINT:
            out.append((stroke if op[0] in "SsBb" else None, fill if op[0] in "fFBb" else None))
    return out


@pytest.mark.parametrize("exercise_id", IDS)
def test_both_poses_share_one_scale_and_the_arrow_runs_start_to_end(exercise):
    figure = exercise.figure
    layout = figure_layout(figure, 230, 110)
    # the thigh hangs from the hip, or from its own hip joint in a front view
    thighs = [math.dist(p.points.get("near.hip", p.points["hip"]), p.points["near.knee"]) for p in layout.poses]
    assert max(thighs) - min(thighs) < 1e-6, "a segment must be drawn the same length in both pictures"
    if layout.arrow is None:
        return
    end = layout.poses[-1]
    assert math.dist(layout.arrow[-1], end.points[figure.arrow]) < 1e-6
    x0, y0, x1, y1 = end.cell
    for x, y in layout.arrow:
        assert x0 <= x <= x1 and y0 <= y <= y1, "the arrow is drawn in the end picture"
    drawing = figure_drawing(figure, 230, 110)
    assert any(isinstance(s, Polygon) and s.fillColor is not None and len(s.points) == 6 for s in drawing.contents), "the arrow has a head"


def test_moving_exercises_get_an_arrow_and_still_ones_do_not(catalogue):
    by_id = catalogue.exercises
    assert figure_layout(by_id["nordic-curl"].figure, 230, 110).arrow is not None
    assert figure_layout(by_id["glute-bridge"].figure, 230, 110).arrow is not None
    assert figure_layout(by_id["isometric-heel-press"].figure, 230, 110).arrow is None


@pytest.mark.parametrize("width,height", SIZES)
def test_the_larger_pose_fills_its_half(width, height, catalogue):
    for exercise in _exercises(catalogue):
        layout = figure_layout(exercise.figure, width, height)
        drawing = figure_drawing(exercise.figure, width, height)
        boxes = [b for s, b in _shape_boxes(drawing) if not hasattr(s, "text")]
        fill = 0.0
        for pose in layout.poses:
            cx0, _, cx1, _ = pose.cell
            inside = [b for b in boxes if b[0] >= cx0 - 1e-6 and b[2] <= cx1 + 1e-6 and b[3] > pose.floor_y + 1]
            wide = (max(b[2] for b in inside) - min(b[0] for b in inside)) / (width / 2)
            tall = (max(b[3] for b in inside) - pose.floor_y) / (height - pose.floor_y)
            fill = max(fill, wide, tall)
        # a lone pose (a care item) is kept to about a pair's size, so it may fill a little less
        assert fill >= (0.9 if len(layout.poses) == 2 else 0.6), f"{exercise.id}: the larger pose fills only {fill:.0%}"


def test_a_prop_under_the_lowest_point_lifts_the_body():
    # Standing on a step: the feet are the lowest point, so the step must go under them.
    figure = Figure.model_validate({
        "start": {"trunk": 90, "near": {"thigh": 270, "shank": 270, "foot": 0, "upper_arm": 270, "forearm": 270},
                  "props": [{"kind": "floor"}, {"kind": "step", "at": "near.heel"}]},
        "end": {"trunk": 90, "near": {"thigh": 270, "shank": 270, "foot": 0, "upper_arm": 270, "forearm": 270},
                "props": [{"kind": "floor"}, {"kind": "ball", "at": "near.heel"}]},
    })
    layout = _check_touching(figure, 230, 110, "step/ball")
    _check_floor(layout, "step/ball")
    for pose in layout.poses:
        prop, = pose.props
        assert pose.points["near.heel"][1] - pose.floor_y > 1.5 * layout.limb_width, f"nothing lifts the body onto the {prop.kind}"


LIMB = {"thigh": 270, "shank": 270, "foot": 0, "upper_arm": 300, "forearm": 330}
EVERY_PROP = [
    ("chair", "hip", {"trunk": 90, "near": {**LIMB, "thigh": 0}}),
    ("bench", "shoulder", {"trunk": 180, "head": 160, "near": {**LIMB, "thigh": 0, "shank": 270}}),
    ("step", "near.toe", {"trunk": 90, "near": LIMB}),
    ("ball", "near.heel", {"trunk": 196, "head": 180, "near": {**LIMB, "thigh": 16, "shank": 16, "foot": 106}}),
    ("roller", "near.knee", {"trunk": 143, "near": {**LIMB, "thigh": 0, "shank": 355, "upper_arm": 255, "forearm": 265}}),
    ("wall", "near.hand", {"trunk": 90, "near": {**LIMB, "upper_arm": 0, "forearm": 0}}),
    ("dumbbell", "near.hand", {"trunk": 90, "near": {**LIMB, "upper_arm": 270, "forearm": 270}}),
    ("kettlebell", "near.hand", {"trunk": 90, "near": {**LIMB, "upper_arm": 270, "forearm": 270}}),
    ("barbell", "near.hand", {"trunk": 60, "near": {**LIMB, "upper_arm": 270, "forearm": 270}}),
    ("band", "near.toe", {"trunk": 90, "near": LIMB}),
    ("loop-band", "near.heel", {"trunk": 90, "near": LIMB, "far": {**LIMB, "thigh": 255}}),
    ("loop-band", "near.hand", {"trunk": 90, "near": LIMB}),
    ("bike", "hip", {"trunk": 80, "near": {"thigh": 15, "shank": 280, "foot": 0, "upper_arm": 330, "forearm": 345},
                     "far": {"thigh": 295, "shank": 275, "foot": 345, "upper_arm": 330, "forearm": 345}}),
    ("water", "shoulder", {"trunk": 90, "near": LIMB}),
    ("towel", "far.toe", {"trunk": 90, "near": LIMB, "far": {**LIMB, "thigh": 250}}),
    ("pack", "near.hand", {"trunk": 85, "near": {**LIMB, "thigh": 50, "shank": 298, "upper_arm": 263, "forearm": 307}}),
    ("wrap", "near.hand", {"trunk": 72, "near": {**LIMB, "thigh": 0, "upper_arm": 282, "forearm": 300}}),
    ("partner", "near.heel", {"trunk": 90, "near": {**LIMB, "shank": 180, "foot": 180}}),
    ("partner", "far.toe", {"trunk": 180, "near": {**LIMB, "thigh": 0, "shank": 90}}),
    ("bed", "near.heel", {"trunk": 90, "near": {**LIMB, "shank": 180, "foot": 180}}),
    ("elliptical", "near.heel", {"trunk": 88, "near": {**LIMB, "thigh": 292, "shank": 268, "upper_arm": 305, "forearm": 5},
                                 "far": {**LIMB, "thigh": 252, "shank": 258, "foot": 345, "upper_arm": 285, "forearm": 10}}),
    ("ice-pack", "near.hand", {"trunk": 85, "near": {**LIMB, "thigh": 50, "shank": 298, "upper_arm": 263, "forearm": 307}}),
    ("heat-pack", "near.hand", {"trunk": 85, "near": {**LIMB, "thigh": 50, "shank": 298, "upper_arm": 263, "forearm": 307}}),
]


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("kind,at,pose", EVERY_PROP, ids=[f"{k}-{a}" for k, a, _ in EVERY_PROP])
def test_every_prop_kind_is_drawn_touching_and_inside(kind, at, pose, width, height):
    props = [{"kind": "floor"}, {"kind": kind, "at": at}]
    if kind == "band":   # a band held in the hand, round the foot
        props.append({"kind": "band", "at": "near.hand"})
    figure = Figure.model_validate({"start": {**pose, "props": props}, "end": {**pose, "props": props}})
    what = f"{kind} at {at}"
    seen: set = set()
    layout = _check_touching(figure, width, height, what, seen)
    assert kind in seen, f"no {kind} was placed"
    _check_floor(layout, what)
    drawing = figure_drawing(figure, width, height)
    _check_inside_box(drawing, width, height, what)
    _check_pdf(drawing, figure_layout(figure, width, height), width, height)


def test_the_same_figure_draws_the_same_way_every_time(catalogue):
    figure = catalogue.exercises["stability-ball-curl"].figure
    assert figure_layout(figure, 230, 110) == figure_layout(figure, 230, 110)


# ------------------------------------------------------------------ start and end
VISIBLY_MOVED = 0.5    # head-heights: the smallest move of a body point a runner can see between the pictures


def _pose_gap(figure, a, b):
    """How far the body moves from pose a to pose b: the largest shift of a body point (hip-relative,
    head-heights), plus any change of height off the floor."""
    pa, pb = raw_points(a, figure.view), raw_points(b, figure.view)
    return max(math.dist(pa[k], pb[k]) for k in pa) + abs(a.air - b.air)


def _cue_is_drawn(drawing, cue):
    """The cue's arrow head, a filled polygon in the arrow's colour with its tip at the layout's tip."""
    for shape in drawing.contents:
        if isinstance(shape, Polygon) and shape.fillColor == ARROW_INK and len(shape.points) == 6:
            if math.dist(shape.points[:2], cue.tip) < 1e-6:
                return True
    return False


@pytest.mark.parametrize("exercise_id", IDS)
def test_start_and_end_differ_or_the_hold_shows_its_push(exercise):
    figure = exercise.figure
    if figure.end is None:
        assert exercise.category == "care", f"{exercise.id}: only care items are drawn as one still picture"
        return
    if _pose_gap(figure, figure.start, figure.end) >= VISIBLY_MOVED:
        return
    layout = figure_layout(figure, 230, 110)
    cues = layout.poses[-1].cues
    assert cues, (f"{exercise.id}: start and end look the same; move the body at least {VISIBLY_MOVED} head-heights "
                  "or give the end pose a cue (e.g. a press) that shows the hold")
    drawing = figure_drawing(figure, 230, 110)
    assert all(_cue_is_drawn(drawing, c) for c in cues), f"{exercise.id}: a cue is laid out but not drawn"


def test_the_warm_up_drills_are_drawn_differently(catalogue):
    """Marching, skipping and high knees: no picture of one looks like a picture of another."""
    drills = [catalogue.exercises[i].figure for i in ("marching-drill", "skipping-drill", "high-knees")]
    for i, a in enumerate(drills):
        for b in drills[i + 1:]:
            for pa in (a.start, a.end):
                for pb in (b.start, b.end):
                    assert _pose_gap(a, pa, pb) >= VISIBLY_MOVED, f"{pa.label!r} looks like {pb.label!r}"
    skip = figure_layout(catalogue.exercises["skipping-drill"].figure, 230, 110).poses[0]
    low = min(y for _, y in skip.points.values())
    assert low - skip.floor_y > 4.0, "the skip's first picture is in the air, clear of the floor"


def test_bridge_walk_outs_keep_the_hips_clearly_up(catalogue):
    for exercise_id in ("bridge-walk-out", "bridge-walk-out-leg-raise"):
        layout = figure_layout(catalogue.exercises[exercise_id].figure, 230, 110)
        for pose in layout.poses:
            up = (pose.points["hip"][1] - pose.points["shoulder"][1]) / layout.scale
            assert up > 0.9, f"{exercise_id}: the hips are only {up:.2f} head-heights above the shoulders"


# ------------------------------------------------------------------ the prop table
def test_every_prop_word_has_a_builder():
    assert set(get_args(PropKind)) - {"floor"} == set(PROPS)


def test_the_bed_sits_over_the_heels(catalogue):
    for exercise_id in ("nordic-curl-bed", "nordic-curl-bed-assisted"):
        layout = figure_layout(catalogue.exercises[exercise_id].figure, 230, 110)
        for pose in layout.poses:
            bed, = [p for p in pose.props if p.kind == "bed"]
            hx, hy = pose.points["near.heel"]
            (x0, y0), (x1, y1) = bed.outline[0].pts       # the frame's underside
            assert y0 == y1 and min(x0, x1) < hx < max(x0, x1), "the frame runs over the heel"
            assert y0 > hy, "the bed is above the heel, not under it"
            assert y0 - hy <= _touch_tolerance(layout), "the heel is hooked against the frame"
            assert bed.bounds[3] > pose.points["near.knee"][1] + 2 * layout.limb_width, "the bed stands taller than the shin"
            assert not any(p.kind == "bench" for p in pose.props)


def test_the_elliptical_lifts_the_feet_onto_its_pedals(catalogue):
    layout = figure_layout(catalogue.exercises["elliptical"].figure, 230, 110)
    for pose in layout.poses:
        machine, = [p for p in pose.props if p.kind == "elliptical"]
        assert machine.supports and abs(machine.bounds[1] - pose.floor_y) < 1.5
        for side in ("near", "far"):
            assert pose.points[f"{side}.heel"][1] - pose.floor_y > 0.5 * layout.scale, "feet on pedals, off the floor"
            assert min(o.distance(pose.points[f"{side}.hand"]) for o in machine.outline) <= _touch_tolerance(layout)


@pytest.mark.parametrize("exercise_id,colour", [("ice-pack", ICE_LINE), ("heat-pack", HEAT_LINE)])
def test_ice_and_heat_packs_are_drawn_as_what_they_are(exercise_id, colour, catalogue):
    figure = catalogue.exercises[exercise_id].figure
    layout = figure_layout(figure, 230, 110)
    pack, = [p for p in layout.poses[0].props if p.kind == exercise_id]
    assert len(pack.outline[0].pts) > 4, "a rounded pack, not a box"
    assert pack.gap <= _touch_tolerance(layout)
    drawing = figure_drawing(figure, 230, 110)
    coloured = [s for s in drawing.contents if getattr(s, "strokeColor", None) == colour]
    assert len(coloured) >= 6, "the pack's symbol (snowflake or ribs and warmth) is drawn"
    # the lone picture repeats the pack magnified in a ring beside the body
    body_right = max(x for x, _ in layout.poses[0].points.values())
    rings = [s for s in drawing.contents if isinstance(s, Circle) and s.cx - s.r > body_right]
    assert rings and max(r.r for r in rings) > 3 * layout.limb_width


# ------------------------------------------------------------------ views
STAND = {"trunk": 90, "near": {"thigh": 280, "shank": 272, "foot": 0, "upper_arm": 285, "forearm": 290},
         "far": {"thigh": 260, "shank": 268, "foot": 180, "upper_arm": 255, "forearm": 250}, "props": [{"kind": "floor"}]}


def test_a_front_view_hangs_each_leg_from_its_own_hip_and_spreads_them_sideways():
    side = figure_layout(Figure.model_validate({"start": STAND, "end": STAND}), 230, 110)
    front = figure_layout(Figure.model_validate({"view": "front", "start": STAND, "end": STAND}), 230, 110)
    assert "near.hip" not in side.poses[0].points
    pts = front.poses[0].points
    assert pts["far.heel"][0] < pts["far.hip"][0] < pts["hip"][0] < pts["near.hip"][0] < pts["near.heel"][0]
    assert abs(pts["near.hip"][1] - pts["far.hip"][1]) < 1e-6, "standing: the hips side by side"
    assert math.dist(pts["near.hip"], pts["far.hip"]) == pytest.approx(2 * HIP_HALF * front.scale)
    assert pts["near.shoulder"][0] > pts["shoulder"][0] > pts["far.shoulder"][0]
    drawing = figure_drawing(Figure.model_validate({"view": "front", "start": STAND, "end": STAND}), 230, 110)
    bars = [s for s in drawing.contents if isinstance(s, PolyLine) and len(s.points) == 4
            and math.dist(s.points[:2], pts["far.hip"]) < 1e-6 and math.dist(s.points[2:], pts["near.hip"]) < 1e-6]
    assert bars, "the pelvis is drawn across, hip joint to hip joint"


@pytest.mark.parametrize("exercise_id", ["side-step-grapevine", "loop-band-side-walk"])
def test_sideways_steps_are_drawn_from_the_front_with_the_legs_apart(exercise_id, catalogue):
    figure = catalogue.exercises[exercise_id].figure
    assert figure.view == "front"
    layout = figure_layout(figure, 230, 110)
    p = layout.poses[0].points
    assert p["near.heel"][0] - p["far.heel"][0] > 1.0 * layout.scale, "the feet start apart sideways"


def test_the_grapevine_crosses_and_the_side_walk_steps_wide(catalogue):
    vine = figure_layout(catalogue.exercises["side-step-grapevine"].figure, 230, 110).poses
    assert vine[0].points["near.heel"][0] > vine[0].points["far.heel"][0]
    assert vine[1].points["near.heel"][0] < vine[1].points["far.heel"][0], "the trailing foot has crossed over"
    walk = figure_layout(catalogue.exercises["loop-band-side-walk"].figure, 230, 110).poses
    spread = [p.points["near.heel"][0] - p.points["far.heel"][0] for p in walk]
    assert spread[1] > spread[0] + 5, "the step goes wide"


@pytest.mark.parametrize("exercise_id", ["side-bridge", "loop-band-clamshell"])
def test_lying_on_the_side_stacks_the_hips(exercise_id, catalogue):
    figure = catalogue.exercises[exercise_id].figure
    assert figure.view == "front"
    for pose in figure_layout(figure, 230, 110).poses:
        top, bottom = pose.points["near.hip"], pose.points["far.hip"]
        assert top[1] - bottom[1] > abs(top[0] - bottom[0]), "one hip above the other: on the side"


def test_the_clamshell_opens_at_the_knees_with_the_feet_together(catalogue):
    layout = figure_layout(catalogue.exercises["loop-band-clamshell"].figure, 230, 110)
    knees = [math.dist(p.points["near.knee"], p.points["far.knee"]) / layout.scale for p in layout.poses]
    feet = [math.dist(p.points["near.heel"], p.points["far.heel"]) / layout.scale for p in layout.poses]
    assert knees[1] > knees[0] + 1.0 and knees[1] > 2 * feet[1]
    assert max(feet) < 0.6


def test_the_side_bridge_lifts_the_hips_off_the_floor(catalogue):
    layout = figure_layout(catalogue.exercises["side-bridge"].figure, 230, 110)
    start, end = ((p.points["far.hip"][1] - p.floor_y) / layout.scale for p in layout.poses)
    assert start < 0.3 < 0.8 < end


# ------------------------------------------------------------------ cues and air
PRESS = {"trunk": 180, "head": 180, "near": {"thigh": 5, "shank": -20, "foot": 70, "upper_arm": 0, "forearm": 0},
         "props": [{"kind": "floor"}]}


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("direction", [270, 180, 150, 90])
def test_a_press_cue_points_its_arrow_at_the_point_and_is_drawn_inside_the_box(direction, width, height):
    end = {**PRESS, "cues": [{"kind": "press", "at": "near.heel", "direction": direction}]}
    figure = Figure.model_validate({"start": PRESS, "end": end})
    layout = figure_layout(figure, width, height)
    assert layout.poses[0].cues == ()
    cue, = layout.poses[1].cues
    heel = layout.poses[1].points["near.heel"]
    shaft = (cue.tip[0] - cue.tail[0], cue.tip[1] - cue.tail[1])
    to_heel = (heel[0] - cue.tip[0], heel[1] - cue.tip[1])
    cos = (shaft[0] * to_heel[0] + shaft[1] * to_heel[1]) / (math.hypot(*shaft) * math.hypot(*to_heel))
    assert cos > 0.99, "the arrow points at the heel"
    along = math.degrees(math.atan2(shaft[1], shaft[0]))
    assert abs((along - direction + 180) % 360 - 180) <= 30 + 1e-6, "and the way it pushes, give or take 30 degrees"
    assert math.dist(cue.tip, heel) < 1.0 * layout.scale, "close to the heel"
    assert cue.marks, "pressure marks where it presses"
    drawing = figure_drawing(figure, width, height)
    assert _cue_is_drawn(drawing, cue)
    _check_inside_box(drawing, width, height, f"press {direction}")


def test_the_isometric_holds_show_where_they_push(catalogue):
    heel = figure_layout(catalogue.exercises["isometric-heel-press"].figure, 230, 110).poses[1]
    cue, = heel.cues
    assert cue.at == "near.heel" and cue.tip[1] > heel.points["near.heel"][1], "pressed down into the floor from above"
    prone = figure_layout(catalogue.exercises["prone-knee-bend-isometric"].figure, 230, 110).poses[1]
    cue, = prone.cues
    hand, = [p for p in prone.props if p.kind == "partner"]
    assert cue.at == "near.heel" and hand.at == "near.heel"


def test_air_lifts_the_whole_body_off_the_floor():
    grounded = {**STAND}
    hop = {**STAND, "air": 1.0}
    layout = figure_layout(Figure.model_validate({"start": grounded, "end": hop}), 230, 110)
    gaps = [min(y for _, y in p.points.values()) - p.floor_y for p in layout.poses]
    assert gaps[1] - gaps[0] == pytest.approx(1.0 * layout.scale)


# ------------------------------------------------------------------ the preview script
def test_the_preview_script_takes_help_as_help_and_draws_chosen_figures(tmp_path):
    script = ROOT / "scripts" / "preview_figures.py"
    shown = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert shown.returncode == 0 and "usage" in shown.stdout and not list(tmp_path.iterdir())
    out = tmp_path / "sheet.pdf"
    drawn = subprocess.run([sys.executable, str(script), str(ROOT / "exercises"), str(out), "--only", "nordic-curl-bed,ice-pack"],
                           capture_output=True, text=True)
    assert drawn.returncode == 0 and "2 figures" in drawn.stdout
    sheet = " ".join(page_texts(out.read_bytes())[0].split())
    assert "ice-pack" in sheet and "nordic-curl-bed" in sheet and "Hold wrapped ice under the thigh" in sheet
    missing = subprocess.run([sys.executable, str(script), str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert missing.returncode == 2 and "no such folder" in missing.stderr
