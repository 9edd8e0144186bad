"""How well one tool fits one clause: its arguments from the clause's values, and a score.

:func:`read_tool` gives each parameter the value that fits it best (a vocabulary phrase of
its own vocabulary, a number in its unit and bounds, else free text the vocabulary finds
plausible), then adds up the evidence: cue words of the tool, word pairs of its templates,
required values found or missing, values left over, and the kind of sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .catalog import ParamInfo, ToolInfo
from .clause import Clause
from .evidence import score
from .freetext import free_text, out_of_context
from .named import (
    answered_by_name,
    asked_in,
    asked_of,
    known_elsewhere,
    named_as_had,
    named_before,
    same_measure,
    subject_said,
    topping,
    whole_names,
)
from .reading import Reading
from .text import Lexicon, find_phrases
from .values import HIGH, LOW, MEDIUM, Hit, ValueIndex

__all__ = ["Reading", "read_tool"]


def _fits(p: ParamInfo, hit: Hit, vid: int, units_taken: set[str]) -> float | None:
    """How well ``hit`` fits parameter ``p`` (``None``: not at all)."""
    if hit.kind == "vocab":
        return 2.0 + 0.3 * (hit.end - hit.start) if vid >= 0 and hit.vocab == vid else None
    if hit.kind != "number" or p.kind not in ("integer", "number"):
        return None
    if (p.unit is not None and hit.unit is not None and hit.unit != p.unit
            and hit.unit not in p.measures):
        return None
    if p.unit is None and hit.unit is not None and hit.unit in units_taken:
        return None
    value = _in_unit(p, hit)
    if p.kind == "integer" and not value.is_integer():
        return None
    if (p.minimum is not None and value < p.minimum) or (
            p.maximum is not None and value > p.maximum):
        return None
    if p.unit is not None and hit.unit is None:
        return 1.2  # "I had two" is no amount of water: a unit said makes a measure
    return 2.5 if p.unit is not None and (hit.unit == p.unit or hit.unit in p.measures) else 1.8


def _in_unit(p: ParamInfo, hit: Hit) -> float:
    """The number ``hit`` in the parameter's own unit ("8 hours" is 480 min, 8 for ``hours``)."""
    value = float(hit.value)
    if hit.unit is not None and hit.unit in p.measures:
        return round(value * p.measures[hit.unit], 6)  # "2 glasses": 500 ml
    if p.unit is not None and hit.unit == p.unit and p.scale != 1.0:
        value = round(value / p.scale, 6)
    return value


def _marked_old(clause: Clause, hit: Hit, lexicon: Lexicon) -> bool:
    words = clause.words
    lang = lexicon.language
    for _, end in find_phrases(words, lang.marks_new):
        # "substitute quinoa for rice": the value after "for" is the one replaced
        joiner = next((i for i in range(end, len(words)) if words[i] == "for"), None)
        if joiner is not None:
            return joiner < hit.start <= joiner + 3 and not any(
                h.kind == "vocab" and h.vocab == hit.vocab and joiner < h.start < hit.start
                and not h.overlaps(hit) for h in clause.hits)
    new_at = {s for s, _ in find_phrases(words, lang.marks_new)}
    for start, end in find_phrases(words, lexicon.language.marks_old):
        # the first value after "instead of", "switch" ...: not "zucchini noodles" in
        # "switch the pasta to zucchini noodles", nor what is swapped in ("swap in rice cakes")
        if start in new_at:
            continue
        # an amount between does not count ("a decent swap for a cup of basmati rice")
        gap = sum(1 for i in range(end, hit.start) if not any(
            h.kind == "vocab" and h.vocab != hit.vocab and h.start <= i < h.end
            for h in clause.hits))
        # "switch it to rye bread": the value after "to" is what comes in, not what goes
        # (and "swap it for quinoa"; but "a decent swap for basmati rice" names what goes)
        turned = any(words[i] in ("to", "into") or (
            words[i] in ("for", "with") and any(w in ("it", "them", "that", "this", "those")
                                                for w in words[end:i]))
            for i in range(end, hit.start))
        if gap <= 3 and end <= hit.start and start < hit.start and not turned and not any(
                h.kind == "vocab" and h.vocab == hit.vocab and end <= h.start < hit.start
                and not h.overlaps(hit) for h in clause.hits):
            return True
    return False


def read_tool(
    info: ToolInfo,
    clause: Clause,
    index: ValueIndex,
    lexicon: Lexicon,
    previous: Mapping[str, Any] | None = None,
    *,
    answering: bool = False,
) -> Reading:
    """Read ``clause`` as a call of ``info``.

    Args:
        info: The tool.
        clause: The clause.
        index: The vocabularies (for their ids).
        lexicon: Words of the language.
        previous: Arguments of the previous call of this tool, for a follow-up: values the
            clause does not give are taken from it (required ones only).
        answering: ``previous`` holds the values of a question just asked: the clause is an
            answer, elliptical by nature.

    Returns:
        The reading, scored.
    """
    reading = Reading(info)
    vids = {p.name: index.id_of(p.vocabulary) for p in info.params}
    units_taken = {p.unit for p in info.params if p.unit}
    shared = {vid for vid in vids.values() if vid >= 0 and list(vids.values()).count(vid) > 1}
    candidates: list[tuple[float, int, ParamInfo, Hit]] = []
    units = lexicon.language.units
    for order, p in enumerate(info.params):
        for hit in clause.hits:
            counts_own = hit.end < len(clause.words) and lexicon.stem(clause.words[hit.end]) in {
                lexicon.stem(w) for w in (p.name, *p.label.split())}  # "four servings"
            if hit.kind == "number" and hit.unit is None and p.unit is not None and any(
                    h.kind == "vocab" and h.start <= hit.start and hit.end < h.end
                    for h in clause.hits) and not counts_own:
                continue  # "3" of "3 pieces of sushi" counts pieces, not millilitres
            if hit.kind == "number" and hit.unit is None and p.unit is not None \
                    and hit.value == 1 and not any(
                        units.get(w, ("",))[0] == p.unit for w in clause.words):
                continue  # "log one": a count of a thing, never one step or one minute
            if hit.kind == "number" and hit.unit is None and any(
                    h.kind == "number" and h.unit is not None and h.start == hit.end
                    for h in clause.hits):
                continue  # "2000 1800 calories", "20 30 minutes": said again, or a range
            if (p.kind == "string" and hit.start > 0  # not "rate my energy at 8"
                    and clause.words[hit.start - 1] in ("at", "till", "until")
                    and clause.tokens[hit.start].is_number and hit.end - hit.start == 1
                    and (hit.kind == "vocab" or hit.unit is None)
                    and _small(clause.tokens[hit.start].word)):
                continue  # "a bagel at 9": a time of day, not how many
            counted = clause.words[hit.end] if hit.end < len(clause.words) else ""
            if (hit.kind == "number" and hit.unit is None and p.unit is not None
                    and counted.endswith("s") and counted not in units
                    and lexicon.is_content(counted)
                    and info.cues.get(lexicon.concept(counted), 0.0) < 0.3
                    and not any(h.start <= hit.end < h.end for h in clause.hits)):
                continue  # "about forty lengths": a count of lengths, no weight in kilos
            if (hit.kind == "number" and hit.unit is None and previous is None
                    and clause.refers and p.kind in ("integer", "number")
                    and not subject_said(info, clause, lexicon)):
                continue  # "she baked muffins so I had one": a count, not a rating of one
            fit = _fits(p, hit, vids[p.name], units_taken)
            if (fit is None and hit.kind == "vocab" and p.kind == "string"
                    and p.vocabulary is None and not index.vocabularies[hit.vocab].closed):
                # "put eggs on the shopping list": a plain text takes a known thing, as said
                as_said = " ".join(clause.words[hit.start:hit.end])
                hit = Hit(hit.start, hit.end, "text", as_said, confidence=MEDIUM)
                fit = 1.0 + 0.1 * (hit.end - hit.start)
            if fit is None:
                continue
            if vids[p.name] in shared and p.role:
                old = _marked_old(clause, hit, lexicon)
                fit += 1.0 if (old == (p.role == "old")) else -1.0
            said = [c for s, _, c in clause.evidence if hit.start <= s < hit.end]
            if (not info.writes and hit.kind == "vocab" and said
                    and all(info.cues.get(c, 0.0) >= 0.5 for c in said)):
                # "how much sugar does a mango have": what a lookup is asked, not its value
                fit -= 1.0
            if hit.kind == "vocab" and hit.start > 0 and clause.words[hit.start - 1] == "not":
                fit -= 2.0  # "breakfast, not lunch": the value said not to be it
            if (hit.kind == "vocab" and index.vocabularies[hit.vocab].closed and hit.start > 0
                    and clause.words[hit.start - 1] in lexicon.language.copular_negations
                    and clause.words[hit.start - 1] != "not"):
                continue  # "my knees aren't great": never the value "great"
            if any(a <= hit.start < b for a, b in clause.soft):
                fit -= 0.5  # "to the gym and did an hour of weights": weights
            if (hit.kind == "vocab" and index.vocabularies[hit.vocab].closed and hit.start > 0
                    and clause.words[hit.start - 1] in lexicon.language.time_marks):
                continue  # "a Tim Tam after dinner", "a run before breakfast": when, not what
            if hit.kind == "vocab" and not p.role and topping(clause, hit):
                fit -= 0.5  # "a bagel with cream cheese": the bagel was had
            if (hit.kind == "vocab" and not p.role and p.vocabulary is not None and any(
                    named_before(clause, h, p.vocabulary, lexicon) for h in clause.hits
                    if h.vocab == hit.vocab and h.start <= hit.start and hit.end <= h.end)):
                continue  # "a cheeky Kit Kat with my cuppa": the Kit Kat was had
            if not info.writes and hit.kind == "vocab" and asked_in(clause, hit):
                fit += 0.3  # "calories in a scone ..., like for a cream tea": the scone
            if hit.kind == "number" and p.unit is not None and any(
                    w in p.label.split() and w != p.unit_word
                    for w in clause.words[max(0, hit.start - 3):hit.end + 2]):
                fit += 1.0  # "100 grams of protein" for protein_g
            before = _concept_before(clause, hit)
            if before is not None and before in info.left.get(p.name, ()):
                fit += 0.5
            fit -= 0.01 * abs(order - hit.start / 100)
            candidates.append((fit, -hit.start, p, hit))
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    used: list[Hit] = []
    for _, _, p, hit in candidates:
        if p.name in reading.args or any(hit.overlaps(u) for u in used):
            continue
        reading.args[p.name] = _in_unit(p, hit) if hit.kind == "number" else hit.value
        reading.hits[p.name] = hit
        reading.confidence[p.name] = (MEDIUM if hit.kind == "number" and p.unit is not None
                                      and hit.unit is None else hit.confidence)
        used.append(hit)
    whole_names(reading, clause, lexicon, used, answering=answering)
    # Free text before the previous call's values: "I ate half a sandwich" names a new food.
    free_text(reading, clause, lexicon, used)
    out_of_context(reading, clause, lexicon, used)
    _one_side(reading)
    _said_swap(reading, clause, lexicon)
    reading.fresh = len(reading.hits)
    # A clause leans on the previous call when it says so ("and dinner too", "make that 45")
    # or holds nothing but values ("a pear?"); one with words of its own is a new request.
    bare = not any(c != "{?}" and not any(h.start <= s < h.end for h in clause.hits)
                   and not any(a <= s < b for a, b in clause.context)  # "this morning"
                   for s, _, c in clause.evidence)
    elliptical = answering or clause.follow_up or bare or clause.refers
    # "how much protein is in that?" leans on the last call when it names what this tool
    # does; "it was a long day" does not
    pointed = clause.refers and any(info.cues.get(c, 0.0) >= 0.3 for _, _, c in clause.evidence)
    reading.follows = previous is not None and elliptical and (reading.fresh > 0 or pointed)
    if previous and reading.follows:
        taken = [p.name for p in info.required if p.name not in reading.args
                 and p.name in previous]
        for name in taken:
            reading.args[name] = previous[name]
            reading.confidence[name] = HIGH
        reading.inherited = tuple(taken) + same_measure(info, clause, reading, previous,
                                                         lexicon)
        _one_side(reading)  # "what about dinner?" after a salad: no swap of salad for salad
    reading.missing = [p for p in info.required if p.name not in reading.args]
    score(reading, clause, used, lexicon, index)
    # "what about a pain au chocolat?" after a lookup: the same question of a new thing
    again = (not info.writes and previous is not None and clause.follow_up and not answering
             and clause.question
             and len(reading.missing) == 1 and reading.missing[0].name in previous
             and reading.fresh == 0 and reading.missing[0].name in reading.unclear
             # a new thing, not "what about the weather?" or "my day"
             and clause.words[reading.unclear[reading.missing[0].name].start - 1] not in (
                 "the", "my", "your", "our")
             # and only leaning words come before it: not "and how am I going for the day?"
             and _only_leaning(clause.words[:reading.unclear[reading.missing[0].name].start],
                               lexicon))
    if len(reading.missing) == 1 and reading.missing[0].name in reading.unclear and (
            _takes_unknown(reading, clause, lexicon, index, used, answering=answering,
                           again=again)):
        # "how many calories are in a flapjack?": a lookup said word for word as its template
        # asks about the word heard, even one its list does not know (the tool answers
        # honestly); see :func:`_takes_unknown` for a write
        param = reading.missing[0]
        hit = reading.unclear.pop(param.name)
        reading.args[param.name] = str(hit.value)
        reading.hits[param.name] = hit
        reading.confidence[param.name] = MEDIUM if info.writes else LOW
        used.append(hit)
        reading.missing = []
        reading.follows = reading.follows or again
        score(reading, clause, used, lexicon, index)
    return reading


def _takes_unknown(reading: Reading, clause: Clause, lexicon: Lexicon, index: ValueIndex,
                   used: list[Hit], *, answering: bool, again: bool) -> bool:
    """Whether the one missing value takes the name said that its list does not know.

    A read takes it where its template is said or it is asked of ("how many calories are in
    a flapjack?"); a write where a thing is named as had ("I had a samosa", "log a Tim Tam")
    or as the answer to its question ("Which food?" - "a Cadbury Freddo"), unless another
    list knows it ("hockey practice"). Any tool takes the thing a swap replaces, marked so
    ("instead of the basmati"): it is the plan's, and the tool says if it knows it.
    """
    param = reading.missing[0]
    hit = reading.unclear[param.name]
    if param.role == "old" and _marked_old(clause, hit, lexicon):
        return True
    if reading.info.writes:
        named = named_as_had(clause, hit, lexicon, used) or (
            answering and answered_by_name(clause, hit, lexicon, used))
        return named and not known_elsewhere(param, hit, index)
    return reading.template >= 2.0 or again or asked_of(clause, reading, lexicon)


def _small(word: str) -> bool:
    """Whether a number could be an hour of the clock (a whole number, 0 to 24; not "7.4")."""
    return word.isdigit() and int(word) <= 24


_ARTICLES = frozenset(("a", "an", "some", "um", "uh", "oh", "so", "well", "okay", "ok"))


def _only_leaning(words: Sequence[str], lexicon: Lexicon) -> bool:
    """Whether ``words`` are a follow-up phrase and nothing else ("what about a", "and")."""
    said = " ".join(w for w in words if w not in _ARTICLES)
    return not said or said in lexicon.language.follow_ups


def _one_side(reading: Reading) -> None:
    """Drop the new side of a swap whose two sides are one thing.

    "I mean, I had a banana, just one banana": a thing said twice is no swap of it for itself;
    the swap then lacks a value and a tool the words fit better is read instead.
    """
    sides = [p for p in reading.info.params if p.role and p.name in reading.args]
    old = [p for p in sides if p.role == "old"]
    new = [p for p in sides if p.role == "new"]
    for a in old:
        for b in new:
            if a.vocabulary is b.vocabulary and _same(reading.args[a.name], reading.args[b.name]):
                for gone in (reading.args, reading.hits, reading.confidence):
                    gone.pop(b.name, None)


def _said_swap(reading: Reading, clause: Clause, lexicon: Lexicon) -> None:
    """Drop the new side of a swap when no word of the clause says a swap.

    "Oh, and a cup of tea with milk too": two things of one list, had together, are no swap
    of the tea for milk; "tea instead of coffee" or "swap the rice for quinoa" are.
    """
    lang = lexicon.language
    sides = [p for p in reading.info.params if p.role and p.name in reading.hits]
    if len(sides) < 2 or find_phrases(clause.words, lang.marks_old) or find_phrases(
            clause.words, lang.marks_new) or any(c == "swap" for _, _, c in clause.evidence):
        return
    for p in sides:
        if p.role == "new":
            for gone in (reading.args, reading.hits, reading.confidence):
                gone.pop(p.name, None)


def _same(a: object, b: object) -> bool:
    """Whether two text values name one thing ("a banana", "bananas")."""
    def bare(v: object) -> str:
        words = [w for w in str(v).lower().split() if w not in ("a", "an", "the", "some")]
        return " ".join(words).rstrip("s")
    return bare(a) == bare(b) != ""


def _concept_before(clause: Clause, hit: Hit) -> str | None:
    found = None
    for start, _, concept in clause.evidence:
        if start < hit.start:
            found = concept
        else:
            break
    return found


