"""The web app through Starlette's test client: every route, good input, every kind of bad input (a 4xx with the
library's own words beside the field, never a 500), and nothing about a patient left behind."""
from __future__ import annotations

import datetime as dt
import json
import re
import time
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from hamrehab import InputError, build_plan, make_request
from hamrehab.changes import check_changes
from hamrehab.web.forms import labels
from hamrehab.web.tailoring import dose_controls, plan_phases, swap_options
from hamrehab.wording import pain_line

from .support import (
    TODAY,
    csrf,
    error_slot,
    leftovers,
    pdf_text,
    plan_form,
    png_bytes,
    unescape,
)

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/plan", "/follow-up", "/triage", "/roster", "/exercises", "/exercises/chair-bridge", "/exercises/nordic-curl"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens(client, path):
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'href="#main"' in page.text and 'id="main"' in page.text  # the skip link and its target


def test_static_files_figures_and_fonts(client):
    assert client.get("/static/htmx.min.js").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    assert "focus-visible" in client.get("/static/app.css").text
    svg = client.get("/figures/chair-bridge.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and "<title>Chair bridge" in svg.text
    assert client.get("/fonts/regular.ttf").content[:4] in (b"\x00\x01\x00\x00", b"true")
    assert client.get("/fonts/other.ttf").status_code == 404
    assert client.get("/figures/no-such.svg").status_code == 404


@pytest.mark.parametrize("path", ["/no-such-page", "/exercises/no-such", "/roster/not-a-job", "/roster/not-a-job/status"])
def test_unknown_addresses_get_a_plain_404_page(client, path):
    page = client.get(path)
    assert page.status_code == 404
    assert "Traceback" not in page.text and "<h1>" in page.text


def test_wrong_method_is_a_plain_page(client):
    page = client.get("/plan/preview")
    assert page.status_code == 405 and "use the buttons" in page.text


def test_preview_shows_timeline_weeks_doses_and_drawings(client, catalogue):
    page = client.post("/plan/preview", data=plan_form(csrf(client), weeks="12", name="Sam Runner"))
    assert page.status_code == 200, page.text[:500]
    plan = build_plan(make_request({"diagnosis": "hamstring-strain", "side": "left", "weeks": 12}, today=TODAY), catalogue)
    for phase in plan.phases:
        assert unescape(phase.name) in unescape(page.text)
    assert page.text.count('class="week"') == 12
    assert "Sam Runner" in page.text
    for ex in plan.exercises:
        assert f'src="/figures/{ex.id}.svg"' in page.text
    assert 'hx-swap-oob="true"' in page.text  # the fields' message slots are refreshed too


def test_preview_calls_a_non_runners_brisk_walks_walking_as_the_handout_does(client, catalogue):
    page = client.post("/plan/preview", data=plan_form(csrf(client), weeks="12", grade="2", runner_km_per_week="0"))
    assert page.status_code == 200, page.text[:500]
    assert "<strong>Walking:</strong>" in page.text and "of brisk walking this week" in page.text
    assert "<strong>Running:</strong>" not in page.text


def test_preview_names_each_phases_weeks_as_the_handout_does(client, catalogue):
    page = client.post("/plan/preview", data=plan_form(csrf(client), grade="1", weeks="10"))
    plan = build_plan(make_request({"diagnosis": "hamstring-strain", "grade": 1, "side": "left", "weeks": 10}, today=TODAY), catalogue)
    assert any(len(ph.weeks) == 1 for ph in plan.phases)
    spans = re.findall(r'<span class="phase-weeks">([^<]*)</span>', page.text)
    assert spans == [f"week {ph.weeks[0]}" if len(ph.weeks) == 1 else f"weeks {ph.weeks[0]}-{ph.weeks[-1]}" for ph in plan.phases]


def test_preview_names_the_side_as_the_handout_does(client, catalogue):
    """The preview said 'left side', or nothing for both legs; the handouts read rules/handout.yaml `sides`."""
    for side, words in (("left", catalogue.wording.sides.left), ("both", catalogue.wording.sides.both)):
        page = client.post("/plan/preview", data=plan_form(csrf(client), side=side))
        assert page.status_code == 200 and f", {words[:1].lower()}{words[1:]}." in page.text, side


def test_preview_shows_the_warning_signs_and_each_weeks_pain_rule_as_the_handout_does(client, catalogue):
    """A runner at home who never prints the PDF still reads when to seek help, and each week's pain limit."""
    page = client.post("/plan/preview", data=plan_form(csrf(client), diagnosis="sciatic-referral", stage_for="sciatic-referral"))
    assert page.status_code == 200, page.text[:500]
    text = unescape(page.text)
    plan = build_plan(make_request({"diagnosis": "sciatic-referral", "side": "left"}, today=TODAY), catalogue)
    words = plan.words
    assert f"<h3>{words.headings.seek_help}</h3>" in text
    emergency, today = text.index(words.urgency_titles.of("emergency")), text.index(words.urgency_titles.of("same-day"))
    assert emergency < text.index("Numbness between the legs or around the back passage") < today
    assert all(text.count(f"<li>{plain}</li>") == 1 for _, plain in plan.warning_signs)
    rules = {ph.id: pain_line(ph.pain_rules.during_max, plan.pain, words.pain_line) for ph in plan.phases}
    assert "4/10 or more: stop that exercise or run for today" in rules[plan.phases[0].id]
    for rule in set(rules.values()):
        assert text.count(f'<p class="pain-rule">{rule}</p>') == sum(rules[w.phase] == rule for w in plan.weeks)


# ------------------------------------------------------------------ bad input: the library's words, beside the field

BAD_FIELDS = [
    ("pain", "11"), ("pain", "x"), ("weeks", "60"), ("weeks", "0"), ("days_per_week", "9"), ("diagnosis", "hamstring"),
    ("start", "2026-13-01"), ("start", "1800-01-01"), ("side", "up"), ("runner_km_per_week", "400"), ("runner_km_per_week", "far"),
    ("stage", "no-such-stage"), ("name", "x" * 201), ("notes", "n" * 4001), ("weak_glute_side", "middle"),
    ("days_since_onset", "-1"), ("grade", "7"), ("patient_id", "p" * 101),
]


@pytest.mark.parametrize("field,value", BAD_FIELDS)
def test_a_bad_field_gets_the_librarys_message_beside_it(client, field, value, catalogue):
    form = plan_form(csrf(client), **{field: value})
    page = client.post("/plan/preview", data=form)
    assert page.status_code == 400
    data = {k: v for k, v in form.items() if k in ("diagnosis", "side", "start", "days_per_week", "pain", field)}
    data["equipment"] = tuple(form["equipment"])
    with pytest.raises(InputError) as exc:
        build_plan(make_request(data, today=TODAY, labels=labels(catalogue)), catalogue)
    assert exc.value.field == field
    # beside its field without the label (the field shows it) or the command line's flag; the list at the top names it
    named = labels(catalogue)[field] if field != "stage" else "--stage"  # (the planner, not the form's reader, refuses a stage)
    assert str(exc.value).startswith(f"{named}: ")
    assert error_slot(unescape(page.text), field) == str(exc.value).removeprefix(f"{named}: ")


def test_several_bad_fields_each_get_their_own_message_and_the_summary_names_each_once(client, catalogue):
    page = client.post("/plan", data=plan_form(csrf(client), pain="11", weeks="60", start="1800-01-01"))
    assert page.status_code == 400
    text = unescape(page.text)
    assert error_slot(text, "pain") == "'11' is out of range; it must be at most 10"
    assert error_slot(text, "weeks") == "'60' is out of range; it must be at most 52"
    assert error_slot(text, "start").startswith("1800-01-01 is outside the dates a plan can cover")
    summary = re.sub(r"<[^>]+>", "", text[text.index('class="error-summary"'):text.index("</ul>", text.index('class="error-summary"'))])
    for name in ("pain", "weeks", "start"):
        assert summary.count(f"{labels(catalogue)[name]}:") == 1, summary


def test_grade_for_another_diagnosis_and_unknown_equipment(client):
    token = csrf(client)
    page = client.post("/plan/preview", data=plan_form(token, diagnosis="doms", grade="2", stage_for="doms"))
    assert page.status_code == 400 and "a grade applies only to hamstring-strain" in error_slot(unescape(page.text), "grade")
    page = client.post("/plan/preview", data=plan_form(token, equipment=["chair", "jetpack"]))
    assert page.status_code == 400 and "'jetpack' is not known" in error_slot(unescape(page.text), "equipment")


def test_every_field_error_also_shows_in_the_summary_on_the_full_page(client):
    page = client.post("/plan", data=plan_form(csrf(client), pain="11"))
    assert page.status_code == 400
    assert 'class="error-summary"' in page.text and 'href="#f-pain"' in page.text


def test_unticking_all_equipment_means_none(client, catalogue):
    form = plan_form(csrf(client), diagnosis="proximal-tendinopathy", stage_for="proximal-tendinopathy")
    form["equipment"] = []
    page = client.post("/plan/preview", data=form)
    assert page.status_code == 200
    request = make_request({"diagnosis": "proximal-tendinopathy", "side": "left", "equipment": ("none",)}, today=TODAY)
    for ex in build_plan(request, catalogue).exercises:
        assert f'id="card-{ex.id}"' in page.text


def test_a_red_flag_or_high_pain_or_grade_3_gives_the_referral(client):
    token = csrf(client)
    for fields in ({"pain": "7"}, {"grade": "3"}, {"red_flags": "pop-or-snap"}):
        page = client.post("/plan/preview", data=plan_form(token, **fields))
        assert page.status_code == 200
        assert "See a professional first" in page.text and 'id="card-' not in page.text
    pdf = client.post("/plan/download/pdf", data=plan_form(token, grade="3"))
    assert pdf.status_code == 200 and pdf.headers["content-disposition"].startswith('attachment; filename="referral-')
    cleared = client.post("/plan/preview", data=plan_form(token, grade="3", clinician_cleared="yes"))
    assert "See a professional first" not in cleared.text


def test_the_referral_says_its_urgency_as_triage_and_the_red_flag_file_do(client, catalogue):
    """The preview said 'now (emergency)' in brackets of its own; triage says the red-flag file's label."""
    token = csrf(client)
    for flag in ("saddle-numbness", "fever", "night-pain"):
        page = client.post("/plan/preview", data=plan_form(token, red_flags=[flag]))
        label = catalogue.red_flags.urgencies[catalogue.red_flag[flag].urgency].label
        assert f"See a professional first ({label})</h3>" in unescape(page.text), flag


# ------------------------------------------------------------------ the clinician's changes in the preview

def _request(**fields):
    base = {"diagnosis": "hamstring-strain", "side": "left", "equipment": ("chair", "step", "towel", "wall", "anchor-or-partner",
                                                                           "ice-pack", "heat-pack")}
    return make_request({**base, **fields}, today=TODAY)


def test_drop_then_undo(client):
    token = csrf(client)
    page = client.post("/plan/preview", data=plan_form(token, action="drop:chair-bridge"))
    assert page.status_code == 200
    assert 'id="card-chair-bridge"' not in page.text
    assert '<input type="hidden" name="without" value="chair-bridge">' in page.text
    assert 'data-focus="changes"' in page.text
    undone = client.post("/plan/preview", data=plan_form(token, without="chair-bridge", action="undo:without:chair-bridge"))
    assert 'id="card-chair-bridge"' in undone.text and 'name="without"' not in undone.text


def test_swap_offers_only_what_the_library_accepts_and_applies_it(client, catalogue):
    token = csrf(client)
    request = _request()
    plan = build_plan(request, catalogue)
    options = swap_options(request, plan, catalogue)
    assert any(options.values())
    phases = plan_phases(plan, catalogue)
    for old, offered in options.items():
        for new, _ in offered:
            check_changes(request.model_copy(update={"swap": (f"{old}={new}",)}), catalogue, phases)  # never raises
    old = next(k for k, v in options.items() if v)
    new = options[old][0][0]
    page = client.post("/plan/preview", data=plan_form(token, action=f"swap:{old}", **{f"swap_to__{old}": new}))
    assert page.status_code == 200
    assert f'name="swap" value="{old}={new}"' in page.text and f'id="card-{new}"' in page.text


def test_a_swap_the_library_refuses_is_shown_on_the_card(client, catalogue):
    token = csrf(client)
    # a static hamstring stretch is contraindicated for a tendinopathy: never offered, refused if posted
    form = plan_form(token, diagnosis="proximal-tendinopathy", stage_for="proximal-tendinopathy")
    plan = build_plan(_request(diagnosis="proximal-tendinopathy"), catalogue)
    target = next(ex.id for ex in plan.exercises if ex.run_role is None)
    page = client.post("/plan/preview", data={**form, "action": f"swap:{target}", f"swap_to__{target}": "nordic-curl"})
    try:
        build_plan(_request(diagnosis="proximal-tendinopathy", swap=(f"{target}=nordic-curl",)), catalogue)
        assert page.status_code == 200
    except InputError as exc:
        assert page.status_code == 400
        assert str(exc) in unescape(page.text)
    missing = client.post("/plan/preview", data={**form, "action": f"swap:{target}"})
    assert missing.status_code == 400 and "choose an exercise to use instead" in missing.text


def test_dose_boxes_are_bounded_by_the_limits_and_a_dose_applies(client, catalogue):
    plan = build_plan(_request(), catalogue)
    controls = dose_controls(plan, catalogue)
    assert controls
    for ex_id, (_kind, boxes) in controls.items():
        lim = catalogue.exercises[ex_id].dosage.limits
        for box in boxes:
            rng = {"sets": lim.sets, "reps": lim.reps, "hold": lim.hold_s, "time": lim.duration_s}[box.name]
            assert (box.low, box.high) == tuple(rng) and rng[0] <= box.value <= rng[1]
    token = csrf(client)
    lim = catalogue.exercises["chair-bridge"].dosage.limits
    ok = {"dose_sets__chair-bridge": str(lim.sets[1]), "dose_reps__chair-bridge": str(lim.reps[0]),
          "dose_hold__chair-bridge": str(lim.hold_s[0] if lim.hold_s else ""), "dose_time__chair-bridge": ""}
    page = client.post("/plan/preview", data=plan_form(token, action="dose:chair-bridge", **ok))
    assert page.status_code == 200, unescape(page.text)[:300]
    assert 'name="dose" value="chair-bridge=' in page.text and "changed by you" in page.text
    bad = {**ok, "dose_reps__chair-bridge": str(lim.reps[1] + 50)}
    refused = client.post("/plan/preview", data=plan_form(token, action="dose:chair-bridge", **bad))
    assert refused.status_code == 400
    assert "outside this exercise's safe limits" in unescape(refused.text) or "is not a dose" in unescape(refused.text)
    assert 'name="dose"' not in refused.text  # the refused dose is not kept


def test_an_unknown_action_is_refused_plainly(client):
    page = client.post("/plan/preview", data=plan_form(csrf(client), action="explode:everything"))
    assert page.status_code == 400 and "is not a change this page makes" in page.text


def test_a_change_that_no_longer_fits_can_be_undone(client):
    page = client.post("/plan/preview", data=plan_form(csrf(client), diagnosis="doms", stage_for="doms", without="nordic-curl"))
    assert page.status_code == 400
    assert "--without nordic-curl" in unescape(page.text) and "undo:without:nordic-curl" in page.text


# ------------------------------------------------------------------ downloads

def test_downloads_pdf_ics_json(client, app):
    token = csrf(client)
    form = plan_form(token, name="Sam Runner", without="chair-bridge", weeks="8")
    pdf = client.post("/plan/download/pdf", data=form)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == 'attachment; filename="plan-hamstring-strain-2026-03-02.pdf"'
    text = pdf_text(pdf.content)
    assert "Sam Runner" in text and "Left out: Chair bridge." in text
    assert "Chair bridge" not in text.replace("Left out: Chair bridge.", "")  # no card, no week row
    ics = client.post("/plan/download/ics", data=form)
    assert ics.status_code == 200 and ics.content.startswith(b"BEGIN:VCALENDAR")
    plan = client.post("/plan/download/json", data=form)
    data = json.loads(plan.content)
    assert data["request"]["without"] == ["chair-bridge"] and len(data["weeks"]) == 8
    assert client.post("/plan/download/exe", data=form).status_code == 404
    assert leftovers(app) == []


def test_a_download_with_bad_input_shows_the_form_again(client):
    page = client.post("/plan/download/pdf", data=plan_form(csrf(client), pain="12"))
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "is out of range" in error_slot(unescape(page.text), "pain")


@pytest.mark.parametrize("field,value", [("page_size", "a3"), ("handout", "tiny")])
def test_bad_print_options(client, field, value):
    page = client.post("/plan/download/pdf", data=plan_form(csrf(client), **{field: value}))
    assert page.status_code == 400 and "accepted:" in error_slot(unescape(page.text), field)


def test_clinic_details_and_logo_reach_the_pdf(client, app):
    token = csrf(client)
    form = plan_form(token, clinic_name="Riverside Physio", clinic_phone="0123 456", clinic_address="1 High St\nTown")
    pdf = client.post("/plan/download/pdf", data=form, files={"clinic_logo": ("logo.png", png_bytes(), "image/png")})
    assert pdf.status_code == 200, unescape(pdf.text)[:400]
    assert "Riverside Physio" in pdf_text(pdf.content)
    assert leftovers(app) == []


@pytest.mark.parametrize("name,data,words", [
    ("logo.gif", png_bytes(fmt="GIF"), "save it as PNG or JPEG"),
    ("logo.png", b"not an image at all", "cannot be read as an image"),
    ("logo.png", png_bytes((3000, 3000)), "pixels"),
])
def test_a_bad_logo_is_refused_beside_the_logo_field(client, app, name, data, words):
    form = plan_form(csrf(client), clinic_name="Riverside Physio")
    page = client.post("/plan/preview", data=form, files={"clinic_logo": (name, data, "application/octet-stream")})
    assert page.status_code == 400
    assert words in error_slot(unescape(page.text), "clinic_logo")
    assert leftovers(app) == []


def test_clinic_details_without_a_name(client):
    page = client.post("/plan/preview", data=plan_form(csrf(client), clinic_phone="0123"))
    assert page.status_code == 400 and error_slot(unescape(page.text), "clinic_name")


# ------------------------------------------------------------------ follow-up

def _saved_plan(client, **fields) -> bytes:
    return client.post("/plan/download/json", data=plan_form(csrf(client), weeks="6", **fields)).content


def test_follow_up_from_a_saved_plan(client, app):
    saved = _saved_plan(client, name="Sam Runner")
    token = csrf(client, "/follow-up")
    form = {"csrf": token, "checkpoint": "passed", "pain": "1", "start": "2026-04-13"}
    page = client.post("/follow-up/preview", data=form, files={"follow_up": ("sam.json", saved, "application/json")})
    assert page.status_code == 200, unescape(page.text)[:500]
    assert "Sam Runner" in page.text and 'class="week"' in page.text
    pdf = client.post("/follow-up/download/pdf", data=form, files={"follow_up": ("sam.json", saved, "application/json")})
    assert pdf.status_code == 200 and "follow-up" in pdf.headers["content-disposition"]
    again = client.post("/follow-up/download/json", data=form, files={"follow_up": ("sam.json", saved, "application/json")})
    assert json.loads(again.content)["block"] == "continue"
    assert leftovers(app) == []


@pytest.mark.parametrize("fields,upload,field,words", [
    ({"checkpoint": "passed"}, None, "follow_up", "choose last time's plan"),
    ({}, "plan", "checkpoint", "accepted: passed"),
    ({"checkpoint": "maybe"}, "plan", "checkpoint", "accepted: passed"),
    ({"checkpoint": "passed", "week_reached": "40"}, "plan", "week_reached", "is not a week of sam.json"),
    ({"checkpoint": "passed"}, b"{not json", "follow_up", "not a JSON plan"),
    ({"checkpoint": "passed"}, b'{"hello": 1}', "follow_up", "not a hamrehab plan"),
    ({"checkpoint": "passed", "pain": "11"}, "plan", "pain", "out of range"),
    ({"checkpoint": "passed", "week_reached": "3", "start": TODAY.isoformat()}, "plan", "start", "is before"),
])
def test_follow_up_bad_input(client, app, fields, upload, field, words):
    saved = _saved_plan(client)
    token = csrf(client, "/follow-up")
    files = None if upload is None else {"follow_up": ("sam.json", saved if upload == "plan" else upload, "application/json")}
    page = client.post("/follow-up/preview", data={"csrf": token, **fields}, files=files)
    assert page.status_code == 400
    assert words in error_slot(unescape(page.text), field)
    assert "/web-tmp/" not in page.text  # the private folder's path never reaches the page
    assert leftovers(app) == []


# ------------------------------------------------------------------ triage

def _triage(client, answers: list[tuple[str, str]]):
    """Answer the questions in turn; each answer is (move, text)."""
    page = client.get("/triage")
    for move, text in answers:
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
        page = client.post("/triage", data={**form, "move": move, "answer": text})
    return page


def _question(page) -> str:
    match = re.search(r'name="question" value="([^"]+)"', page.text)
    return match.group(1) if match else ""


def test_triage_one_question_at_a_time_with_back_and_dont_know(client, catalogue):
    first = client.get("/triage")
    assert _question(first) == catalogue.triage.questions[0].key
    page = _triage(client, [("next", "n")])
    second = _question(page)
    assert second != _question(first) and "Question 2" in page.text
    back = _triage(client, [("next", "n"), ("back", "")])
    assert _question(back) == _question(first)
    dk = _triage(client, [("next", "?")])
    assert _question(dk) == second and "I don&#39;t know" in dk.text


def test_triage_refuses_a_bad_answer_with_its_words(client):
    page = _triage(client, [("next", "perhaps")])
    assert page.status_code == 400 and "is not an answer here" in unescape(page.text)
    empty = _triage(client, [("next", "")])
    assert empty.status_code == 400 and "Choose or type an answer" in unescape(empty.text)


def test_triage_emergency_stops_and_offers_the_referral_handout(client):
    page = _triage(client, [("next", "y")])  # numbness in the saddle area: an emergency
    assert "See a professional first" in page.text
    assert "Possible causes" not in page.text and " points" not in page.text  # nothing stands before getting help
    assert 'action="/plan/download/pdf"' in page.text
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text.split('action="/plan/download/pdf"')[1]))
    pdf = client.post("/plan/download/pdf", data=form)
    assert pdf.status_code == 200 and pdf.headers["content-disposition"].startswith('attachment; filename="referral-')


SPRINTER = {"saddle_numbness": "n", "bladder_or_bowel_change": "n", "calf_or_thigh_swelling": "n", "chest_pain": "n",
            "breathless": "n", "fever": "n", "night_pain": "n", "weight_loss": "n", "numbness": "n", "leg_weak": "n",
            "foot_drop": "n", "walks_normally": "y", "pain_now": "3", "has_symptoms": "y", "onset": "sudden-fast-running",
            "days_since_onset": "2 days", "side": "left", "location": "mid-thigh", "sensation": "sharp", "pop_heard": "n",
            "gap_felt": "n", "bruising": "n", "pain_below_knee": "n", "pain_down_leg_running": "n", "pain_spreading": "n",
            "symptoms_never_change": "n", "worse_sitting": "n", "eases_when_warm": "n", "tender_spot": "y",
            "slr_pain_more_than_bent_knee": "n", "slr_range": "a-little-less", "resisted_bend_painful": "y",
            "si_pressure_painful": "n", "name": "Sam"}


def answer_all(client, answers: dict[str, str]):
    """Answer each question the page asks from `answers` ("?" for any other)."""
    page = client.get("/triage")
    for _ in range(80):
        key = _question(page)
        if not key:
            return page
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
        page = client.post("/triage", data={**form, "move": "next", "answer": answers.get(key, "?")})
        assert page.status_code == 200, unescape(page.text)[:400]
    raise AssertionError("the questions never ended")


def test_triage_to_plan(client):
    page = answer_all(client, SPRINTER)
    assert "Possible causes, most likely first" in page.text and "Pointing to it" in page.text
    part = page.text.split('<form action="/plan" method="post"')[1].split("</form>")[0]
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', part)
    grouped: dict[str, list[str]] = {}
    for name, value in fields:
        grouped.setdefault(name, []).append(value)
    opened = client.post("/plan", data=grouped)
    assert opened.status_code == 200
    diagnosis = grouped["diagnosis"][0]
    assert re.search(rf'<option value="{diagnosis}" selected>', opened.text)
    assert diagnosis == "hamstring-strain"
    assert 'value="Sam"' in opened.text and 'id="card-' in opened.text


def test_triage_refuses_changed_hidden_answers(client, catalogue):
    token = csrf(client, "/triage")
    key = catalogue.triage.questions[0].key
    page = client.post("/triage", data={"csrf": token, "asked": key, f"a__{key}": "banana", "move": "next"})
    assert page.status_code == 400 and "start the questions again" in page.text
    page = client.post("/triage", data={"csrf": token, "asked": "no_such_question", "move": "next"})
    assert page.status_code == 400


# ------------------------------------------------------------------ roster

def _wait(client, job_url: str):
    for _ in range(600):
        status = client.get(job_url + "/status")
        if "hx-trigger" not in status.text:
            return status
        time.sleep(0.1)
    raise AssertionError("the roster never finished")


def _upload_roster(client, name: str, data: bytes, **fields):
    token = csrf(client, "/roster")
    return client.post("/roster", data={"csrf": token, "formats": ["pdf", "json"], **fields},
                       files={"roster": (name, data, "text/csv")}, follow_redirects=False)


def test_roster_upload_progress_zip_then_deleted(client, app):
    roster = b"patient_id,name,diagnosis,grade,side\nP001,Sam,hamstring-strain,2,left\nP002,Ana,doms,,right\nP003,Bad,nonsense,,left\n"
    started = _upload_roster(client, "clinic roster.csv", roster)
    assert started.status_code == 303
    job_url = started.headers["location"]
    assert client.get(job_url).status_code == 200
    status = _wait(client, job_url)
    assert "2 written, 1 failed" in status.text and "nonsense" in status.text  # the bad row is listed on the page
    zipped = client.post(job_url + "/download", data={"csrf": csrf(client, job_url)})
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    names = set(zipfile.ZipFile(BytesIO(zipped.content)).namelist())
    assert {"P001.pdf", "P001.json", "P002.pdf", "P002.json", "errors.csv", "manifest.csv"} <= names
    assert client.get(job_url).status_code == 404  # deleted once downloaded
    assert not list(app.web.root.iterdir())


@pytest.mark.parametrize("name,data,words", [
    ("roster.txt", b"patient_id\nP1\n", "not a roster"),
    ("roster.csv", b"\xff\xfe\x00bad", "not UTF-8"),
    ("roster.csv", b"colour,flavour\nred,sweet\n", "column"),
])
def test_roster_refused_before_it_starts(client, app, name, data, words):
    page = _upload_roster(client, name, data)
    assert page.status_code == 400 and words in error_slot(unescape(page.text), "roster")
    assert not list(app.web.root.iterdir())


def test_roster_row_limit_and_missing_file_and_formats(client, app):
    app.web.settings.max_roster_rows = 2
    rows = b"patient_id,diagnosis\n" + b"".join(b"P%d,doms\n" % i for i in range(3))
    page = _upload_roster(client, "big.csv", rows)
    assert page.status_code == 400 and "at most 2" in error_slot(unescape(page.text), "roster")
    token = csrf(client, "/roster")
    assert client.post("/roster", data={"csrf": token, "formats": "pdf"}).status_code == 400
    none = client.post("/roster", data={"csrf": token}, files={"roster": ("r.csv", b"patient_id,diagnosis\nP1,doms\n", "text/csv")})
    assert none.status_code == 400 and "empty; accepted" in error_slot(unescape(none.text), "formats")


def test_roster_discard_and_time_limit(client, app):
    from hamrehab.web.routes_roster import reap

    started = _upload_roster(client, "r.csv", b"patient_id,diagnosis\nP1,doms\n")
    job_url = started.headers["location"]
    _wait(client, job_url)
    client.post(job_url + "/discard", data={"csrf": csrf(client, "/roster")})
    assert client.get(job_url).status_code == 404 and not list(app.web.root.iterdir())
    started = _upload_roster(client, "r.csv", b"patient_id,diagnosis\nP1,doms\n")
    _wait(client, started.headers["location"])
    reap(app.web, now=time.monotonic() + app.web.settings.job_ttl_s + 1)
    assert not app.web.jobs and not list(app.web.root.iterdir())


# ------------------------------------------------------------------ exercises

def test_exercise_filters(client, catalogue):
    everything = client.get("/exercises")
    assert everything.text.count('class="card"') == len(catalogue.exercises)
    eccentric = client.get("/exercises", params={"category": "eccentric"})
    assert 0 < eccentric.text.count('class="card"') < len(catalogue.exercises)
    bare = client.get("/exercises", params={"equipment_shown": "1"})
    assert all(not catalogue.exercises[i].needs for i in re.findall(r'href="/exercises/([^"]+)"', bare.text))
    safe = client.get("/exercises", params={"safe_for": "proximal-tendinopathy", "phase": "early"})
    for ex_id in re.findall(r'href="/exercises/([^"]+)"', safe.text):
        assert catalogue.exercises[ex_id].contraindicated("proximal-tendinopathy", "early") is None
    nonsense = client.get("/exercises", params={"category": "<script>", "safe_for": "x", "phase": "y"})
    assert nonsense.status_code == 200 and "<script>" not in nonsense.text


def test_an_exercise_in_full(client, catalogue):
    ex = catalogue.exercises["nordic-curl"]
    page = unescape(client.get("/exercises/nordic-curl").text)
    for step in ex.steps:
        assert step in page
    assert "Safe range" in page and "Sources" in page


# ------------------------------------------------------------------ never a 500, nothing kept

def test_hostile_forms_never_give_a_500(client, app):
    token = csrf(client)
    hostile = ["", " ", "\x00", "ü" * 5000, "<script>alert(1)</script>", "-1", "1e309", "NaN", "{{7*7}}", "../../etc/passwd"]
    fields = ["diagnosis", "grade", "stage", "days_since_onset", "side", "weeks", "start", "days_per_week", "pain",
              "weak_glute_side", "runner_km_per_week", "without", "swap", "dose", "red_flags", "action", "equipment", "handout"]
    for _i, field in enumerate(fields):
        for value in hostile:
            for path in ("/plan/preview", "/plan/download/json"):
                page = client.post(path, data=plan_form(token, **{field: value}))
                assert page.status_code < 500, (field, value, page.text[:300])
                assert "<script>alert(1)</script>" not in page.text
    assert leftovers(app) == []


def test_names_are_escaped(client):
    page = client.post("/plan/preview", data=plan_form(csrf(client), name="<img src=x onerror=alert(1)>"))
    assert "<img src=x" not in page.text and "&lt;img src=x" in page.text


def test_dates_default_to_today(client):
    page = client.get("/plan")
    assert f'value="{TODAY.isoformat()}"' in page.text
    assert dt.date(2026, 3, 2).strftime("%B") in page.text


def test_a_checkpoint_box_a_change_leaves_out_of_step_is_said_beside_the_changes(client):
    # The clinician leaves out the leg swings; prevention's checkpoint still asks the runner to warm up with them.
    page = client.post("/plan/preview", data=plan_form(csrf(client), diagnosis="prevention", stage_for="prevention", without="leg-swings"))
    assert page.status_code == 200
    text = unescape(page.text)
    assert 'class="notice-box"' in page.text and "names Leg swings, which you left out or swapped" in text
    plain = client.post("/plan/preview", data=plan_form(csrf(client), diagnosis="prevention", stage_for="prevention"))
    assert 'class="notice-box"' not in plain.text
