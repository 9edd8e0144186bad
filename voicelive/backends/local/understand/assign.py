"""How well one tool fits one clause: its arguments from the clause's values, and a score.

:func:`read_tool` gives each parameter the value that fits it best (a vocabulary phrase of
its own vocabulary, a number in its unit and bounds, else free text the vocabulary finds
plausible), then adds up the evidence: cue words of the tool, word pairs of its templates,
required values found or missing, values left over, and the kind of sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .catalog import ParamInfo, ToolInfo
from .clause import Clause
from .text import Lexicon, find_phrases
from .values import HIGH, LOW, MEDIUM, Hit, ValueIndex

__all__ = ["Reading", "read_tool"]


@dataclass(eq=False)
class Reading:
    """One tool's reading of one clause.

    Attributes:
        info: The tool.
        args: Values per parameter (not yet validated).
        confidence: Confidence per parameter that has a value.
        hits: The value each parameter took (free text included).
        missing: Required parameters without a value.
        evidence: Evidence that the clause is about this tool (cues and word pairs).
        score: Total score.
        inherited: Parameters taken from the previous call.
        fresh: Values found in the clause itself.
        follows: The reading leans on the previous call ("and dinner too").
        worded: A word of the clause points to the tool (a cue, a word pair, a template, a
            value of its own list), not only a number in its unit ("ten minutes").
        unclear: Values said but not taken (not plausible), per parameter.
        template: Evidence from a template said nearly word for word (2.0 for most words).
        contradicted: A word heard says the opposite of the tool's words ("not planned" for
            a meal eaten as planned): a tool that writes is then not called.
    """

    info: ToolInfo
    args: dict[str, Any] = field(default_factory=dict)
    confidence: dict[str, int] = field(default_factory=dict)
    hits: dict[str, Hit] = field(default_factory=dict)
    missing: list[ParamInfo] = field(default_factory=list)
    evidence: float = 0.0
    score: float = 0.0
    inherited: tuple[str, ...] = ()
    fresh: int = 0
    follows: bool = False
    worded: bool = False
    unclear: dict[str, Hit] = field(default_factory=dict)
    contradicted: bool = False
    template: float = 0.0

    @property
    def surest(self) -> bool:
        """Every required value was found with confidence (enough for a write)."""
        return not self.missing and all(
            self.confidence.get(p.name, HIGH) >= MEDIUM for p in self.info.required)


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
        if hit.start - 3 <= end <= hit.start and start < hit.start and not any(
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
    for order, p in enumerate(info.params):
        for hit in clause.hits:
            if hit.kind == "number" and hit.unit is None and p.unit is not None and any(
                    h.kind == "vocab" and h.start <= hit.start and hit.end < h.end
                    for h in clause.hits):
                continue  # "3" of "3 pieces of sushi" counts pieces, not millilitres
            fit = _fits(p, hit, vids[p.name], units_taken)
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
            if any(a <= hit.start < b for a, b in clause.soft):
                fit -= 0.5  # "to the gym and did an hour of weights": weights
            if hit.kind == "number" and p.unit is not None and any(
                    w in p.label.split() and w != p.unit_word
                    for w in clause.words[max(0, hit.start - 2):hit.end + 2]):
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
    # Free text before the previous call's values: "I ate half a sandwich" names a new food.
    _free_text(reading, clause, lexicon, used)
    _out_of_context(reading, clause, lexicon, used)
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
        reading.inherited = tuple(taken)
    reading.missing = [p for p in info.required if p.name not in reading.args]
    _score(reading, clause, used, lexicon, index)
    if (not info.writes and reading.template >= 2.0 and len(reading.missing) == 1
            and reading.missing[0].name in reading.unclear):
        # "how many calories are in a flapjack?": a lookup said word for word as its template
        # asks about the word heard, even one its list does not know (the tool answers
        # honestly); a write never takes such a guess
        param = reading.missing[0]
        hit = reading.unclear.pop(param.name)
        reading.args[param.name] = str(hit.value)
        reading.hits[param.name] = hit
        reading.confidence[param.name] = LOW
        used.append(hit)
        reading.missing = []
        _score(reading, clause, used, lexicon, index)
    return reading


def _contradicted(info: ToolInfo, clause: Clause, lexicon: Lexicon) -> bool:
    """Whether the tool's words say the opposite of a word heard.

    "A snack that wasn't planned" (unplanned) is not for a tool about a meal eaten as
    planned; "the one you planned" is not for a tool named for the unplanned. A tool is
    contradicted when its cue for the opposite (the word with or without a negating prefix
    of the language) is stronger than its cue for the word heard. A word a few words after
    "not" says its opposite ("a snack, not one from the plan" is unplanned).
    """
    lang = lexicon.language
    words = clause.words
    nots = [i for i, w in enumerate(words) if w in lang.copular_negations]
    for start, _, concept in clause.evidence:
        if concept.startswith("{") or concept == "skip":
            continue
        flipped = concept in lexicon.opposed and any(0 < start - i <= 4 for i in nots)
        for prefix in lang.opposite_prefixes:
            opposite = (concept[len(prefix):] if concept.startswith(prefix)
                        else prefix + concept)
            said, other = (opposite, concept) if flipped else (concept, opposite)
            if info.cues.get(other, 0.0) >= 0.3 + info.cues.get(said, 0.0):
                return True
    return False


def _absent(info: ToolInfo, clause: Clause, used: list[Hit], lexicon: Lexicon,
            index: ValueIndex) -> bool:
    """Whether the clause says that what the reading took did not happen.

    An absence cue negates the thing said right after it: "I had lunch without dessert" says
    nothing of lunch being missed; "I skipped lunch", "no time for lunch" and "lunch didn't
    happen" (nothing after the cue) do.
    """
    if not clause.absence:
        return False
    words = clause.words
    lang = lexicon.language
    for _, end, concept in clause.evidence:
        if concept != "skip":
            continue
        before_noun = words[end - 1] in lang.noun_negations  # "without dessert"
        ahead = [i for i in range(end, len(words)) if words[i][0].isalnum()
                 and words[i] not in lang.stop and words[i] not in lexicon.filler_words][:3]
        if not ahead or any(a <= ahead[0] < b for a, b in clause.context):
            return True  # "lunch didn't happen (today)"
        if info.cues.get(lexicon.concept(words[ahead[0]]), 0.0) >= 0.3:
            return True  # "I missed a meal"
        for n, i in enumerate(ahead):
            if any(h.start <= i < h.end for h in used):
                return True  # "I didn't touch the cake"
            if any(h.start <= i < h.end and h.kind == "vocab" for h in clause.hits):
                break  # "without any coffee": another thing is negated
            if n == 0 and before_noun and any(v.plausible is not None and not v.closed
                              and v.plausible(words[i]) for v in index.vocabularies):
                break  # "without dessert"
        else:
            return True
    return False


def _elaborates(clause: Clause, hit: Hit, before: list[Hit]) -> bool:
    """Whether ``hit`` sits in an elaboration (", the ...") after one of the values ``before``."""
    words = clause.words
    comma = max((i for i in range(hit.start) if words[i] == ","), default=-1)
    return (comma >= 0 and comma + 1 < len(words)
            and words[comma + 1] in clause.elaborating
            and any(u.end <= comma for u in before))


def _negated(clause: Clause, used: list[Hit]) -> bool:
    """Whether an absence cue stands just before a value the reading took ("no cookie")."""
    return any(c == "skip" and 0 <= h.start - e <= 2
               for _, e, c in clause.evidence for h in used)


def _out_of_context(reading: Reading, clause: Clause, lexicon: Lexicon, used: list[Hit]) -> None:
    """A value said as context gives way to free text its list finds plausible.

    "Forty minutes of spin class at the gym": "gym" is where, "spin class" what.
    """
    for p in reading.info.params:
        hit = reading.hits.get(p.name)
        vocab = p.vocabulary
        if (hit is None or hit.kind != "vocab" or vocab is None or vocab.plausible is None
                or not any(a <= hit.start < b for a, b in clause.soft)):
            continue
        saved = (reading.args.pop(p.name), reading.hits.pop(p.name),
                 reading.confidence.pop(p.name))
        used.remove(hit)
        _free_text(reading, clause, lexicon, used)
        found = reading.hits.get(p.name)
        if found is None or found.kind != "text":
            if found is not None:
                used.remove(found)
            reading.args[p.name], reading.hits[p.name], reading.confidence[p.name] = saved
            used.append(hit)


def _concept_before(clause: Clause, hit: Hit) -> str | None:
    found = None
    for start, _, concept in clause.evidence:
        if start < hit.start:
            found = concept
        else:
            break
    return found


def _free_text(reading: Reading, clause: Clause, lexicon: Lexicon, used: list[Hit]) -> None:
    """Give a missing text parameter the words nothing else explains, if they can be meant."""
    info = reading.info
    replaces = bool(find_phrases(clause.words, lexicon.language.marks_old))
    filled = {id(p.vocabulary) for p in info.params if p.name in reading.args and p.vocabulary}
    open_params = [p for p in info.params if p.name not in reading.args and p.kind == "string"
                   and not (p.vocabulary is not None and p.vocabulary.closed)
                   # the other side of a swap is free text only when a swap is said
                   and (replaces or not p.role or id(p.vocabulary) not in filled)]
    if not open_params:
        return
    lang = lexicon.language
    blocked = [False] * len(clause.tokens)
    for hit in clause.hits:  # values of any kind are not free text, nor their units
        blocked[hit.start:hit.end] = [True] * (hit.end - hit.start)
    for hit in used:
        blocked[hit.start:hit.end] = [True] * (hit.end - hit.start)
    for a, b in clause.context:
        blocked[a:b] = [True] * (b - a)
    for a, b in find_phrases(clause.words, lang.follow_ups):
        blocked[a:b] = [True] * (b - a)  # "make that", "what about"
    for a, b in find_phrases(clause.words, lang.fillers):
        blocked[a:b] = [True] * (b - a)  # "i think", "you know": never a value
    evidence_at = {a: (b, concept) for a, b, concept in clause.evidence}
    words = clause.words
    i = 0
    while i < len(words):
        word = words[i]
        # "30 minutes", "a cup": a measure, not a value ("Miles Davis" is one)
        after_number = i > 0 and (clause.tokens[i - 1].is_number
                                  or words[i - 1] in ("a", "an", "one", "half", "another"))
        if i in evidence_at and evidence_at[i][0] - i > 1:
            blocked[i:evidence_at[i][0]] = [True] * (evidence_at[i][0] - i)  # a phrase
            i = evidence_at[i][0]
            continue
        if (clause.tokens[i].is_punct or word in lexicon.filler_words or word in lang.negations
                or word in lang.particles  # "went back for": no value
                or (word in lang.units and after_number)):
            blocked[i] = True
            i += 1
            continue
        if i in evidence_at:
            end, concept = evidence_at[i]
            if end - i > 1 or info.cues.get(concept, 0.0) >= 0.3 or concept == "skip":
                blocked[i:end] = [True] * (end - i)
            i = end
            continue
        i += 1
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, b in enumerate([*blocked, True]):
        if not b and start is None:
            start = i
        elif b and start is not None:
            s, e = start, i
            # pronouns, quantifiers and abstract nouns are no value ("I ate it all")
            while s < e and (words[s] in lang.stop or words[s] in lang.vague):
                s += 1
            while e > s and (words[e - 1] in lang.stop or words[e - 1] in lang.vague):
                e -= 1
            # a word of a concept group names a kind, not a value ("100 grams of protein")
            if e > s and any(lexicon.is_content(w) and w not in lang.vague
                             and w not in lang.not_values
                             and lexicon.concept(w) == lexicon.stem(w) for w in words[s:e]):
                runs.append((s, e))
            start = None
    # a word just before another kind of value describes it: "a late lunch", "a quick run"
    runs = [r for r in runs if not any(h.kind == "vocab" and h.start == r[1] for h in clause.hits)]
    # the value comes after the words that name the tool: "the dog ate my homework" is no dog
    first_cue = next((a for a, _, c in clause.evidence if info.cues.get(c, 0.0) >= 0.3), None)
    if first_cue is not None:
        runs = [r for r in runs if r[0] > first_cue]
    for p in open_params:
        if not runs:
            return
        s, e = max(runs, key=lambda r: (r[1] - r[0], -r[0]))
        text = " ".join(words[s:e])
        vocab = p.vocabulary
        measured = any(h.end == s and words[h.end - 1] == "of" for h in used)
        if (vocab is not None and vocab.plausible is not None and not measured
                and not vocab.plausible(text)):
            # not a value we can take ("I ate a dragonfruit smoothie"), but a value was said:
            # it still shows which tool was meant, so the question can be asked
            reading.unclear[p.name] = Hit(s, e, "text", text, confidence=LOW)
            runs.remove((s, e))
            continue
        hit = Hit(s, e, "text", text, confidence=MEDIUM)
        reading.args[p.name] = text
        reading.hits[p.name] = hit
        reading.confidence[p.name] = MEDIUM
        used.append(hit)
        runs.remove((s, e))


def _template_fit(reading: Reading, clause: Clause, used: list[Hit],
                  names: dict[int, str]) -> float:
    """Evidence from a template said nearly word for word ("how am I doing")."""
    if not reading.info.skeletons:
        return 0.0
    return max(_fit(reading, seq, clause, used, names) for seq in (clause.full, clause.bare))


def _fit(reading: Reading, full: list[tuple[int, int, str]], clause: Clause, used: list[Hit],
         names: dict[int, str]) -> float:
    skeletons = reading.info.skeletons
    seq = [(s, t) for s, e, t in full
           if not any(h.start < e and s < h.end for h in used)
           and not any(a <= s < b for a, b in clause.context)]
    seq += [(h.start, "{" + names.get(id(h), "") + "}") for h in used]
    for name, h in reading.unclear.items():
        seq = [(s, t) for s, t in seq if not h.start <= s < h.end] + [(h.start, "{" + name + "}")]
    seq.sort()
    words = [t for _, t in seq][:30]
    firsts = reading.info.skeleton_firsts
    best = 0
    for i in range(len(words)):
        if words[i] not in firsts:
            continue
        for j in range(min(len(words), i + 14), i + 1 + max(best, 1), -1):
            if tuple(words[i:j]) in skeletons:
                best = j - i
                break
    if best < 2:
        return 0.0
    return 2.0 if best >= 0.6 * len(words) else 0.8 if best >= 3 else 0.0


def _about_my_day(info: ToolInfo, clause: Clause, seen: set[str], lexicon: Lexicon,
                  index: ValueIndex) -> bool:
    """Whether ``clause`` asks about the speaker's day, for a report tool that takes nothing.

    "Am I on track?", "where am I at today?": yes. "How do I reset my phone?" or "should I
    have a banana?" are about something else: a word no cue of the tool covers (light verbs
    aside), or a value of an open list.
    """
    if not clause.about_me or info.writes or info.params or any(
            h.kind == "vocab" and not index.vocabularies[h.vocab].closed for h in clause.hits):
        return False
    light = lexicon.language.light_verbs
    content = [c for c in seen if c not in light and c not in ("{?}", "skip")]
    return not content or any(info.cues.get(c, 0.0) > 0 for c in content)


def _score(reading: Reading, clause: Clause, used: list[Hit], lexicon: Lexicon,
           index: ValueIndex) -> None:
    info = reading.info
    seq: list[tuple[int, str]] = []
    cue = 0.0
    seen: set[str] = set()
    for start, end, concept in clause.evidence:
        if any(h.start < end and start < h.end for h in used):
            continue
        if any(s <= start < e for s, e in clause.context):
            continue
        seq.append((start, concept))
        if concept not in seen:
            seen.add(concept)
            cue += info.cues.get(concept, 0.0)
    names = {id(h): name for name, h in reading.hits.items()}
    for hit in used:
        seq.append((hit.start, "{" + names.get(id(hit), "") + "}"))
    seq.sort()
    concepts = [c for _, c in seq]
    pairs = 0
    for i, a in enumerate(concepts):
        for b in concepts[i + 1:i + 3]:
            if (a, b) in info.pairs:
                pairs += 1
                break
    template = _template_fit(reading, clause, used, names)
    reading.template = template
    reading.worded = cue > 0 or pairs > 0 or template > 0 or any(
        # "I'm at 75 kilos": a unit no other tool needs points to this one
        h.kind == "number" and p.unit is not None and h.unit == p.unit
        and index.unit_users.get(p.unit, 0) == 1
        for p in info.required if (h := reading.hits.get(p.name)) is not None) or any(
        h.kind == "text" or (h.kind == "vocab" and h.vocab == index.id_of(p.vocabulary))
        for p in info.params if (h := reading.hits.get(p.name)) is not None)
    cue += template
    if "{?}" in seen and any(p.kind == "string" and not (p.vocabulary and p.vocabulary.closed)
                             for p in reading.missing):
        cue += 1.0  # "I ate something": a value was meant but not said
    roles = [p for p in info.params if p.role]
    if (len(roles) > 1 and not reading.follows
            and not find_phrases(clause.words, lexicon.language.marks_old)):
        cue -= 3.0  # a tool that replaces one thing by another, and nothing is replaced
    absent = _absent(info, clause, used, lexicon, index)
    if info.skip and not absent and not reading.follows:
        cue -= 1.0  # a tool about something not happening, and nothing says it did not
    for p in info.required:
        taken = reading.hits.get(p.name)
        if taken is not None and taken.kind == "number" and p.unit and (
                taken.unit == p.unit or taken.unit in p.measures):
            # "500 ml" for a parameter in millilitres; "ten minutes" says less when two
            # tools take minutes
            cue += 2.0 / index.unit_users.get(p.unit, 1)
        if taken is not None and taken.kind == "vocab" and index.vocabularies[taken.vocab].closed:
            cue += 0.8 / index.users.get(taken.vocab, 1)  # "kitchen" is only for set_light
        elif (taken is not None and taken.kind == "vocab" and taken.confidence >= HIGH
              and index.users.get(taken.vocab, 1) == 1 and p.name not in reading.inherited):
            cue += 1.3  # "I played tennis": a known value of a list only this tool has
    reading.contradicted = _contradicted(info, clause, lexicon)
    cue -= 3.0 if reading.contradicted else 0.0
    if _about_my_day(info, clause, seen, lexicon, index):
        cue += 1.3  # "am I on track?": a question about oneself, for a tool that reports
    own = [h for p in info.required if (h := reading.hits.get(p.name)) is not None
           and p.name not in reading.inherited]
    if own and all(_elaborates(clause, h, [v for v in clause.hits if v.kind == "vocab"])
                   for h in own):
        cue -= 1.5  # "dinner was the planned one, the chicken with rice": no lookup of it
    reading.evidence = cue + 0.6 * min(pairs, 4)
    values = 0.0
    for p in info.params:
        if p.name in reading.args and p.name not in reading.inherited:
            conf = reading.confidence.get(p.name, HIGH)
            values += (1.5 if conf >= HIGH else 1.0) if p.required else 0.5
    values -= 2.0 * len(reading.missing)
    taken_vocabs = {h.vocab for h in used if h.kind == "vocab"}
    for hit in clause.hits:
        if hit.kind == "vocab" and not any(hit.overlaps(u) for u in used) and not any(
                s <= hit.start < e for s, e in clause.context + clause.soft):
            said = [c for s, e, c in clause.evidence if hit.start <= s < hit.end]
            if said and all(info.cues.get(c, 0.0) >= 0.5 for c in said):
                continue  # "water" for a tool that logs water: a cue, not a stray value
            if _elaborates(clause, hit, used):
                continue  # "I finished my dinner, the salmon and the rice": what it was
            if hit.vocab in taken_vocabs:
                values -= 0.3  # another item of a kind it took: "oatmeal with blueberries"
            else:
                values -= 0.4 if index.vocabularies[hit.vocab].closed else 1.0
    score = reading.evidence + values
    if absent:
        score += 1.0 if info.skip else -1.0
        if info.writes and not info.skip and _negated(clause, used):
            # "I don't have any quinoa", "I didn't touch the cookies": what is said not to
            # have happened is not written by a tool that records what happened
            score -= 3.0
    if reading.evidence < 0.4 and not reading.follows:
        score -= 1.0  # values alone do not make a request
    if clause.question and not clause.opener:
        score += -0.7 if info.writes else 0.5
        if clause.asks and info.writes and info.declared and not reading.follows:
            score -= 1.5  # "what can I have for dinner?" asks; it reports nothing done
    if reading.follows:
        score += 1.0 + (1.5 if clause.follow_up else 0.0)
    if clause.reports:
        # "I treated myself to a scoop of ice cream": done, not asked about
        score += 0.4 if info.writes else -0.4
    if not info.params and clause.hits:
        score -= 0.3
    reading.score = score
