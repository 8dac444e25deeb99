"""`python -m hamrehab` runs the same command as the `hamrehab` script."""
from .cli import main

main(prog_name="hamrehab")
