"""Parts of a clause read from its words alone: subject, context, describers.

Helpers of :meth:`~.clause.Clause.read`: the first word after fillers, the subject and
whether it is someone else ("my friend skipped breakfast"), the trailing context that never
carries a request ("after work", "while nobody was looking", "at the market"), and the words
that describe a value ("my usual apple").
"""

from __future__ import annotations

from collections.abc import Sequence

from .concepts import DETERMINERS
from .text import Lexicon, find_phrases
from .values import Hit, ValueIndex

__all__ = ["context_ranges", "describers", "first_after_fillers", "opener_asks",
           "others_subject", "subject_word"]


def first_after_fillers(words: Sequence[str], lexicon: Lexicon) -> str | None:
    """The first word after the fillers a clause opens with ("um, so, can you": "can")."""
    spans = find_phrases(words, lexicon.language.fillers)
    i = 0
    for start, end in spans:
        if start != i:
            break
        i = end
    return words[i] if i < len(words) else None


def subject_word(words: Sequence[str], lexicon: Lexicon) -> str:
    """The first word after leading fillers and context (the subject, as a rule)."""
    i = 0
    spans = sorted(find_phrases(list(words), lexicon.language.fillers)
                   + list(context_ranges(words, lexicon)))
    for start, end in spans:
        if start > i:
            break
        i = max(i, end)
    return words[i] if i < len(words) else ""


def others_subject(words: Sequence[str], lexicon: Lexicon) -> bool:
    """Whether the subject of a clause is another person ("my friend skipped breakfast").

    The subject is read after leading fillers and context ("yesterday"): a pronoun of
    :attr:`~.language.Language.others`, or a determiner and (within two more words) a noun of
    :attr:`~.language.Language.people`. "My wife and I" includes the user.
    """
    lang = lexicon.language
    i = 0
    spans = sorted(find_phrases(list(words), lang.fillers) + list(context_ranges(words, lexicon)))
    for start, end in spans:
        if start > i:
            break
        i = max(i, end)
    if i >= len(words):
        return False
    # "my wife and I" is a subject that includes the user; "my sister baked cookies and I
    # had two" is two subjects, the second the user's
    if any(s <= i + 3 for s, _ in find_phrases(list(words), lang.with_me)):
        return False
    first = words[i]
    if first in lang.others:
        return True
    if first in DETERMINERS:
        return any(w in lang.people or lexicon.stem(w) in lang.people
                   for w in words[i + 1:i + 4])
    return False


def opener_asks(words: Sequence[str], lexicon: Lexicon) -> bool:
    """Whether a clause opened by "can you" asks a question ("can you tell me how much")."""
    first = first_after_fillers(words, lexicon)
    return first is not None and first in {"what", "how", "which", "whats", "what's", "is",
                                           "are", "do", "does", "when", "where", "why"}


def describers(words: Sequence[str], hits: Sequence[Hit], index: ValueIndex,
                lexicon: Lexicon) -> list[tuple[int, int]]:
    """Plain words that describe a value of an open list: "my red apple", "the usual pasta".

    A word no tool knows, between a determiner and the value, says which one or what kind;
    it is no evidence against a tool ("I swapped my usual apple for a pear").
    """
    out: list[tuple[int, int]] = []
    for hit in hits:
        i = hit.start - 1
        if (hit.kind != "vocab" or index.vocabularies[hit.vocab].closed or i < 1
                or words[i - 1] not in DETERMINERS):
            continue
        word = words[i]
        if (word[0].isalpha() and lexicon.is_content(word)
                and lexicon.concept(word) == lexicon.stem(word)
                and word not in lexicon.language.negations
                and not any(h.start <= i < h.end for h in hits)):
            out.append((i, i + 1))
    return out


def context_ranges(words: Sequence[str], lexicon: Lexicon) -> list[tuple[int, int]]:
    """Token ranges of context: "after work", "with my kids", "while nobody was looking"."""
    lang = lexicon.language
    ranges = list(find_phrases(words, lang.context))
    said = [i for i, w in enumerate(words) if w[0].isalnum()]
    if len(said) >= 4 and words[said[-3]] in ("at", "from") and (
            words[said[-2]] in ("the", "my", "our")):
        ranges.append((said[-3], said[-1] + 1))  # "... at the market": where, at the end
    polite = {a for a, _ in find_phrases(words, lang.fillers)}  # "while you're at it"
    for i, word in enumerate(words):  # "I ate a Twix while nobody was looking"
        if i > 2 and word in lang.subordinators and i not in polite:
            end = next((j for j in range(i + 1, len(words)) if not words[j][0].isalnum()
                        and words[j][0] != "'"), len(words))
            ranges.append((i, end))
    for i, word in enumerate(words):
        if word in lang.context_heads:
            j = i + 1
            while j < len(words) and j < i + 3 and words[j] in DETERMINERS:
                j += 1
            if j < len(words) and (words[j] in lang.context_nouns
                                   or lexicon.stem(words[j]) in lang.context_nouns):
                ranges.append((i, j + 1))
    return ranges
