"""What a clause says of its request, beyond the tools' readings: the words used to ask.

:class:`RequestWords` holds the checks :class:`~.decide.Decider` makes of a clause's words:
a request verb said (to the assistant, or at the start), a missing value named by its word
("can I log some food?"), an errand no tool runs ("book me a table"), and a thing or a place
no tool knows ("set a timer for the pasta", "add oat milk to my shopping list").
"""

from __future__ import annotations

from .assign import Reading
from .catalog import ToolInfo
from .clause import Clause
from .text import Lexicon, find_phrases
from .values import ValueIndex

__all__ = ["RequestWords"]


class RequestWords:
    """Checks of a clause's request words (a base of :class:`~.decide.Decider`)."""

    index: ValueIndex
    lexicon: Lexicon
    _reachable: list[ToolInfo]
    _known: frozenset[str]
    _free: list[ToolInfo]
    _free_open: list[ToolInfo]

    def _requested(self, clause: Clause) -> bool:
        """Whether a request verb is said ("and can you log one for me?")."""
        verbs = self.lexicon.language.request_verbs
        return any(w in verbs for w in clause.words)

    def _commands(self, clause: Clause) -> bool:
        """Whether the clause opens with a request verb ("log some exercise")."""
        lang = self.lexicon.language
        spans = find_phrases(clause.words, lang.fillers)
        first = next((w for i, w in enumerate(clause.words) if w[0].isalpha()
                      and not any(a <= i < b for a, b in spans)), None)
        return first is not None and first in lang.request_verbs

    def _addressed(self, clause: Clause) -> bool:
        """Whether a request verb is said to the assistant: "can you set that", ", put it in".

        Not "my wife set her target": a request verb at the start of a part, after "you" or
        "please".
        """
        words = clause.words
        verbs = self.lexicon.language.request_verbs | self.lexicon.language.setting_verbs
        return any(w in verbs and (i == 0 or words[i - 1] in (",", ".", "you", "please", "just",
                                                              "and", "so", "u"))
                   for i, w in enumerate(words))

    def _names_missing(self, clause: Clause, readings: list[Reading],
                       best: Reading) -> Reading | None:
        """A writing tool whose missing value the clause names by its word, with a request verb.

        "Can I log some food?": ``food`` is said and not given; "I want to log my steps" asks
        for the count. Not when the best reading writes and lacks nothing.
        """
        if (best.info.writes and not best.missing) or not self._requested(clause) \
                or clause.someone_else or clause.elsewhere:
            return None
        stems = {self.lexicon.stem(w) for w in clause.words if w[0].isalpha()}
        for r in readings:
            if (not r.info.writes or not r.missing or r.follows or r.evidence < best.evidence
                    or r.unclear or r.score < best.score - 3.0):
                continue
            if any(self.lexicon.stem(p.name) in stems or self.lexicon.stem(
                    p.label.split()[0]) in stems for p in r.missing):
                return r
        return None

    def _setting_asked(self, clause: Clause, readings: list[Reading],
                       best: Reading) -> Reading | None:
        """A tool that sets, asked for by its verb, whose value is not said yet.

        "I'd like to change my daily calories", "can you update my target?": a setting verb
        addressed to the assistant and a tool that sets which the words fit; it asks for the
        value rather than reading out the day. Not "how do I change ...?" nor another's.
        """
        lang = self.lexicon.language
        words = clause.words
        wished = any(w in lang.setting_verbs and i > 1 and words[i - 1] == "to"
                     and words[i - 2] in ("like", "want", "need", "love", "wanna")
                     for i, w in enumerate(words))  # "I'd like to change ..."
        if (best.info.sets or clause.asks or clause.someone_else
                or not (self._addressed(clause) or wished)
                or not any(w in lang.setting_verbs for w in words)):
            return None
        if any(h.kind == "number" for h in clause.hits):
            return None
        verbs = {self.lexicon.concept(v) for v in (*lang.setting_verbs, "want", "need", "like",
                                                    "love", "eat", "have")} | lang.light_verbs
        for r in readings:
            # a word of the tool's own beside the verb: "my daily calories", not "my lunch"
            own = any(r.info.cues.get(c, 0.0) >= 0.5 for _, _, c in clause.evidence
                      if c not in verbs)
            if (r.info.sets and r.missing and not r.follows and own
                    and r.evidence >= max(1.0, best.evidence - 0.7)):
                return r
        return None

    def _something(self, clause: Clause, readings: list[Reading],
                   best: Reading) -> Reading | None:
        """A writing tool whose one missing value is the thing "something" stands for.

        "I'd like to log something I ate": a thing of an open list (a food, an activity) was
        had or done but not named; the tool for it asks which, though another tool's values
        ("for lunch") were said. Not a question, a thought or someone else's doing.
        """
        if ("something" not in clause.words or clause.asks or clause.someone_else
                or (clause.hypothetical and not clause.intends) or best.follows):
            return None
        for r in readings:
            p = r.missing[0] if len(r.missing) == 1 else None
            if (p is not None and r.info.writes and not r.follows and p.kind == "string"
                    and p.vocabulary is not None and not p.vocabulary.closed
                    and p.name not in r.unclear and r.evidence >= best.evidence - 1.2):
                return r
        return None

    def _errand(self, clause: Clause) -> bool:
        """Whether the clause asks for food to be handled: "book me a table", "order a pizza".

        Its first word after fillers and a polite opener is a word of handling.
        """
        lang = self.lexicon.language
        spans = find_phrases(clause.words, lang.fillers + lang.request_openers)
        first = next((w for i, w in enumerate(clause.words) if w[0].isalpha()
                      and not any(a <= i < b for a, b in spans)), None)
        return first is not None and first in lang.handling

    def _plausible_at(self, clause: Clause, i: int) -> bool:
        """Whether the words from ``i`` name a thing an open list finds plausible.

        "look up a chapati": no list holds the word, but the food list's check knows it; a
        timer, a table or a cab it does not.
        """
        words = clause.words
        run: list[str] = []
        for w in words[i:i + 3]:
            if not w[0].isalpha() or w in self.lexicon.language.stop:
                break
            run.append(w)
        return any(self.index.plausible(" ".join(run[:n])) for n in range(len(run), 0, -1))

    def _foreign(self, clause: Clause, i: int) -> bool:
        """Whether word ``i`` of the clause is a content word no tool knows and no value."""
        word = clause.words[i]
        lexicon = self.lexicon
        lang = lexicon.language
        said = dict(lang.phrase_concepts).get(word, word)  # "extra": unplanned
        return (word[0].isalpha() and lexicon.is_content(word) and word not in lang.vague
                and lexicon.concept(said) not in self._known
                and word not in lang.context_nouns and lexicon.stem(word) not in lang.context_nouns
                and not any(h.start <= i < h.end for h in clause.hits))

    def _elsewhere(self, clause: Clause) -> str:
        """What a request is about when no tool knows it (see :attr:`Clause.elsewhere`)."""
        lang = self.lexicon.language
        words = clause.words
        if any(t.cues.get(c, 0.0) >= 1.0 for t in self._free for _, _, c in clause.evidence):
            return ""  # "add paper towels to my shopping list" with a shopping list tool
        content = [i for i, w in enumerate(words) if w[0].isalnum()
                   and w not in self.lexicon.filler_words]
        spans = find_phrases(words, lang.fillers)
        content = [i for i in content if not any(a <= i < b for a, b in spans)]
        verbs = lang.request_verbs | lang.setting_verbs
        if content and words[content[0]] in verbs:
            # "set a timer for the pasta": the verb's object is a thing no tool knows
            obj = next((i for i in content[1:] if words[i] not in lang.stop
                        and words[i] not in lang.particles), None)  # "put down"
            # "log a Tim Tam": a thing to log, which the tools with open lists take as said
            logged = (obj is not None and words[content[0]] in lang.logging_verbs
                      and words[obj - 1] in ("a", "an", "some") and bool(self._free_open))
            # "look up a chapati": a thing the food list's check knows; not "set a timer"
            named = (obj is not None and words[content[0]] not in lang.setting_verbs
                     and words[obj - 1] in ("a", "an", "some")  # not "check the table"
                     and self._plausible_at(clause, obj))
            if obj is not None and self._foreign(clause, obj) and not logged and not named:
                return "object"
        things = [h for h in clause.hits
                  if h.kind == "vocab" and not self.index.vocabularies[h.vocab].closed]
        places = [h for h in things if h.end < len(words) and words[h.end] in lang.venues]
        if places and all(any(h.overlaps(p) for p in places) for h in things):
            return "object"  # "find me a good pizza place": a place, no food of a list
        end = len(words) - (1 if words and not words[-1][0].isalnum() else 0)
        for i in range(max(0, end - 5), end):
            placed = next((j for j in range(i - 1, -1, -1) if words[j] in lang.placing_verbs
                           or words[j] in (",", ".", "?", "!")), None)  # in one stretch
            if words[i] in ("to", "onto", "into") and i + 1 < end and words[i + 1] in (
                    "my", "the", "our", "your") and placed is not None \
                    and words[placed] in lang.placing_verbs:
                # "add oat milk to my shopping list": the place it goes is no tool's (not
                # "I was rushing to catch the bus to my lecture": nothing is put there)
                rest = range(i + 2, end)
                if rest and (all(self._foreign(clause, j) for j in rest)
                             or words[end - 1] in lang.other_places):
                    return "target"  # "... to my grocery list", "... to the basket"
        return ""
