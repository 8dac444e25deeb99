"""hamrehab: phased, printable rehab plans for runners with pain at the back of the thigh.

The public API grows with the project; everything here is safe to import from scripts.
"""
from .catalogue import Catalogue, load_catalogue
from .exceptions import HamrehabError, InputError, Problem, ValidationFailed
from .model import Dosage, Exercise, Phase, PlanRequest, Protocol

__all__ = [
    "Catalogue",
    "Dosage",
    "Exercise",
    "HamrehabError",
    "InputError",
    "Phase",
    "PlanRequest",
    "Problem",
    "Protocol",
    "ValidationFailed",
    "load_catalogue",
]
__version__ = "0.1.0"
