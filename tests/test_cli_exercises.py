"""`hamrehab exercises` browsing: filters, the table, one exercise in full."""
import json

from hamrehab.cli import main


def _ids(runner, *args):
    result = runner.invoke(main, ["exercises", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return {e["id"] for e in json.loads(result.output)}


def test_table_lists_every_exercise(runner, catalogue):
    result = runner.invoke(main, ["exercises"])
    assert result.exit_code == 0
    assert f"{len(catalogue.exercises)} exercises" in result.output
    assert "chair-bridge" in result.output


def test_category_filter(runner, catalogue):
    ids = _ids(runner, "--category", "care")
    assert ids and all(catalogue.exercises[i].category == "care" for i in ids)


def test_equipment_filter_means_nothing_more_needed(runner, catalogue):
    ids = _ids(runner, "--equipment", "none")
    assert ids and all(catalogue.exercises[i].needs == frozenset() for i in ids)
    assert "chair-bridge" not in ids and "chair-bridge" in _ids(runner, "--equipment", "chair")


def test_safe_for_excludes_contraindicated(runner):
    tendon = _ids(runner, "--safe-for", "proximal-tendinopathy")
    assert "static-hamstring-stretch" not in tendon
    early = _ids(runner, "--safe-for", "hamstring-strain", "--phase", "acute")
    assert "nordic-curl" not in early and "nordic-curl" in _ids(runner, "--safe-for", "hamstring-strain")


def test_bad_filters_exit_2(runner):
    for args in (["--category", "strength"], ["--equipment", "rope"], ["--safe-for", "tendon"], ["--phase", "acute"]):
        result = runner.invoke(main, ["exercises", *args])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_show_one_in_full(runner):
    result = runner.invoke(main, ["exercises", "show", "nordic-curl"])
    assert result.exit_code == 0
    for word in ("Steps:", "Cues:", "Common mistakes:", "Sources:", "Petersen"):
        assert word in result.output


def test_show_unknown_suggests(runner):
    result = runner.invoke(main, ["exercises", "show", "nordic-curls"])
    assert result.exit_code == 2 and "did you mean 'nordic-curl'" in result.output


def test_every_exercise_has_figure_sources_and_plain_steps(catalogue):
    for ex in catalogue.exercises.values():
        assert ex.sources and len(ex.steps) >= 2 and ex.cues and ex.mistakes
        assert ex.figure.start is not None
        if ex.category != "care":
            assert ex.figure.end is not None, ex.id


def test_catalogue_covers_the_brief(catalogue):
    needed = ["chair-bridge", "chair-bridge-single-leg", "bridge-walk-out", "bridge-walk-out-leg-raise", "glute-bridge", "marching-bridge", "single-leg-bridge", "hip-thrust", "romanian-deadlift", "single-leg-deadlift", "nordic-curl", "nordic-curl-assisted", "stability-ball-curl", "isometric-heel-press", "prone-knee-bend-isometric", "bent-knee-bridge-hold", "prone-bridge", "side-bridge", "askling-extender", "askling-diver", "askling-glider", "power-position-hold", "single-leg-balance", "side-step-grapevine", "loop-band-side-walk", "sciatic-nerve-slider", "foam-roll-hamstrings", "gentle-range-of-motion", "static-hamstring-stretch", "leg-swings", "high-knees", "marching-drill", "skipping-drill", "easy-bike", "walking", "pool-running", "swimming", "elliptical", "walk-jog-intervals", "strides", "ice-pack", "heat-pack", "compression-wrap", "elevation"]
    assert not set(needed) - set(catalogue.exercises)


def test_static_stretch_contraindications(catalogue):
    stretch = catalogue.exercises["static-hamstring-stretch"]
    for diagnosis in ("proximal-tendinopathy", "distal-tendinopathy", "sciatic-referral"):
        assert stretch.contraindicated(diagnosis, "strength") is not None
    assert stretch.contraindicated("hamstring-strain", "acute") is not None
    assert stretch.contraindicated("doms", "early") is not None
    # and only there: a healed strain stretches again, and so does prevention
    assert stretch.contraindicated("hamstring-strain", "lengthening") is None
    assert stretch.contraindicated("prevention", "strength") is None


def test_nordic_and_strides_not_in_acute_strain(catalogue):
    for ex_id in ("nordic-curl", "nordic-curl-assisted", "strides", "askling-glider"):
        assert catalogue.exercises[ex_id].contraindicated("hamstring-strain", "acute") is not None, ex_id
        assert catalogue.exercises[ex_id].contraindicated("hamstring-strain", "early") is not None, ex_id
        assert catalogue.exercises[ex_id].contraindicated("hamstring-strain", "return-to-speed") is None, ex_id  # later, yes
