"""Header synonyms: the phrases councils head their columns and label their figures with,
per canonical field, and how a header is matched against them.

The built-in phrases live in ``headers.toml`` beside this module; a user adds their own with a
file of the same layout (``--headers FILE``), validated: a section or field name lpsa-xl does
not know is an error, never silently ignored. Matching works on normalised text
(:func:`normalise`): case, punctuation and "£" ignored, years, financial years and dates
removed. A header matches a phrase when the phrase's words occur in it in order and together;
the score is the number of words matched plus a bonus for an exact match, so the most specific
phrase wins ("un-stretched target" is the expected figure, not the target).
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lpsa_xl.files.errors import LayoutError

if sys.version_info >= (3, 11):  # pragma: no cover
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["GROUPS", "Synonyms", "load_synonyms", "normalise", "score"]

#: The sections of a synonyms file (headers.toml), in the order of :class:`Synonyms`' fields.
GROUPS = ("fields", "claimed", "agreement", "pump_priming")

_DATE = re.compile(r"@?\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_FY = re.compile(r"\b(?:19|20)?\d{2}\s*[/-]\s*(?:19|20)?\d{1,2}\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_MONTHS = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b")
_NONWORD = re.compile(r"[^a-z0-9]+")


def normalise(text: object) -> str:
    """Header text as matched: lower case, dates and years removed, words only."""
    return _normalise(str(text or ""))


@functools.lru_cache(maxsize=65536)
def _normalise(text: str) -> str:
    s = text.lower().replace("&", " and ").replace("%", " ")
    s = _DATE.sub(" ", s)
    s = _FY.sub(" ", s)
    s = _YEAR.sub(" ", s)
    s = _MONTHS.sub(" ", s)
    s = s.replace("un-", "un ").replace("non-", "non ")
    s = _NONWORD.sub(" ", s)
    return " ".join(
        w for w in s.split() if w not in ("at", "as", "in", "for", "of the", "per cent")
    )


@dataclass(frozen=True)
class Synonyms:
    """Phrases per canonical field, in four groups: input ``fields``, ``claimed`` figures,
    ``agreement`` labels, and the columns of a ``pump_priming`` table."""

    fields: Mapping[str, tuple[str, ...]]
    claimed: Mapping[str, tuple[str, ...]]
    agreement: Mapping[str, tuple[str, ...]]
    pump_priming: Mapping[str, tuple[str, ...]]

    def columns(self) -> dict[str, tuple[str, ...]]:
        """Table column phrases: input fields and claimed figures together."""
        return {**self.fields, **self.claimed}


def _parse(
    text: str, source: str, known: dict[str, set[str]] | None = None
) -> dict[str, dict[str, list[str]]]:
    """A synonyms file's sections. ``known``: the field names each section may hold (a user's
    file naming any other, such as a misspelt "expectd", is refused rather than ignored)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(
            f"header synonyms file is not valid TOML: {exc}", workbook=source
        ) from None
    unknown = set(data) - set(GROUPS)
    if unknown:
        raise LayoutError(
            f"unknown section(s) {', '.join(f'[{u}]' for u in sorted(unknown))}; a header "
            "synonyms file has only " + ", ".join(f"[{g}]" for g in GROUPS),
            workbook=source,
        )
    out: dict[str, dict[str, list[str]]] = {}
    for group in GROUPS:
        table = data.get(group, {})
        if not isinstance(table, dict) or not all(
            isinstance(v, list) and all(isinstance(p, str) for p in v) for v in table.values()
        ):
            raise LayoutError(
                f"[{group}] must map field names to lists of phrases, such as "
                'expected = ["Business plan figure"]',
                workbook=source,
            )
        if known is not None:
            wrong = sorted(set(table) - known[group])
            if wrong:
                raise LayoutError(
                    f"[{group}] has no field {', '.join(map(repr, wrong))}; its fields are "
                    + ", ".join(sorted(known[group])),
                    workbook=source,
                )
        out[group] = table
    return out


@functools.lru_cache(maxsize=1)
def _built_in() -> dict[str, dict[str, list[str]]]:
    """headers.toml parsed once a process (the returns of a folder share it; not mutated)."""
    return _parse(
        resources.files(__package__).joinpath("headers.toml").read_text("utf-8"), "headers.toml"
    )


def load_synonyms(extra: Iterable[str | Path] = ()) -> Synonyms:
    """The built-in synonyms plus those of each file in ``extra`` (added before the built-in
    phrases, not replacing them). A file that cannot be read, is not UTF-8 or TOML, or names a
    section or field lpsa-xl does not know raises :class:`LayoutError` in one line."""
    base = {group: dict(table) for group, table in _built_in().items()}
    known = {g: set(base[g]) for g in GROUPS}
    for path in extra:
        try:
            text = Path(path).read_bytes().decode("utf-8")
        except OSError as exc:
            raise LayoutError(
                f"cannot read header synonyms: {exc.strerror}", workbook=path
            ) from None
        except UnicodeDecodeError as exc:
            raise LayoutError(
                f"header synonyms file is not UTF-8 text (byte {exc.start + 1} is "
                f"0x{exc.object[exc.start]:02x}); save it as UTF-8",
                workbook=path,
            ) from None
        for group, table in _parse(text, str(path), known).items():
            for name, phrases in table.items():
                base[group][name] = phrases + base[group].get(name, [])
    return Synonyms(*({k: tuple(v) for k, v in base[g].items()} for g in GROUPS))


def score(header: str, phrases: Sequence[str]) -> tuple[float, str]:
    """How well a normalised ``header`` matches the best of ``phrases``, and the phrase; 0 when
    none matches. An exact match scores its words + 0.5; a phrase inside a longer header scores
    its words times the share of the header it covers, so "target" inside "council target
    report notes" scores little, and a phrase covering less than a quarter of the header (a
    word of a title such as "LPSA2 stretch targets, final position") not at all."""
    words = header.split()
    padded = f" {header} "
    best, which = 0.0, ""
    for tokens, exact_only, phrase in _prepared(tuple(phrases)):
        n = len(tokens)
        if words == list(tokens):
            s = n + (0.4 if exact_only else 0.5)  # a plain phrase wins a tie
        elif exact_only or f" {' '.join(tokens)} " not in padded or n * 4 < len(words):
            continue  # absent, or a word or two lost in a sentence (a title, a note)
        else:
            s = n * n / len(words)
        if s > best:
            best, which = s, phrase
    return best, which


@functools.lru_cache(maxsize=256)
def _prepared(phrases: tuple[str, ...]) -> list[tuple[tuple[str, ...], bool, str]]:
    out = []
    for phrase in phrases:
        exact_only = phrase.startswith("=")
        tokens = tuple(normalise(phrase[1:] if exact_only else phrase).split())
        if tokens:
            out.append((tokens, exact_only, phrase))
    return out
