"""The clinic block printed on the cover: who hands the plan over, and how to reach them."""

from pathlib import Path
from typing import Annotated

from pydantic import Field, Strict, StringConstraints

from .documents import load_document, validate_document
from .exceptions import InputError
from .inputfile import MAX_IMAGE, check_regular, display_path
from .model import Frozen

Line = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Clinic(Frozen):
    """A clinic.yaml: every field optional but the name; the logo path is relative to the file."""

    name: Line
    clinician: Line | None = None
    address: Annotated[tuple[Line, ...], Field(max_length=6)] | Line | None = None
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
MAX_LOGO_PIXELS = 4_000_000  # 2000 x 2000: far more than a logo 2 cm high needs


def check_logo(logo: Path, shown: str, where: str) -> None:
    """A logo must be a regular PNG or JPEG file that decodes whole and is of sane size: checked once,
    here, so no render ever meets a truncated file or spends a gigabyte on a giant one."""
    import warnings

    from PIL import Image  # Pillow comes with ReportLab; only clinic files with a logo pay for it

    problem = check_regular(logo, display_path(logo), MAX_IMAGE)
    if problem is not None:
        raise InputError(f"{where}: '{shown}' {problem.message}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the pixel limit below says it plainly
            image = Image.open(logo)
        with image:
            if image.format not in ("PNG", "JPEG"):
                raise InputError(f"{where}: '{shown}' is a {image.format or 'unknown'} image; save it as PNG or JPEG")
            width, height = image.size
            if width * height > MAX_LOGO_PIXELS:
                raise InputError(f"{where}: '{shown}' is {width} x {height} pixels; a logo may have at most "
                                 f"{MAX_LOGO_PIXELS:,} pixels (e.g. 2000 x 2000): save a smaller copy")
            image.load()  # decodes every pixel: a truncated or corrupt file fails here, not in the PDF
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a bad file; all mean the same thing to the user
        raise InputError(f"{where}: '{shown}' cannot be read as an image (damaged or cut short); save it again as PNG or JPEG") from None


def load_clinic(path: Path) -> Clinic:
    """Read and check a clinic.yaml; a problem → InputError naming the file, line and field."""
    doc = load_document(Path(path), "fields such as name:, clinician:, phone:", flag="--clinic: ")
    clinic, problems = validate_document(Clinic, doc)
    if clinic is None:
        raise InputError(f"--clinic: {problems[0]}")
    if clinic.logo is not None:
        logo = clinic.logo if clinic.logo.is_absolute() else Path(path).parent / clinic.logo
        where = f"--clinic: {doc.file}:{doc.line_of(('logo',))}: logo"
        if logo.suffix.lower() not in LOGO_TYPES:
            raise InputError(f"{where}: '{clinic.logo}' is not a PNG or JPEG file (.png, .jpg or .jpeg)")
        check_logo(logo, str(clinic.logo), where)
        clinic = clinic.model_copy(update={"logo": logo})
    return clinic
