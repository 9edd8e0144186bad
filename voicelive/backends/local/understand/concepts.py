"""The words of clauses and templates: evidence words, skeletons, expanded templates.

:func:`analyse` reads the words that are evidence for a tool (fillers and stop words dropped,
absence phrases and negations as the ``skip`` concept, vague words as ``{?}``);
:func:`skeleton` keeps every word, for matching whole templates; :func:`expand_template`
turns a template (hassil syntax: ``"[i] (skipped|missed) {meal}"``) into the sentences it
stands for.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .language import Language
from .text import Lexicon, find_phrases

__all__ = ["DETERMINERS", "analyse", "concepts_of", "expand_template", "skeleton"]

DETERMINERS = frozenset(["a", "an", "the", "my", "our", "his", "her", "their", "some",
                          "this", "that"])


def analyse(words: Sequence[str], lexicon: Lexicon) -> list[tuple[int, int, str]]:
    """Evidence words of ``words`` as ``(start, end, concept)``.

    Fillers and stop words are dropped, absence phrases ("didn't get to") and negations read
    as the ``skip`` concept, vague words ("something") as ``{?}``; ``{slot}`` placeholders
    are kept.
    """
    lang = lexicon.language
    taken = [False] * len(words)
    out: list[tuple[int, int, str]] = []
    phrases = dict(lang.phrase_concepts)
    for start, end in find_phrases(words, tuple(phrases)):  # "wasn't planned": unplanned
        out.append((start, end, lexicon.concept(phrases[" ".join(words[start:end])])))
        taken[start:end] = [True] * (end - start)
    for start, end in find_phrases(words, lang.fillers):  # "no wait" before "no"
        if end - start > 1 and not any(taken[start:end]):
            taken[start:end] = [True] * (end - start)
    for i in _interjections(words, lang):
        taken[i] = True  # "No, sorry, 1700.": a no that answers, not one that negates
    for start, end in lexicon.absences(words):
        if not any(taken[start:end]):
            out.append((start, end, "skip"))
            taken[start:end] = [True] * (end - start)
    for start, end in find_phrases(words, lang.fillers):
        if not any(taken[start:end]):
            taken[start:end] = [True] * (end - start)
    for i, word in enumerate(words):
        if taken[i]:
            continue
        if word.startswith("{"):
            out.append((i, i + 1, word))
        elif word in lang.vague:
            out.append((i, i + 1, "{?}"))
        elif word in lang.negations:
            out.append((i, i + 1, "skip"))  # "I never had breakfast"
        elif word in ("have", "has", "had", "having") and words[i + 1:i + 2] == ["to"]:
            continue  # "I have to be careful with my sugar": a duty, nothing had
        elif lexicon.is_content(word) and len(word) > 1:
            out.append((i, i + 1, lexicon.concept(word)))
    out.sort()
    return out


def _interjections(words: Sequence[str], lang: Language) -> list[int]:
    """Indices of a "no" said on its own: first in the clause and followed by a comma or the end.

    "No, sorry, 1700.", "no, that's wrong": an answer; "no breakfast today" negates.
    """
    first = next((i for i, w in enumerate(words) if w[0].isalnum()), None)
    if first is None or not (words[first] in lang.negations and words[first] in lang.corrections):
        return []
    nxt = words[first + 1] if first + 1 < len(words) else "."
    return [first] if not nxt[0].isalnum() else []


def skeleton(words: Sequence[str], lexicon: Lexicon,
             *, fillers: bool = False) -> list[tuple[int, int, str]]:
    """Every word of ``words`` as ``(start, end, token)``, for matching whole templates.

    Like :func:`analyse`, but stop words are kept (as themselves) and only single-word fillers
    are dropped ("tell me" may be part of a template), or every filler with ``fillers``.
    """
    lang = lexicon.language
    out: list[tuple[int, int, str]] = []
    taken = [False] * len(words)
    if fillers:
        for start, end in find_phrases(words, lang.fillers):
            taken[start:end] = [True] * (end - start)
    interjections = _interjections(words, lang)
    for start, end in lexicon.absences(words):
        if start not in interjections:
            out.append((start, end, "skip"))
            taken[start:end] = [True] * (end - start)
    for i in interjections:
        taken[i] = True
    for i, word in enumerate(words):
        if taken[i] or not (word[0].isalnum() or word[0] in "{'"):
            continue
        if word in lexicon.filler_words:  # single-word fillers only: "tell me" may be meant
            continue
        if word in DETERMINERS and word not in lang.vague:
            continue
        if word.startswith("{") or word in lang.stop:
            out.append((i, i + 1, word))
        else:
            out.append((i, i + 1, lexicon.concept(word)))
    out.sort()
    return out


def concepts_of(words: Sequence[str], lexicon: Lexicon) -> list[str]:
    """The evidence concepts of ``words``, in order (see :func:`analyse`)."""
    return [c for _, _, c in analyse(words, lexicon)]


_MAX_EXPANSIONS = 96
"""Most sentences one template expands into (bounded work per tool set)."""


def expand_template(template: str, limit: int = _MAX_EXPANSIONS) -> list[str]:
    """The sentences a hassil-style template stands for (at most ``limit`` of them).

    ``(a|b)`` alternatives and ``[x]`` optional parts are expanded, ``{slot}`` kept as is.
    """
    pos = 0

    def seq(stop: str) -> list[str]:
        nonlocal pos
        out = [""]
        while pos < len(template) and template[pos] not in stop:
            ch = template[pos]
            if ch in "([":
                pos += 1
                options = alts(")" if ch == "(" else "]")
                if ch == "[":
                    options = [*options, ""]
                out = [a + b for a, b in itertools.islice(itertools.product(out, options),
                                                          limit)]
            elif ch == "{":
                end = template.find("}", pos)
                end = len(template) - 1 if end < 0 else end
                out = [o + template[pos:end + 1] for o in out]
                pos = end + 1
            elif ch == "<":
                end = template.find(">", pos)
                pos = len(template) if end < 0 else end + 1
            else:
                out = [o + ch for o in out]
                pos += 1
        return out

    def alts(close: str) -> list[str]:
        nonlocal pos
        options: list[str] = []
        while True:
            options += seq("|" + close)
            if pos >= len(template) or template[pos] == close:
                pos += 1
                return options[:limit]
            pos += 1  # "|"

    return [" ".join(s.split()) for s in seq("")][:limit]
