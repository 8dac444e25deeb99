import pytest
from pydantic import ValidationError

from hamrehab.model import Contraindication, Dosage, DosageLimits, DoseOverride, dose_problems


def _dosage(**kw):
    base = dict(kind="reps", sets=2, reps=10, limits={"sets": (1, 3), "reps": (5, 12)})
    base.update(kw)
    return Dosage.model_validate(base)


def test_dosage_inside_limits_is_fine():
    assert _dosage().reps == 10


@pytest.mark.parametrize("kw,word", [
    (dict(reps=13), "outside"),
    (dict(sets=4), "outside"),
    (dict(kind="hold"), "needs hold_s"),
    (dict(reps=[12, 10, 8], sets=2), "3 sets"),
    (dict(hold_s=5), "no hold_s range"),
])
def test_dosage_rules(kw, word):
    with pytest.raises(ValidationError) as err:
        _dosage(**kw)
    assert word in str(err.value)


def test_limits_must_be_ordered():
    with pytest.raises(ValidationError):
        DosageLimits.model_validate({"sets": (3, 1)})


def test_override_checked_against_exercise_limits():
    limits = DosageLimits.model_validate({"sets": (1, 3), "reps": (5, 12)})
    assert dose_problems(DoseOverride(reps=(12, 10, 8), sets=3), "reps", limits) == []
    assert dose_problems(DoseOverride(reps=20), "reps", limits)[0][0] == "reps"


def test_contraindication_matches_diagnosis_and_phase_together():
    c = Contraindication(diagnoses=("hamstring-strain",), phases=("acute", "early"), reason="r")
    assert c.applies("hamstring-strain", "acute")
    assert not c.applies("hamstring-strain", "strength")
    assert not c.applies("prevention", "acute")
    whole = Contraindication(diagnoses=("sciatic-referral",), reason="r")
    assert whole.applies("sciatic-referral", None) and whole.applies("sciatic-referral", "maintenance")


def test_contraindication_needs_something():
    with pytest.raises(ValidationError):
        Contraindication(reason="r")


def test_models_are_frozen():
    d = _dosage()
    with pytest.raises(ValidationError):
        d.sets = 3
