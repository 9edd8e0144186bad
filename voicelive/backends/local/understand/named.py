"""What was named, and for which tool: the checks behind taking a value as said.

A name no list knows is taken where it is named as had ("I had a samosa"), a thing named
before "with" is what was had ("a Kit Kat with my cuppa"), a bare count binds only to a tool
whose subject is said, and a follow-up keeps the measure of the call before. Used by
:func:`~.assign.read_tool`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from voicelive.tools.hints import Vocabulary

from .catalog import ParamInfo, ToolInfo
from .clause import Clause
from .reading import Reading
from .text import Lexicon, find_phrases
from .values import HIGH, MEDIUM, Hit, ValueIndex

__all__ = ["answered_by_name", "asked_in", "asked_of", "known_elsewhere", "named_as_had",
           "named_before", "same_measure", "subject_said", "topping", "whole_names"]


def named_as_had(clause: Clause, hit: Hit, lexicon: Lexicon, used: Sequence[Hit]) -> bool:
    """Whether a short name right after "had a", "ate two" ... is what was had.

    Only the name of the thing follows the verb: a determiner, an amount or a filler may
    stand between, nothing else ("I had a samosa", "ate like two Tim Tams", "had half a
    Nanaimo bar").
    """
    words = clause.words
    lang = lexicon.language
    if (not 0 < hit.end - hit.start <= 3 or clause.question or clause.hypothetical
            or any(w in lang.not_values or w in lang.sizes or w in lang.portions
                   or not lexicon.is_content(w)
                   for w in words[hit.start:hit.end])):  # "I ate the whole thing"
        return False
    at = hit.start
    amount = next((h for h in used if h.end == at and h.kind == "vocab"), None)
    if amount is not None:
        at = amount.start
    aside = {i for a, b in find_phrases(words, lang.fillers) for i in range(a, b)}
    while at > 0 and (words[at - 1] in ("a", "an", "the", "some", "one", "another", "half", ",")
                      or words[at - 1][0].isdigit() or words[at - 1] in lexicon.filler_words
                      or words[at - 1] in lang.colouring  # "had a cheeky Kit Kat"
                      or at - 1 in aside):  # "had a, what do you call it, a samosa"
        at -= 1
    if at > 0 and words[at - 1] in ("and", "plus") and clause.reports and all(
            w in lexicon.filler_words or not w[0].isalnum() for w in words[:at - 1]):
        return True  # "oh and a Tim Tam after", adding to what was had the turn before
    # "log a Tim Tam": a thing asked to be logged, after its article
    logged = at > 0 and words[at - 1] in lang.logging_verbs and words[at] in (
        "a", "an", "some") and all(i in clause.foreign for i in range(hit.start, hit.end))
    return at > 0 and (words[at - 1] in lang.naming_verbs or logged)


def answered_by_name(clause: Clause, hit: Hit, lexicon: Lexicon, used: Sequence[Hit]) -> bool:
    """Whether the clause is a name and little else: the answer to "Which food?".

    "A Cadbury Freddo.", "um, a burrito from Chipotle", "just two Tim Tams": before the name
    only an article, an amount or a filler; "I don't know" or "I forgot" names nothing.
    """
    words = clause.words
    lang = lexicon.language
    if (clause.question or clause.hypothetical or not 0 < hit.end - hit.start <= 4
            or any(w in lang.stop or not lexicon.is_content(w) for w in words[hit.start:hit.end])):
        return False  # "the weather is nice" is no name
    at = hit.start
    amount = next((h for h in used if h.end == at), None)
    if amount is not None:
        at = amount.start
    while at > 0 and (words[at - 1] in ("a", "an", "the", "some", "one", "two", "just", "only",
                                         "half", ",", "oh", "it", "was", "it's", "that's")
                      or words[at - 1][0].isdigit() or words[at - 1] in lexicon.filler_words
                      or words[at - 1] in lang.colouring):
        at -= 1
    return at == 0


def same_measure(info: ToolInfo, clause: Clause, reading: Reading,
                  previous: Mapping[str, Any], lexicon: Lexicon) -> tuple[str, ...]:
    """Optional measures a follow-up takes from the call before.

    "And the same amount of rice?" after "a bowl of pasta": a bowl; "I just drank one" after
    "a glass of milk": one glass. A measure of a closed list, said as "a ... of" before.
    """
    said_same = bool(find_phrases(clause.words, lexicon.language.same_measure))
    taken: list[str] = []
    for p in info.params:
        before = previous.get(p.name)
        if (p.required or before in (None, "") or p.vocabulary is None
                or not p.vocabulary.closed):
            continue
        now = reading.args.get(p.name)
        if (now in (None, "") and said_same) or (
                str(now) == "1" and str(before).startswith("a ") and str(before).endswith(" of")):
            reading.args[p.name] = before
            reading.confidence[p.name] = HIGH
            taken.append(p.name)
    return tuple(taken)


def subject_said(info: ToolInfo, clause: Clause, lexicon: Lexicon) -> bool:
    """Whether the clause says what the tool is about: one of its strong cues, or its unit.

    "My mood's a seven" for ``rate_mood``, "glucose one twenty" for a blood sugar tool,
    "really hungry" for ``rate_hunger``, "ran for 30" for ``log_activity``, "sugar" for a
    tool about "blood glucose (blood sugar)"; the generic verb of a name ("log") and a word
    many tools share ("had") do not count.
    """
    strong = [c for c, w in info.cues.items() if w >= 1.0 and c != "log" and c[0] != "{"]
    units = lexicon.language.units
    wanted = {p.unit for p in info.params if p.unit}
    for w in clause.words:
        if not (w[0].isalpha() and lexicon.is_content(w)):
            continue
        c = lexicon.concept(w)
        if c in strong or units.get(w, ("",))[0] in wanted or lexicon.stem(w) in info.own or any(
                len(c) >= 5 and len(s) >= 5 and c[:4] == s[:4] for s in strong):
            return True
    return False


def known_elsewhere(param: ParamInfo, hit: Hit, index: ValueIndex) -> bool:
    """Whether another open list knows the words that ``param``'s list does not.

    "I had hockey practice": no food, but an activity; the thing named as had is for the
    tool whose list knows it, never written as a food.
    """
    return index.plausible(str(hit.value), besides=param.vocabulary)


def asked_in(clause: Clause, hit: Hit) -> bool:
    """Whether a value comes right after the "in" of a question ("calories in a scone")."""
    words = clause.words
    at = hit.start - 1
    while at >= 0 and words[at] in ("a", "an", "the", "some", "one", "my"):
        at -= 1
    return clause.question and at >= 0 and words[at] == "in"


def topping(clause: Clause, hit: Hit) -> bool:
    """Whether a value follows "with" after a value of its own list.

    "A bagel with cream cheese", "a scone with jam": what came with the thing, not the thing.
    """
    words = clause.words
    at = hit.start - 1
    while at >= 0 and words[at] in ("a", "an", "the", "some", "my", "extra", "and"):
        at -= 1
    return at > 0 and words[at] in ("with", "plus", "topped") and any(
        h.kind == "vocab" and h.vocab == hit.vocab and h.end <= at for h in clause.hits)


def named_before(clause: Clause, hit: Hit, vocabulary: Vocabulary, lexicon: Lexicon) -> bool:
    """Whether a thing its list finds plausible is named right before "with" and ``hit``.

    "I had a cheeky Kit Kat with my cuppa": the name after "a" (and words that colour it)
    is what was had, even when its list knows only what it came with; a name its list does
    not know counts when it is named as had ("had a sneaky Crunchie with my coffee").
    """
    words = clause.words
    lang = lexicon.language
    at = hit.start - 1
    if at >= 0 and lexicon.is_content(words[at]) and not any(
            h.start <= at < h.end for h in clause.hits):
        at -= 1  # "with semi skimmed milk": a word that says which
    while at >= 0 and words[at] in ("a", "an", "the", "some", "my", "his", "her", "our"):
        at -= 1
    if at < 2 or words[at] not in ("with", "alongside"):
        return False
    end = at
    start = end
    while start > 0 and end - start < 3 and words[start - 1][0].isalpha() and (
            lexicon.is_content(words[start - 1])) and words[start - 1] not in lang.colouring:
        start -= 1
    if start == end or not (words[start - 1] in ("a", "an", "some", "one", "two", "the", "of",
                                                 *lang.colouring)
                            or words[start - 1].isdigit()) or any(  # "had 2 Tim Tams"
            h.start < end and start < h.end for h in clause.hits):
        return False
    plausible = vocabulary.plausible
    if plausible is not None and plausible(" ".join(words[start:end])):
        return True
    at = start  # "I had a sneaky Crunchie with my coffee": named as had, known or not
    if at > 2 and words[at - 1] == "of":
        at -= 2  # "a bowl of Weetabix with milk"
    while at > 0 and (words[at - 1] in ("a", "an", "some", "one", "two", "the", "couple")
                      or words[at - 1].isdigit() or words[at - 1] in lang.colouring):
        at -= 1
    return at > 0 and words[at - 1] in lang.naming_verbs and end - start <= 2


def asked_of(clause: Clause, reading: Reading, lexicon: Lexicon) -> bool:
    """Whether a value no list knows is what a question asks about ("calories in a samosa?").

    A short phrase right after "in", "of" or "for" (and a determiner), in a question or a
    request ("look up the calories in a Tim Tam") with a cue of the tool and no other word
    left unexplained but words naming the figure ("count", "content").
    """
    hit = reading.unclear[reading.missing[0].name]
    words = clause.words
    i = hit.start
    while i > 0 and words[i - 1] in ("a", "an", "the", "some", "one"):
        i -= 1
    lang = lexicon.language
    first = next((w for w in words if w[0].isalnum()), "")
    asked = clause.question or clause.opener or first in lang.request_verbs  # "look up ..."
    if not (asked and reading.evidence >= 0.5 and 0 < hit.end - hit.start <= 3
            and i > 0 and words[i - 1] in ("in", "of", "for")):
        return False
    cues = reading.info.cues
    # "the calorie count for a bowl of pozole": a word that names the figure asked for
    return all(cues.get(c, 0.0) > 0.0 or c in ("{?}",) or words[s] in lang.figure_words
               for s, _, c in clause.evidence
               if not hit.start <= s < hit.end and lexicon.is_content(words[s])
               and not any(a <= s < b for a, b in clause.context))


def whole_names(reading: Reading, clause: Clause, lexicon: Lexicon, used: list[Hit], *,
                 answering: bool = False) -> None:
    """A known thing followed by the rest of its name takes the whole name.

    "Three chicken tamales", "a cheese toastie": the word the list knows is the first of the
    name, and the whole is what was had (a write of "chicken" alone would log another food).
    The words after it must end the phrase and the whole must be plausible to the list, or
    be the answer to its question ("Which food?" - "A vegetable samosa.").
    """
    words = clause.words
    lang = lexicon.language
    taken = {i for h in clause.hits for i in range(h.start, h.end)} | {
        i for a, b in clause.context for i in range(a, b)}
    for p in reading.info.params:
        hit = reading.hits.get(p.name)
        vocab = p.vocabulary
        if (hit is None or hit.kind != "vocab" or vocab is None or vocab.closed
                or vocab.plausible is None):
            continue
        end = None
        for j in (hit.end + 1, hit.end + 2):
            rest = words[hit.end:j]
            if len(rest) < j - hit.end or any(
                    i in taken or not w.isalpha() or not lexicon.is_content(w)
                    or w in lang.stop or w in lang.vague or w in lang.not_values
                    or w in lang.context_heads or w in lexicon.filler_words
                    or w.endswith("ly") for i, w in zip(range(hit.end, j), rest, strict=True)):
                break
            after = words[j] if j < len(words) else "."
            if (after[0].isalnum() and after not in lang.stop and after not in lang.context_heads
                    and after not in lang.modifiers):
                continue  # the phrase goes on: not yet its end
            whole = Hit(hit.start, j, "text", " ".join(words[hit.start:j]))
            if vocab.plausible(str(whole.value)) or (
                    answering and answered_by_name(clause, whole, lexicon, used)):
                end = j
        if end is None:
            continue
        whole = Hit(hit.start, end, "text", " ".join(words[hit.start:end]), confidence=MEDIUM)
        used[:] = [whole if u is hit else u for u in used]
        reading.args[p.name], reading.hits[p.name] = whole.value, whole
        reading.confidence[p.name] = MEDIUM
