"""`python -m hamrehab.web`: the same as `hamrehab serve`."""
from __future__ import annotations

from .cli import serve

if __name__ == "__main__":  # pragma: no cover
    serve(prog_name="python -m hamrehab.web")
