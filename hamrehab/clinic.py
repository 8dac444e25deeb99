"""The clinic block printed on the cover: who hands the plan over, and how to reach them."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, Strict, ValidationError

from .exceptions import InputError
from .model import Frozen
from .validation import problems_from
from .yamlsource import read_yaml

Line = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Clinic(Frozen):
    """A clinic.yaml: every field optional but the name; the logo path is relative to the file."""

    name: Line
    clinician: Line | None = None
    address: tuple[Line, ...] | Line | None = None
    phone: Line | None = None
    email: Line | None = None
    website: Line | None = None
    logo: Path | None = Field(None, description="PNG or JPEG file, relative to clinic.yaml.")

    @property
    def address_lines(self) -> tuple[str, ...]:
        if self.address is None:
            return ()
        return (self.address,) if isinstance(self.address, str) else self.address


LOGO_TYPES = (".png", ".jpg", ".jpeg")


def load_clinic(path: Path) -> Clinic:
    """Read and check a clinic.yaml; a problem → InputError naming the file, line and field."""
    doc, problems = read_yaml(Path(path))
    if doc is None:
        raise InputError(f"--clinic: {problems[0]}")
    if not isinstance(doc.data, dict):
        raise InputError(f"--clinic: {doc.file}:1: expected fields such as name:, clinician:, phone:")
    try:
        clinic = Clinic.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(f"--clinic: {problems_from(exc, doc, doc.file, Clinic)[0]}") from None
    if clinic.logo is not None:
        logo = clinic.logo if clinic.logo.is_absolute() else Path(path).parent / clinic.logo
        where = f"--clinic: {doc.file}:{doc.line_of(('logo',))}: logo"
        if logo.suffix.lower() not in LOGO_TYPES or not logo.is_file():
            raise InputError(f"{where}: '{clinic.logo}' is not a PNG or JPEG file next to clinic.yaml")
        try:
            from reportlab.lib.utils import ImageReader

            ImageReader(str(logo)).getSize()
        except Exception:  # any decoder failure means the same thing to the user
            raise InputError(f"{where}: '{clinic.logo}' cannot be read as an image; save it again as PNG or JPEG") from None
        clinic = clinic.model_copy(update={"logo": logo})
    return clinic
