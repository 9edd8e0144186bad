"""How much a clause says for one tool: cue words, word pairs, templates, values, sentence kind.

:func:`score` adds up a :class:`~.reading.Reading`'s evidence and score once its values are
taken (:mod:`.assign`): cue words of the tool and pairs of its templates, a template said nearly
word for word, required values found or missing, values left over, absence said of what it
took, words that contradict it, and the kind of sentence.
"""

from __future__ import annotations

from .catalog import ToolInfo
from .clause import Clause
from .reading import Reading
from .text import Lexicon, find_phrases
from .values import HIGH, Hit, ValueIndex

__all__ = ["negated", "score"]


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


def _unnamed_thing(reading: Reading, clause: Clause, used: list[Hit], lexicon: Lexicon) -> bool:
    """Whether a name no list knows is said as had ("had a samosa") and this reading left it."""
    words = clause.words
    lang = lexicon.language
    for i in range(2, len(words)):
        if (words[i - 1] in ("a", "an", "some") and words[i - 2] in lang.naming_verbs
                and lexicon.is_content(words[i]) and words[i] not in lang.colouring
                and reading.info.cues.get(lexicon.concept(words[i]), 0.0) < 0.3
                and not any(h.start <= i < h.end for h in [*clause.hits, *used])
                and not any(a <= i < b for a, b in clause.context)):
            return True
    return False


def _came_with(clause: Clause, hit: Hit) -> bool:
    """Whether ``hit`` follows "with" (and a determiner): "a Tim Tam with my cuppa"."""
    at = hit.start - 1
    while at >= 0 and clause.words[at] in ("a", "an", "the", "some", "my", "our"):
        at -= 1
    return at >= 0 and clause.words[at] in ("with", "alongside")


def negated(clause: Clause, used: list[Hit]) -> bool:
    """Whether an absence cue stands just before a value the reading took ("no cookie")."""
    return any(c == "skip" and 0 <= h.start - e <= 2
               for _, e, c in clause.evidence for h in used)


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


def score(reading: Reading, clause: Clause, used: list[Hit], lexicon: Lexicon,
          index: ValueIndex) -> None:
    """Set ``reading.evidence``, ``score``, ``worded`` and ``contradicted``.

    Args:
        reading: The tool's reading, with its values taken (``used`` are their hits).
        clause: The clause read.
        used: The hits the reading took.
        lexicon: Words of the language.
        index: The vocabularies.
    """
    info = reading.info
    seq: list[tuple[int, str]] = []
    cue = 0.0
    seen: set[str] = set()
    for start, end, concept in clause.evidence:
        if any(h.start < end and start < h.end for h in used):
            continue
        if any(s <= start < e for s, e in clause.context):
            continue
        heard = clause.words[start]
        if (not info.writes and clause.reports and start > 0 and heard[-2:] == "ed"
                and lexicon.stem(heard) in lexicon.language.read_verbs
                and clause.words[start - 1] in lexicon.language.self_words):
            continue  # "I checked my sugar": what the speaker did, not a lookup asked for
        seq.append((start, concept))
        if concept not in seen:
            seen.add(concept)
            cue += info.cues.get(concept, 0.0)
        if end - start == 1 and concept != "skip":
            # "my sugar" for a tool about blood sugar, more than for one about nutrients
            cue += 1.2 * info.own.get(lexicon.stem(clause.words[start]), 0.0)
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
    for p in info.params:  # "a headache" for a tool "such as a headache": its own example
        taken = reading.hits.get(p.name)
        if taken is not None and taken.kind == "text" and p.examples and any(
                lexicon.stem(w) == lexicon.stem(x) for w in str(taken.value).split()
                for e in p.examples for x in e.split()):
            cue += 1.2
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
            if any(u.end <= hit.start for u in used) and _came_with(clause, hit):
                values -= 0.3  # "a Tim Tam with a cuppa": what it came with
                continue
            if hit.vocab in taken_vocabs:
                values -= 0.3  # another item of a kind it took: "oatmeal with blueberries"
            else:
                values -= 0.4 if index.vocabularies[hit.vocab].closed else 1.0
    if info.writes and _unnamed_thing(reading, clause, used, lexicon):
        values -= 1.0  # "I had a samosa for lunch": a thing named as had, left by this tool
    score = reading.evidence + values
    if absent:
        score += 1.0 if info.skip else -1.0
        if info.writes and not info.skip and negated(clause, used):
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
