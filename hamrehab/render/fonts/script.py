"""Text made printable before ReportLab sees it: emoji and unknown characters replaced (and reported),
right-to-left runs shaped and put into visual order."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .faces import _font_for, register

MISSING = "?"
EMOJI = "[emoji]"
BIND_MAX = 40  # a right-to-left run up to this many characters is kept on one line


_EMOJI_BLOCKS = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2300, 0x23FF), (0x2B00, 0x2BFF), (0x2194, 0x2199))
_EMOJI_SINGLES = frozenset((0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x21A9, 0x21AA, 0x24C2, 0x25AA, 0x25AB, 0x25B6,
                            0x25C0, 0x25FB, 0x25FC, 0x25FD, 0x25FE, 0x2934, 0x2935, 0x3030, 0x303D, 0x3297, 0x3299))
_ZWJ, _ZWNJ, _KEYCAP = 0x200D, 0x200C, 0x20E3
_HOLE = "\ufffc"  # stands for an emoji until the line is in visual order: neutral for bidi, as the emoji was


def _pictographic(code: int) -> bool:
    return code in _EMOJI_SINGLES or any(lo <= code <= hi for lo, hi in _EMOJI_BLOCKS)


def _modifier(code: int) -> bool:
    """Marks that only change how an emoji looks: variation selectors, skin tones, keycap, tags."""
    return 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or code == _KEYCAP or 0xE0020 <= code <= 0xE007F


def _regional(code: int) -> bool:
    return 0x1F1E6 <= code <= 0x1F1FF


def _emoji_cluster(text: str, i: int) -> int:
    """If an emoji sequence starts at text[i], the index just past it; else i.

    A sequence: a pictograph (or a digit, # or * before a keycap) with its modifiers, joined by
    ZWJ to more of the same (a family, a runner with a skin tone), or a pair of regional indicators
    (a flag).
    """
    n = len(text)
    code = ord(text[i])
    if _regional(code):
        return i + 2 if i + 1 < n and _regional(ord(text[i + 1])) else i + 1
    keycap = text[i] in "0123456789#*" and any(ord(c) == _KEYCAP for c in text[i + 1:i + 3])
    if not (_pictographic(code) or (_modifier(code) and not 0xFE00 <= code <= 0xFE0F) or keycap):
        return i
    j = i + 1
    while j < n:
        c = ord(text[j])
        if _modifier(c):
            j += 1
        elif c == _ZWJ and j + 1 < n and _pictographic(ord(text[j + 1])):
            j += 2
        else:
            break
    return j


# ------------------------------------------------------------------ layout

def _clean(text: str) -> str:
    """Tabs, line breaks and line/paragraph separators become spaces; other control and format
    characters go (bidi overrides included: direction is worked out here, not taken from the text),
    but ZWJ and ZWNJ stay until shaping has used them."""
    out = []
    for ch in text:
        if ch in "\t\r\n\u2028\u2029":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200c\u200d":
            continue
        else:
            out.append(ch)
    return "".join(out)


def _missing(ch: str) -> str:
    return f"the character '{ch}' (U+{ord(ch):04X}) in the {{where}} is in none of the handout's fonts; it prints as '{MISSING}'"


def _emoji_message(seq: str) -> str:
    codes = " ".join(f"U+{ord(c):04X}" for c in seq)
    return f"the emoji '{seq}' ({codes}) in the {{where}} can't be printed (the handout's fonts have no emoji); it prints as '{EMOJI}'"


def _printable(text: str, problems: list[str]) -> str:
    """Emoji sequences and characters no font has replaced by placeholders (each one noted).

    An emoji becomes _HOLE here and EMOJI once the line is in visual order, so that the letters
    of the placeholder don't split a right-to-left run the emoji sat in.
    """
    body = register()
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j = _emoji_cluster(text, i)
        if j > i:
            seq = text[i:j]
            bases = [c for c in seq if not _modifier(ord(c)) and ord(c) != _ZWJ]
            if bases and "\u20e3" not in seq and all(ord(c) in body or _font_for(ord(c)) for c in bases):
                out.extend(bases)  # a symbol a font has (a text-style heart, say): printed, its modifiers dropped
            else:
                out.append(_HOLE)
                problems.append(_emoji_message(seq))
            i = j
            continue
        ch = text[i]
        code = ord(ch)
        if ch != _HOLE and (ch == " " or code in body or code in (_ZWJ, _ZWNJ) or _font_for(code)):
            out.append(ch)
        elif 0xFE00 <= code <= 0xFE0F:
            pass  # a stray variation selector: invisible anyway
        else:
            out.append(MISSING)
            problems.append(_missing(ch))
        i += 1
    return "".join(out)


def _rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def _bind(text: str) -> str:
    """Spaces inside each short right-to-left run become no-break spaces, so a line break can't
    fall inside it (bidi reordering is done before ReportLab breaks lines)."""
    chars = list(text)
    start = last = None

    def flush() -> None:
        if start is not None and last - start < BIND_MAX:
            for k in range(start, last):
                if chars[k] == " ":
                    chars[k] = "\xa0"

    for i, ch in enumerate(text):
        if _rtl(ch):
            start = i if start is None else start
            last = i
        elif unicodedata.bidirectional(ch) == "L":
            flush()
            start = last = None
    flush()
    return "".join(chars)


@lru_cache(maxsize=1)
def _reshaper():
    import arabic_reshaper

    config = dict(arabic_reshaper.reshaper_config.default_config)  # every key, so no outside config file can change it
    config.update(delete_harakat=True, support_ligatures=True, support_zwj=True)
    return arabic_reshaper.ArabicReshaper(configuration=config)


def _visual(text: str) -> str:
    """Right-to-left text shaped and put in visual (left-to-right drawing) order; other text as is."""
    if any(0x0600 <= ord(c) <= 0x08FF for c in text):
        text = _reshaper().reshape(text)
    text = text.replace("\u200c", "").replace("\u200d", "")  # joiners have done their work
    if not any(_rtl(c) for c in text):
        return text
    return _reorder(_bind(text))


def _levels(text: str) -> list[int]:
    """The resolved bidi level of each character (left-to-right paragraph), from python-bidi.

    python-bidi (the Rust unicode-bidi crate) reorders but leaves out rule L4 (mirrored brackets);
    its debug view carries the levels (one per UTF-8 byte) that L4 needs.
    """
    from bidi import get_display

    info = get_display(text, base_dir="L", debug=True)
    found = re.search(r"\blevels: \[(.*?)\]", info, re.DOTALL)
    per_byte = [int(x) for x in re.findall(r"Level\(\s*(\d+)", found.group(1))] if found else []
    if len(per_byte) != len(text.encode("utf-8")):
        raise ValueError("python-bidi's debug view has changed")
    levels, offset = [], 0
    for ch in text:
        levels.append(per_byte[offset])
        offset += len(ch.encode("utf-8"))
    return levels


def _reorder(text: str) -> str:
    """Unicode bidi rules L1, L2 and L4 for one line: levels, brackets mirrored at odd levels, runs reversed.

    No L3: a combining mark stays before its base in visual order, where the fonts here want it
    (Heebo's points have no advance and are drawn from the base's origin).
    """
    from bidi import get_display
    from bidi.mirror import MIRRORED

    plain = get_display(text, base_dir="L")
    try:
        levels = _levels(text)
    except (ValueError, AttributeError, IndexError):
        return plain  # the order is still right; only brackets in right-to-left runs stay unmirrored
    end = len(text)
    while end and unicodedata.bidirectional(text[end - 1]) in ("WS", "BN"):  # L1: trailing spaces at base level
        end -= 1
    levels[end:] = [0] * (len(text) - end)
    chars, mirrored = list(text), [MIRRORED.get(c, c) if lv % 2 else c for c, lv in zip(text, levels, strict=True)]
    odd = [lv for lv in levels if lv % 2]
    for level in range(max(levels), min(odd) - 1, -1) if odd else ():
        i = 0
        while i < len(chars):
            if levels[i] < level:
                i += 1
                continue
            j = i
            while j < len(chars) and levels[j] >= level:
                j += 1
            chars[i:j] = chars[i:j][::-1]
            mirrored[i:j] = mirrored[i:j][::-1]
            levels[i:j] = levels[i:j][::-1]
            i = j
    if "".join(chars) != plain:  # our reversal must agree with python-bidi's
        return plain
    return "".join(mirrored)
