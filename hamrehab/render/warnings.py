"""What a render could not do perfectly, for the command to print: a module of its own so that the
JSON, text and calendar paths (which never draw a glyph) need not import the font code to pass one."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Warnings:
    """Collects what a render could not do perfectly (characters no font has), each message once."""

    messages: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)
