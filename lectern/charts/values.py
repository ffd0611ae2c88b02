"""Cell values: numbers read from a table's text, and written for a language with their unit."""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # 1,234 or 1,234.5
_SPACED = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?")  # 1 234,5
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")  # 34,2 (only in ;-separated files)


def parse_number(text: str, decimal_comma: bool = False) -> int | float | str | None:
    """A cell's value: int or float where the text is a number, None when empty, else the text.

    Accepts "27", "34.2", "-3", "1,234", "1 234", a trailing "%" ("27%") and a Unicode minus.
    With `decimal_comma` (a file separated by ";"), "34,2" is 34.2.
    """
    s = text.strip()
    if not s:
        return None
    t = s.replace("\u2212", "-")
    if t.endswith("%"):
        t = t[:-1].rstrip()
    if _INT.fullmatch(t):
        return int(t)
    if _FLOAT.fullmatch(t):
        return float(t)
    if _GROUPED.fullmatch(t) and not decimal_comma:
        return _to_number(t.replace(",", ""))
    if _SPACED.fullmatch(t):
        return _to_number(re.sub(r"[ \u00a0\u202f]", "", t).replace(",", "."))
    if decimal_comma and _DECIMAL_COMMA.fullmatch(t):
        return float(t.replace(",", "."))
    return s


def _to_number(t: str) -> int | float:
    return int(t) if _INT.fullmatch(t) else float(t)


def is_number(value: object) -> bool:
    """True for an int or a finite float (not a bool)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


# Languages that write 3,5 rather than 3.5; and of those, the ones that group thousands with "."
_COMMA_LANGS = {
    "af", "az", "be", "bg", "bs", "ca", "cs", "da", "de", "el", "es", "et", "eu", "fi", "fo",
    "fr", "gl", "hr", "hu", "hy", "id", "is", "it", "ka", "kk", "ky", "lt", "lv", "mk", "mn",
    "nb", "nl", "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "tr", "uk",
    "uz", "vi",
}
_DOT_GROUP_LANGS = {
    "da", "de", "el", "es", "eu", "gl", "hr", "id", "is", "it", "nl", "pt", "ro", "sl", "sr",
    "tr", "vi", "ca",
}
_NNBSP = "\u202f"  # narrow no-break space: "27 %", "1 234" in French


@dataclass(frozen=True)
class NumberStyle:
    """How a language writes numbers."""

    decimal: str = "."
    group: str = ","
    percent_space: str = ""
    group_four: bool = True  # "1,234"; Spanish writes 1234 but 12 345


    @classmethod
    def for_lang(cls, lang: str) -> NumberStyle:
        return _number_style(cls, lang)

    @classmethod
    def _for_lang(cls, lang: str) -> NumberStyle:
        base = (lang or "en").replace("_", "-").split("-")[0].lower()
        if base in _COMMA_LANGS:
            group = "." if base in _DOT_GROUP_LANGS else _NNBSP
            return cls(decimal=",", group=group, percent_space=_NNBSP,
                       group_four=base not in ("es", "pl", "pt"))
        return cls()


@functools.lru_cache(maxsize=64)
def _number_style(cls, lang: str) -> NumberStyle:
    return cls._for_lang(lang)  # frozen, so one per language serves every number of a build


def format_number(value: float, lang: str = "en", decimals: int | None = None,
                  group: bool = True) -> str:
    """`value` written for `lang`: 1,234.5 (en), 1 234,5 (fr), 1.234,5 (de); minus as U+2212.

    `decimals` None: as many as the value needs, at most 3. `group` False: no thousands
    separator (for years on an x axis).
    """
    style = NumberStyle.for_lang(lang)
    if decimals is None:
        decimals = _decimals_of(value)
    text = f"{abs(value):.{decimals}f}"
    whole, _, frac = text.partition(".")
    if group and len(whole) >= (5 if style.group_four is False else 4):
        whole = f"{int(whole):,}".replace(",", style.group)
    out = whole + (style.decimal + frac if frac else "")
    if value < 0 and float(text) != 0:
        out = "\u2212" + out
    return out


def _decimals_of(value: float) -> int:
    if isinstance(value, int) or float(value).is_integer():
        return 0
    for d in range(1, 4):
        if abs(round(value, d) - value) < 1e-9 * max(1.0, abs(value)):
            return d
    return 3


@dataclass(frozen=True)
class UnitStyle:
    """How a chart's unit is shown: around every number, or once as an axis title."""

    prefix: str = ""
    suffix: str = ""
    axis_title: str = ""


def unit_style(unit: str, lang: str = "en") -> UnitStyle:
    """'%' → 27% (27 % in French); '$bn' → $2.5bn; long units ('thousand people') → axis title."""
    unit = (unit or "").strip()
    if not unit:
        return UnitStyle()
    if unit in ("%", "‰"):
        return UnitStyle(suffix=NumberStyle.for_lang(lang).percent_space + unit)
    if unit[0] in "$€£¥₹₽" and len(unit) <= 4:
        return UnitStyle(prefix=unit[0], suffix=unit[1:])
    if len(unit) <= 4 and " " not in unit:
        return UnitStyle(suffix="\u00a0" + unit)
    return UnitStyle(axis_title=unit)


def format_value(value: float, unit: str = "", lang: str = "en",
                 decimals: int | None = None) -> str:
    """A value with its unit, as on a bar label: '27%', '$2.5bn', '1 234 km'. A whole number
    is written whole ('79', not '79.0') even where the chart's other values need decimals."""
    u = unit_style(unit, lang)
    if decimals and float(value).is_integer():
        decimals = 0
    number = format_number(value, lang, decimals)
    if number.startswith("\u2212") and u.prefix:
        return "\u2212" + u.prefix + number[1:] + u.suffix
    return u.prefix + number + u.suffix


def _label(value: object, lang: str) -> str:
    """An x value as text: numbers (years) without thousands separators."""
    if value is None:
        return ""
    if is_number(value):
        return format_number(value, lang, group=False)
    return str(value)
