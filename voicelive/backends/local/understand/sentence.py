"""One sentence read as the requests it holds: its parts, decided in order, and joined sentences.

:class:`SentenceReader` decides a sentence whole and, where :func:`~.split.parts` cuts it, part
by part, and keeps the parts when each carries its own request ("I skipped breakfast and then
ran for 30 minutes"). Within one sentence a part may lean on the part before:

* a verb the part before said serves a part of bare values ("I had my breakfast and then a
  muffin");
* a pronoun or a bare count stands for the thing the part before named ("my neighbour gave me
  a slice of apple pie and I ate it");
* a pronoun for a thing the chosen tool cannot take says the part is about the call before,
  not a new request ("... I'd rather have a tuna sandwich, how much of it can I have?");
* a part that only adds an optional value to the call before completes it ("I did half an hour
  of running, and I'm about 82 kilos").

Values of one kind joined by "and" are one call each ("mark breakfast and lunch as eaten"),
and sentences cut by a stray full stop are joined ("I went for a run. For thirty minutes.").
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from .assign import Reading
from .clause import Clause, portion_at
from .decide import Decider, Outcome
from .language import Language
from .split import parts
from .state import PendingQuestion, PreviousCall
from .text import Token
from .values import ValueIndex

__all__ = ["SentenceReader"]

_DETERMINERS = frozenset(("a", "an", "the", "some", "my"))
_LIGHT = 2.5
"""Evidence below which a question of no value says little of its own ("how much should I
have?" is 1.9; "how much do I have left for today?" 7.9)."""


class SentenceReader:
    """Reads sentences into outcomes, in order.

    Args:
        decider: Decides one clause.
        index: The vocabularies of the tools.
        language: Joining words, pronouns and fillers.
    """

    def __init__(self, decider: Decider, index: ValueIndex, language: Language) -> None:
        self.decider = decider
        self.index = index
        self.language = language

    def read(self, norm: str, tokens: list[Token], context: tuple[PreviousCall, ...],
             pending: PendingQuestion | None) -> list[Outcome]:
        """What one sentence asks for: the calls and questions of its parts, in order."""
        decider = self.decider
        whole = decider.decide(decider.clause(norm, tokens), context, pending)
        pieces = parts(tokens, self.index, self.language)
        if len(pieces) < 2:
            return [whole, *self._coordinated(whole)]
        outcomes: list[Outcome] = []
        ctx = context
        lead: list[Token] = []
        before: Clause | None = None
        subject: list[Token] = []
        last_part: list[Token] = []
        for part in pieces:
            clause = decider.clause(norm, part)
            o = decider.decide(clause, ctx, pending if not outcomes else None)
            if o.kind not in ("call", "near_miss") and subject and not clause.question \
                    and _verb_first(clause, self.language):
                # "I did an hour of football and then had a kebab": the subject before serves
                said = decider.decide(decider.clause(norm, subject + part), ctx, None)
                if said.kind in ("call", "question"):
                    o = said
            subject = [t for t in part if t.word in self.language.self_words][:1] \
                if clause.reports else []
            if o.kind != "call" and lead and (_bare(clause) or self._named_only(clause)):
                # "I had my breakfast and then a muffin": the verb before serves both
                gapped = decider.decide(decider.clause(norm, lead + part), ctx, None)
                if gapped.kind == "call":
                    o = gapped
            resolved = _resolved(clause, before, self.index, self.language)
            if resolved is not None and (o.kind == "question" or (
                    o.kind == "nothing" and clause.reports)):
                # "my neighbour gave me a slice of pie and I ate it": "it" is the pie; "...
                # brought donuts and I had two": two donuts
                named = decider.decide(decider.clause(norm, resolved), ctx, None)
                if named.kind == "call" and named.reading is not None and (
                        named.reading.info is (o.reading.info if o.reading else None)
                        or (clause.reports and named.reading.info.writes)):
                    o = named
            if (o.kind == "question" and outcomes and outcomes[-1].kind == "question"
                    and o.reading is not None and outcomes[-1].reading is not None
                    and o.reading.info is outcomes[-1].reading.info and last_part):
                # "went for a long walk, maybe fifty minutes": one request said in two parts
                whole_part = decider.decide(decider.clause(norm, last_part + part), ctx, None)
                if whole_part.kind == "call":
                    outcomes.pop()
                    o, part = whole_part, last_part + part
            last_part = part
            if o.kind == "call" and _asks_amount_of(o, clause, outcomes):
                # "swap the naan for a chapati, how much should I have?": the swap's answer
                o = Outcome("nothing", ranked=o.ranked, clause=clause)
            if o.kind == "call" and self._elsewhere(o, clause, before):
                o = Outcome("nothing", ranked=o.ranked, clause=clause)
            if any(h.kind == "vocab" and not self.index.vocabularies[h.vocab].closed
                   for h in clause.hits):
                before = clause  # the last part that named a thing
            outcomes.append(o)
            if o.kind == "call" and o.reading is not None:
                ctx = (*ctx, PreviousCall(o.reading.info.name, o.args))
                lead = _lead(clause) or lead
                outcomes += self._coordinated(o)  # "I skipped breakfast, lunch and dinner"
        found = self._restated(_once([o for o in outcomes if o.kind == "call"]))
        if whole.clause is not None and whole.clause.elsewhere == "target":
            # "add milk and eggs to my grocery list": the place is the whole request's, so
            # no part with its verb ("add milk") logs
            verb = _first_word(whole.clause)
            found = [o for o in found if o.clause is None or _first_word(o.clause) != verb]
        # "I almost ate a whole cake, but I didn't": what the whole sentence takes back, no
        # part of it writes
        taken_back = whole.clause is not None and whole.clause.taken_back
        # "... and then had a kebab": a part naming a thing no list knows still asks of it
        unknown = [o for o in outcomes if o.kind == "question" and o.reading is not None
                   and o.reading.unclear and o.reading.info.writes]
        if len(found) >= 2 or (found and (whole.kind != "call" or unknown) and not taken_back):
            return [o for o in outcomes if o.kind == "question" or o in found]
        return [whole, *self._coordinated(whole)]

    def joined(self, norm: str, found: list[list[Token]], context: tuple[PreviousCall, ...],
               pending: PendingQuestion | None) -> list[list[Token]]:
        """The sentences, with a piece cut off by a stray full stop joined to its neighbour.

        Recognisers write "I went for a run. For thirty minutes." or "Can you. Log a run", and
        people say "Dinner? Didn't happen.":
        when a sentence and the next make more calls together than each alone, they are one.
        """
        if len(found) < 2:
            return found

        def calls(tokens: list[Token]) -> int:
            return sum(o.kind == "call" for o in self.read(norm, tokens, context, pending))

        out: list[list[Token]] = [found[0]]
        alone = [calls(found[0])]
        for sentence in found[1:]:
            last = out[-1]
            if alone[-1] == 0 and last[-1].ends_sentence and last[-1].word in (".", "?"):
                together = calls(last[:-1] + sentence)
                if together > calls(sentence):
                    out[-1], alone[-1] = last[:-1] + sentence, together
                    continue
            out.append(sentence)
            alone.append(calls(sentence))
        return out

    def _named_only(self, clause: Clause) -> bool:
        """Whether a clause says only a thing an open list finds plausible ("also a chapati").

        Like :func:`_bare` for a name no list holds as a word: "look up a cup of dal, and
        also a chapati" asks the same of the chapati.
        """
        at = [s for s, _, c in clause.evidence
              if c != "{?}" and not any(a <= s < b for a, b in clause.context)]
        said = [clause.words[s] for s in at]
        # named as a thing, after its article: "also a chapati", not "all good"
        if (not said or clause.hits or len(said) > 3 or at[0] == 0
                or clause.words[at[0] - 1] not in ("a", "an", "some")):
            return False
        return self.index.plausible(" ".join(said))

    def _elsewhere(self, outcome: Outcome, clause: Clause, before: Clause | None) -> bool:
        """Whether a call's pronoun points to a thing of the part before its tool cannot take.

        "... I'd rather have a tuna sandwich, how much of it can I have?": the question is
        about the swap before, not one's day.
        """
        reading = outcome.reading
        if reading is None or before is None or reading.follows or not clause.question:
            return False  # "... and skipped breakfast because of it" reports
        lang = self.language
        if not any(w in lang.anaphora and w not in ("one", "ones")
                   and not any(a <= i < b for a, b in clause.context)
                   for i, w in enumerate(clause.words)):
            return False
        named = {h.vocab for h in before.hits if h.kind == "vocab"
                 and not self.index.vocabularies[h.vocab].closed}
        return not any(self.index.id_of(p.vocabulary) in named for p in reading.info.params)

    def _restated(self, calls: list[Outcome]) -> list[Outcome]:
        """Calls without one that a later part says again for a tool that fits it better.

        "Just had another coffee, so that's one more cup": with a tool that counts cups of
        coffee, the second part restates the first ("that's ..."), and that tool's words
        name the coffee: one call, of that tool.
        """
        out = list(calls)
        lang = self.language
        for first, then in pairwise(calls):
            a, b = first.reading, then.reading
            if a is None or b is None or then.clause is None or a.info is b.info:
                continue
            words = [w for w in then.clause.words if w[0].isalnum() or w[0] == "'"]
            lead = next((i for i, w in enumerate(words) if w not in self.decider.lexicon
                         .filler_words), None)
            if lead is None or not any(" ".join(words[lead:lead + len(r.split())]) == r
                                       for r in lang.restating):
                continue
            if any(h.kind == "vocab" and not self.index.vocabularies[h.vocab].closed
                   for h in then.clause.hits):
                continue  # "that's a banana and an apple": things of its own
            named = [str(h.value) for h in a.hits.values() if h.kind in ("vocab", "text")]
            lexicon = self.decider.lexicon
            if any(b.info.cues.get(lexicon.concept(w), 0.0) >= 0.5
                   for value in named for w in value.split()) and first in out:
                out.remove(first)
        return out

    def _coordinated(self, outcome: Outcome) -> list[Outcome]:
        """One more call per value joined to a value the call took ("breakfast and lunch")."""
        reading, clause = outcome.reading, outcome.clause
        if outcome.kind != "call" or reading is None or clause is None:
            return []
        out: list[Outcome] = []
        words = clause.words
        for name, hit in reading.hits.items():
            if hit.kind != "vocab" or name in reading.inherited:
                continue
            taken = list(reading.hits.values())
            i = hit.end
            while True:
                j = i
                either = not reading.info.writes or clause.absence  # "no lunch or dinner"
                while j < len(words) and j - i < 3 and (
                        words[j] in ("and", ",") or (either and words[j] in ("or", "nor"))
                        or (j > i and words[j] in _DETERMINERS)):
                    j += 1  # "breakfast and lunch", "a coffee and a croissant"
                if j == i or (words[i] == "," and i + 1 < len(words) and words[i + 1] == "the"):
                    break  # "those sandwiches, the chicken and bacon one": which one, not more
                other = next((h for h in clause.hits if h.start == j and h.kind == "vocab"
                              and h.vocab == hit.vocab
                              and not any(h.overlaps(t) for t in taken)), None)
                if other is None:
                    break
                copy = Reading(reading.info, args={**reading.args, name: other.value},
                               confidence=dict(reading.confidence), hits=dict(reading.hits))
                args = self.decider.validate(copy)
                if args is None:
                    break
                out.append(replace(outcome, reading=copy, args=args))
                taken.append(other)
                i = other.end
        return out


def _once(calls: list[Outcome]) -> list[Outcome]:
    """The calls without repeats: "aim for 1500 calories a day, so set that" is one call.

    A repeat is a call of the same tool whose values are the earlier call's, or left empty
    ("breakfast is done, I ate it all"). A call of the same tool that keeps the earlier
    call's required values and adds optional ones completes that call ("I did half an hour
    of running, and I'm about 82 kilos").
    """
    out: list[Outcome] = []
    for o in calls:
        earlier = next((p for p in out if p.reading is not None and o.reading is not None
                        and p.reading.info is o.reading.info), None)
        if earlier is None or o.reading is None:
            out.append(o)
            continue
        if all(v in ("", None) or earlier.args.get(k) == v for k, v in o.args.items()):
            continue
        required = {p.name for p in o.reading.info.required}
        if required and required <= set(o.reading.inherited):
            earlier.args.update({k: v for k, v in o.args.items()
                                 if k not in required and v not in ("", None)})
            continue
        out.append(o)
    return out


def _first_word(clause: Clause) -> str:
    """The clause's first word of letters or digits."""
    return next((w for w in clause.words if w[0].isalnum()), "")


def _asks_amount_of(o: Outcome, clause: Clause, before: list[Outcome]) -> bool:
    """Whether a part asks how much of the swap just asked for, and nothing of its own.

    "I'd like to swap the naan for a chapati, how much should I have?": a swap's answer is
    how much of the new thing; a question of no value of its own and only light words ("how
    much of it would I need?") asks for that, not for the day's summary ("..., what's left
    for today?" still does).
    """
    last = next((b for b in reversed(before) if b.kind == "call"), None)
    words = [w for w in clause.words if w[0].isalnum()]
    return (last is not None and last.reading is not None and o.reading is not None
            and any(p.role for p in last.reading.info.params) and clause.question
            and o.reading.fresh == 0 and not o.reading.info.writes
            and o.reading.evidence < _LIGHT and words[:2] in (["how", "much"], ["how", "many"]))


def _verb_first(clause: Clause, language: Language) -> bool:
    """Whether a part opens with its verb, its subject the one of the part before.

    "had a kebab" after "I did an hour of football and then".
    """
    at = next((i for i, w in enumerate(clause.words) if w[0].isalpha()
               and w not in language.splitters and w not in language.fillers), None)
    return at is not None and clause.words[at] not in language.stop \
        and clause.words[at] not in language.others \
        and not any(h.start <= at < h.end for h in clause.hits) \
        and any(s == at for s, _, _ in clause.evidence)


def _bare(clause: Clause) -> bool:
    """Whether a clause says nothing but values (and context): "a muffin", "lunch too"."""
    return bool(clause.hits) and not any(
        c not in ("{?}",) and not any(h.start <= s < h.end for h in clause.hits)
        and not any(a <= s < b for a, b in clause.context)
        for s, _, c in clause.evidence)


def _lead(clause: Clause) -> list[Token]:
    """The words of a clause up to its first word of evidence before its first value.

    "I had my planned breakfast and then a cookie": "i had" serves the cookie too (not
    "planned", which describes the breakfast).
    """
    if not clause.hits:
        return []
    first = min(h.start for h in clause.hits)
    said = [e for s, e, c in clause.evidence if s < first and c not in ("{?}",)]
    return clause.tokens[:said[0]] if said else []


def _resolved(clause: Clause, before: Clause | None, index: ValueIndex,
              language: Language) -> list[Token] | None:
    """The clause with its pronoun replaced by the thing the part before named.

    "... gave me a slice of apple pie and I ate it": "I ate a slice of apple pie". The thing
    is the last value of an open list in the part before, with the amount said just before
    it; a bare count keeps its number ("and I had one"). ``None`` when the clause names
    nothing by a pronoun or the part before no such thing.
    """
    if before is None or not clause.refers:
        return None
    words = clause.words
    at = next((i for i, w in enumerate(words) if w in language.anaphora
               and not any(a <= i < b for a, b in clause.context)), None)
    named = [h for h in before.hits if h.kind == "vocab"
             and not index.vocabularies[h.vocab].closed
             and not any(a <= h.start < b for a, b in before.context)]
    if not named:
        return None
    # the latest thing, a known name before a longer guess ("cookies", not "baked cookies")
    last = max(named, key=lambda h: (h.end, h.confidence, h.end - h.start))
    portion = portion_at(words, language)
    if at is None and portion is not None:  # "and I had a slice": a slice of the thing
        of = Token("of", clause.tokens[portion].end, clause.tokens[portion].end)
        return [*clause.tokens[:portion + 1], of, *before.tokens[last.start:last.end],
                *clause.tokens[portion + 1:]]
    if at is None:  # "and I had one": the count is kept, the thing follows it
        numbers = [i for i, t in enumerate(clause.tokens) if t.is_number]
        if not numbers:
            return None
        n = numbers[-1] + 1
        return clause.tokens[:n] + before.tokens[last.start:last.end] + clause.tokens[n:]
    start = last.start
    while True:  # "a slice of" just before "apple pie"
        amount = next((h for h in before.hits if h.kind == "vocab" and h.end == start
                       and h.start < start), None)
        if amount is None:
            break
        start = amount.start
    return clause.tokens[:at] + before.tokens[start:last.end] + clause.tokens[at + 1:]
