"""Renderers: a Plan (or an exercise) in, bytes out. Nothing here writes files."""
