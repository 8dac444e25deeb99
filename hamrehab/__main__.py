"""`python -m hamrehab` runs the same command as the `hamrehab` script."""
from .launch import run

run()
