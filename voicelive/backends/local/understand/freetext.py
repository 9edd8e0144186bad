"""Free text for a parameter: the words of a clause nothing else explains, when they can be meant.

"I ate half a sandwich", "forty minutes of spin class at the gym": a text parameter of an open
list takes the longest run of plain words its vocabulary finds plausible (or, said but not
plausible, keeps it as unclear, for a question); a value said as context gives way to it.
"""

from __future__ import annotations

from .catalog import ParamInfo
from .clause import Clause
from .reading import Reading
from .text import Lexicon, find_phrases
from .values import LOW, MEDIUM, Hit, verb_at

__all__ = ["free_text", "out_of_context"]


def free_text(reading: Reading, clause: Clause, lexicon: Lexicon, used: list[Hit]) -> None:
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
    examples = {lexicon.stem(w) for p in open_params for e in p.examples for w in e.split()}
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
    swapping = sum(1 for p in open_params if p.role) > 1  # both sides of a swap are free text
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
                or word in lang.modifiers  # "Weetabix with milk": two things
                or word in lang.figure_words  # "the calorie count for a bowl of pozole"
                or word in lang.approximators  # "it's mild, maybe a three": no "maybe"
                or (swapping and word in ("for", "to", "into", "by"))  # "the naan for a roti"
                or (word in lang.units and after_number)):
            blocked[i] = True
            i += 1
            continue
        if i in evidence_at:
            end, concept = evidence_at[i]
            named = lexicon.stem(word) in examples  # "a headache" for "such as a headache"
            if end - i > 1 or concept == "skip" or (
                    info.cues.get(concept, 0.0) >= 0.3 and not named):
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
            while s < e and (words[s] in lang.stop or words[s] in lang.vague
                             or words[s] in lang.colouring):  # "a cheeky Kit Kat"
                s += 1
            while e > s and (words[e - 1] in lang.stop or words[e - 1] in lang.vague
                             or words[e - 1] in lang.context_heads):  # "a Tim Tam after"
                e -= 1
            if e - s > 1 and words[s] in lang.handling and verb_at(words, s, lang):
                s += 1  # "I baked cookies", "had to buy bread": a verb, not a "fried egg"
            elif e - s > 1 and lexicon.concept(words[s]) in lang.light_verbs and not any(
                    p.vocabulary is not None for p in open_params):
                s += 1  # "I've got stomach cramps": what was got, for a text of no list
            # a word of a concept group names a kind, not a value ("100 grams of protein")
            if e > s and any(lexicon.is_content(w) and w not in lang.vague
                             and w not in lang.not_values
                             and lexicon.concept(w) == lexicon.stem(w) for w in words[s:e]):
                runs.append((s, e))
            start = None
    # a word just before another kind of value describes it: "a late lunch", "a quick run"
    runs = [r for r in runs if not any(h.kind == "vocab" and h.start == r[1] for h in clause.hits)]
    runs = [_headed(r, words, evidence_at, open_params) for r in runs]
    # the value comes after the words that name the tool: "the dog ate my homework" is no dog
    cues = [a for a, _, c in clause.evidence if info.cues.get(c, 0.0) >= 0.3
            and lexicon.stem(words[a]) not in examples]
    # a value's unit ("for three hours") names the tool too, but a thing its list knows may
    # come before it ("I played cricket for three hours"); a word it does not know may not
    worded = [a for a in cues if not any(h.start <= a < h.end for h in clause.hits
                                         if h.kind == "number")]
    checks = [p.vocabulary.plausible for p in open_params
              if p.vocabulary is not None and p.vocabulary.plausible is not None]
    if cues:
        runs = [r for r in runs if r[0] > cues[0] or r[0] <= cues[0] < r[1] or (
            (not worded or r[0] > worded[0] or r[0] <= worded[0] < r[1])
            and any(check(" ".join(words[r[0]:r[1]])) or check(" ".join(words[r[0] + 1:r[1]]))
                    for check in checks))]
    for p in open_params:
        if not runs:
            return
        # a run holding an example value first ("got a mild headache": headache)
        run = max(runs, key=lambda r: (any(lexicon.stem(w) in examples for w in words[r[0]:r[1]]),
                                       r[1] - r[0], -r[0]))
        runs.remove(run)
        s, e = run
        text = " ".join(words[s:e])
        vocab = p.vocabulary
        measured = any(h.end == s and words[h.end - 1] == "of" for h in used)
        if (vocab is not None and vocab.plausible is not None and e - s > 1
                and verb_at(words, s, lang) and not vocab.plausible(text)
                and vocab.plausible(" ".join(words[s + 1:e]))):
            s += 1  # "I played cricket": the verb before the thing is not part of it
            while s < e - 1 and (words[s] in lang.stop or words[s] in lang.vague):
                s += 1
            text = " ".join(words[s:e])
        if (vocab is not None and vocab.plausible is not None and not measured
                and not vocab.plausible(text)):
            # not a value we can take ("I ate a dragonfruit smoothie"), but a value was said:
            # it still shows which tool was meant, so the question can be asked
            reading.unclear[p.name] = Hit(s, e, "text", text, confidence=LOW)
            continue
        hit = Hit(s, e, "text", text, confidence=MEDIUM)
        reading.args[p.name] = text
        reading.hits[p.name] = hit
        reading.confidence[p.name] = MEDIUM
        used.append(hit)


def _headed(run: tuple[int, int], words: list[str], evidence_at: dict[int, tuple[int, str]],
            params: list[ParamInfo]) -> tuple[int, int]:
    """A run with the cue word right after it, when the two name one value together.

    "Rugby training", "a spin class": the word after the sport names the tool's kind of
    thing, and with it the value its list knows (from the first word that makes it one:
    "had rugby training" is rugby training); the run alone stays when they do not.
    """
    s, e = run
    if e not in evidence_at or evidence_at[e][0] != e + 1:
        return run
    checks = [p.vocabulary.plausible for p in params
              if p.vocabulary is not None and p.vocabulary.plausible is not None]
    for start in range(s, e):  # "had rugby training": the longest part that is one
        text = " ".join(words[start:e + 1])
        if any(check(text) for check in checks):
            return (start, e + 1)
    return run


def out_of_context(reading: Reading, clause: Clause, lexicon: Lexicon, used: list[Hit]) -> None:
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
        free_text(reading, clause, lexicon, used)
        found = reading.hits.get(p.name)
        if found is None or found.kind != "text":
            if found is not None:
                used.remove(found)
            reading.args[p.name], reading.hits[p.name], reading.confidence[p.name] = saved
            used.append(hit)
