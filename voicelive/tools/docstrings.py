"""Read a function's description and per-parameter texts from its docstring.

Three styles are understood, and may even be mixed:

* Google: an ``Args:`` (or ``Arguments:``, ``Parameters:``, ``Params:``) section whose entries
  are ``name (type): text`` or ``name: text``, continued on more-indented lines.
* NumPy: a ``Parameters`` heading underlined with dashes, entries ``name : type`` followed by
  indented text.
* Sphinx: ``:param name: text`` or ``:param type name: text`` fields.

The description is the prose before the first section or field (the summary line and any
paragraphs after it), with paragraphs kept and lines inside a paragraph joined by spaces.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

__all__ = ["Docstring", "parse_docstring"]

_GOOGLE_PARAM_HEADINGS = frozenset({"args", "arguments", "parameters", "params"})
_GOOGLE_HEADINGS = _GOOGLE_PARAM_HEADINGS | frozenset(
    {
        "returns", "return", "yields", "yield", "raises", "raise", "except", "exceptions",
        "examples", "example", "note", "notes", "attributes", "warning", "warnings", "see also",
        "references", "todo", "keyword args", "keyword arguments", "other parameters",
        "receives", "methods",
    }
)
_GOOGLE_HEADING = re.compile(r"^([A-Za-z][A-Za-z ]*):\s*$")
_GOOGLE_ENTRY = re.compile(r"^\*{0,2}([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$")
_NUMPY_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")
_NUMPY_ENTRY = re.compile(r"^\*{0,2}([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)"
                          r"\s*(?::\s*(.*))?$")
_SPHINX_FIELD = re.compile(r"^:([A-Za-z]+)(?:\s+([^:]*?))?:\s*(.*)$")
_SPHINX_PARAM_KINDS = frozenset({"param", "parameter", "arg", "argument", "key", "keyword"})


@dataclass(frozen=True, slots=True)
class Docstring:
    """What a docstring says that a tool declaration can use.

    Attributes:
        description: Summary and extended description, sections removed.
        params: Text for each documented parameter, by name.
    """

    description: str = ""
    params: dict[str, str] = field(default_factory=dict)


def parse_docstring(doc: str | None) -> Docstring:
    """Parse a docstring written in Google, NumPy or Sphinx style.

    Args:
        doc: The raw docstring (``fn.__doc__``); ``None`` gives an empty result.

    Returns:
        The description and the per-parameter texts found.
    """
    if not doc:
        return Docstring()
    lines = inspect.cleandoc(doc).splitlines()
    params: dict[str, str] = {}
    prose: list[str] = []
    i = 0
    in_prose = True
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        heading = _GOOGLE_HEADING.match(line)
        title = heading.group(1).strip().lower() if heading else ""
        if title in _GOOGLE_HEADINGS:
            in_prose = False
            end = _section_end(lines, i + 1)
            if title in _GOOGLE_PARAM_HEADINGS:
                params.update(_google_params(lines[i + 1 : end]))
            i = end
            continue
        if i + 1 < len(lines) and stripped and _NUMPY_UNDERLINE.match(lines[i + 1]):
            in_prose = False
            end = _numpy_section_end(lines, i + 2)
            if stripped.lower() in {"parameters", "other parameters", "params", "arguments"}:
                params.update(_numpy_params(lines[i + 2 : end]))
            i = end
            continue
        sphinx = _SPHINX_FIELD.match(stripped)
        if sphinx:
            in_prose = False
            end = _field_end(lines, i + 1)
            kind, target, first = sphinx.groups()
            if kind.lower() in _SPHINX_PARAM_KINDS and target:
                name = target.split()[-1]
                params[name] = _join([first, *(ln.strip() for ln in lines[i + 1 : end])])
            i = end
            continue
        if in_prose:
            prose.append(stripped)
        i += 1
    return Docstring(description=_paragraphs(prose), params=params)


def _section_end(lines: list[str], start: int) -> int:
    """Return the index after a Google section body (indented or blank lines)."""
    i = start
    while i < len(lines) and (not lines[i].strip() or lines[i][:1].isspace()):
        i += 1
    return i


def _numpy_section_end(lines: list[str], start: int) -> int:
    """Return the index of the next NumPy heading (a line followed by dashes) or the end."""
    i = start
    while i < len(lines):
        if i + 1 < len(lines) and lines[i].strip() and _NUMPY_UNDERLINE.match(lines[i + 1]):
            return i
        i += 1
    return i


def _field_end(lines: list[str], start: int) -> int:
    """Return the index after a Sphinx field's continuation lines."""
    i = start
    while i < len(lines) and lines[i][:1].isspace() and lines[i].strip():
        i += 1
    return i


def _google_params(body: list[str]) -> dict[str, str]:
    """Parse the entries of a Google ``Args:`` section."""
    out: dict[str, str] = {}
    indent = min((_indent(ln) for ln in body if ln.strip()), default=0)
    name: str | None = None
    parts: list[str] = []
    for line in body:
        if line.strip() and _indent(line) == indent:
            match = _GOOGLE_ENTRY.match(line.strip())
            if match:
                if name is not None:
                    out[name] = _join(parts)
                name, parts = match.group(1), [match.group(3)]
                continue
        if name is not None:
            parts.append(line.strip())
    if name is not None:
        out[name] = _join(parts)
    return out


def _numpy_params(body: list[str]) -> dict[str, str]:
    """Parse the entries of a NumPy ``Parameters`` section."""
    out: dict[str, str] = {}
    names: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        for n in names:
            out[n] = _join(parts)

    for line in body:
        if line.strip() and not line[:1].isspace():
            match = _NUMPY_ENTRY.match(line.strip())
            if match:
                flush()
                names = [n.strip().lstrip("*") for n in match.group(1).split(",")]
                parts = []
                continue
        if names:
            parts.append(line.strip())
    flush()
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _join(parts: list[str]) -> str:
    """Join continuation lines into one line of text."""
    return " ".join(p for p in (s.strip() for s in parts) if p)


def _paragraphs(lines: list[str]) -> str:
    """Join lines into paragraphs separated by blank lines."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)
