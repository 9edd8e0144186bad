"""Deciding what one clause asks for: a call, a question, a choice, or nothing.

:class:`Decider` reads a clause as a call of every tool (:func:`~.assign.read_tool`) and
decides:

* a **call** when one tool fits clearly with all its required values; a tool that writes also
  needs every value found with confidence, a clear lead over the next tool, and a sentence
  that states a fact (not "I thought about skipping lunch", "should I skip dinner?");
* a **question** when a tool fits clearly but a required value is missing ("I ate
  something"); the answer is taken in the next turn (:class:`~.state.DialogueState`);
* **either** when two tools that write fit as well; **near_miss** for a write only thought
  about, asked about or done by someone else; otherwise **nothing**.

An elliptical follow-up ("and dinner too", "make that forty five", "I just had one") is read
against the previous calls: the tool takes the new value and keeps the others.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from voicelive.exceptions import ToolError

from .asking import RequestWords
from .assign import Reading, read_tool
from .catalog import ToolInfo
from .clause import Clause
from .state import PendingQuestion, PreviousCall
from .text import Lexicon, Token
from .values import ValueIndex

__all__ = ["ACCEPT", "Decider", "Outcome"]

_log = logging.getLogger(__name__)

ACCEPT = 1.5
"""Lowest score of a reading that is called."""
_STRONG = 1.2
_MARGIN = 0.6


@dataclass(eq=False)
class Outcome:
    """What one clause asks for.

    Attributes:
        kind: ``call``, ``question``, ``either``, ``near_miss`` or ``nothing``.
        reading: The tool's reading it is about.
        args: Validated arguments of a call (or the values known, for a question).
        other: The second tool of ``either``.
        ranked: The best readings, best first (for "nothing fits").
        clause: The clause.
    """

    kind: str
    reading: Reading | None = None
    args: dict[str, Any] = field(default_factory=dict)
    other: Reading | None = None
    ranked: list[Reading] = field(default_factory=list)
    clause: Clause | None = None


class Decider(RequestWords):
    """Decides clauses against a set of tools.

    Args:
        tools: The tools that can be called.
        index: Their vocabularies.
        lexicon: Words of the language.
    """

    def __init__(self, tools: list[ToolInfo], index: ValueIndex, lexicon: Lexicon) -> None:
        self.index = index
        self.lexicon = lexicon
        self._reachable = tools
        self._by_name = {t.name: t for t in tools}
        self._known = frozenset(c for t in tools for c in t.cues)
        self._free = [t for t in tools if any(p.kind == "string" and p.vocabulary is None
                                              and p.required for p in t.params)]
        """Tools with a required plain text parameter: they take things no list knows."""
        self._free_open = [t for t in tools if t.writes and any(
            p.kind == "string" and p.required and (p.vocabulary is None or not p.vocabulary.closed)
            for p in t.params)]
        """Writing tools with a required text of an open list: a thing to log is theirs."""

    def clause(self, norm: str, tokens: list[Token]) -> Clause:
        """Read a clause (``tokens`` index ``norm``), with what the tools know of its words."""
        clause = Clause.read(norm, tokens, self.index, self.lexicon)
        clause.foreign = frozenset(i for i in range(len(clause.words)) if self._foreign(clause, i))
        clause.elsewhere = self._elsewhere(clause)
        if clause.about_me:
            light = self.lexicon.language.light_verbs  # "how am I getting on?"
            said = [c for s, _, c in clause.evidence if c not in ("{?}", "skip")
                    and c not in light and not any(a <= s < b for a, b in clause.context)]
            foreign = sum(c not in self._known for c in said)
            # "how do I reset my phone?" is not about one's day: more words no tool knows
            # than words some tool knows
            clause.about_me = foreign == 0 or len(said) - foreign >= foreign
            words, lang = clause.words, self.lexicon.language
            asked = next((i for i, w in enumerate(words) if w in lang.wh_words), None)
            if (asked is not None and asked + 1 < len(words)
                    and words[asked + 1] not in lang.questions
                    and self.lexicon.concept(words[asked + 1]) not in lang.light_verbs
                    and self._foreign(clause, asked + 1)):
                clause.about_me = False  # "which medication should I ask for?" asks of it
        return clause

    def decide(self, clause: Clause, context: tuple[PreviousCall, ...],
                pending: PendingQuestion | None) -> Outcome:
        """What to do with one clause, given the calls before it and a question asked."""
        outcome = self._choose(clause, context, pending)
        outcome.clause = clause
        return outcome

    def _choose(self, clause: Clause, context: tuple[PreviousCall, ...],
                pending: PendingQuestion | None) -> Outcome:
        if clause.elsewhere == "object" and pending is None:
            return Outcome("nothing")
        readings: list[Reading] = []
        if clause.follow_up and context:
            last = self._by_name.get(context[-1].tool)
            clause.reports = clause.reports or bool(last and last.writes)
        # the latest call of each tool is what a follow-up can lean on ("and lunch too" after
        # "I skipped breakfast and then ran for half an hour")
        latest = {c.tool: c for c in context}
        for info in self._reachable:
            previous: Mapping[str, Any] | None = None
            answering = pending is not None and pending.tool == info.name
            if pending is not None and answering:
                previous = pending.args
            elif info.name in latest:
                previous = latest[info.name].args
            elif clause.refers and (not clause.follow_up or self._requested(clause)) and (
                    not any(p.role for p in info.required) or any(
                        h.kind == "vocab" and not self.index.vocabularies[h.vocab].closed
                        for h in clause.hits)):
                # "make it 200 grams" corrects the last call; it borrows no other tool's
                # values; a swap takes its sides from what is said ("I'll have one" is none)
                previous = self._shared(info, context)
            elif clause.follow_up and any(p.role for p in info.required):
                # "what's in olive oil, and could I use butter instead?": the swap's other
                # side is the thing of the call before
                previous = self._shared(info, context)
            reading = read_tool(info, clause, self.index, self.lexicon, previous,
                                answering=answering)
            if reading.follows and info.name not in latest and not answering:
                reading.score -= 0.3  # leaning on another tool's call: its own call goes first
            readings.append(reading)
        if not readings:
            return Outcome("nothing")
        readings.sort(key=lambda r: r.score, reverse=True)
        if pending is not None:
            answer = next((r for r in readings if r.info.name == pending.tool), None)
            if (answer is not None and pending.missing in answer.args and answer.missing
                    and pending.missing not in answer.inherited and not clause.hypothetical):
                # "Which activity?" - "some weights": the answer, and the next question
                return Outcome("question", answer, {**pending.args, **answer.args},
                               ranked=readings[:3])
            if (answer is not None and pending.missing in answer.args
                    and pending.missing not in answer.inherited and not answer.missing
                    and answer.surest and not clause.hypothetical):
                top = readings[0]
                if top is answer or top.evidence < _STRONG or top.missing:
                    for name, value in pending.args.items():
                        answer.args.setdefault(name, value)
                    args = self.validate(answer)
                    if args is not None:  # the answer to the question asked
                        return Outcome("call", answer, args, ranked=readings[:3])
        best = readings[0]
        if best.follows and best.evidence < 0.4:
            # "and what's in quinoa?" after a swap: a tool the words fit, before the one the
            # clause would only lean on
            fitting = next((r for r in readings[1:] if not r.follows and not r.missing
                            and not r.info.writes
                            and r.evidence >= _STRONG + 0.5 and r.score >= ACCEPT), None)
            if fitting is not None:
                readings.remove(fitting)
                readings.insert(0, fitting)
                best = fitting
        if best.follows and best.evidence < 0.4 and self._requested(clause):
            # "how many calories in a flapjack? and can you log one?": the request verb names
            # another tool for the same thing
            # ("what's in a mango? oh and log an apple too": the apple is the log's own)
            named = next((r for r in readings[1:] if (r.follows or r.fresh > 0) and not r.missing
                          and r.evidence >= best.evidence + 0.8 and r.score >= ACCEPT), None)
            if named is not None:
                readings.remove(named)
                readings.insert(0, named)
                named.score = max(named.score, best.score + _MARGIN + 0.01)
                best = named
        second = next((r for r in readings[1:] if r.info is not best.info), None)
        ranked = readings[:3]
        writes = best.info.writes
        clear = second is None or best.score - second.score >= _MARGIN or (
            # "had three glasses of white wine" with a drinks tool: the wine is its drink
            writes and self._named_rival(second, [best]) is best)
        evident = best.evidence >= 0.4 or best.follows
        # "I need to cut down to 1500 calories a day": for a tool that sets, the wish is the
        # request; for one that reports, an intention is no fact
        # "I won't be having lunch, so please adjust my plan": a decided future, and the
        # change asked for now
        wished = clause.hypothetical and not (clause.intends and best.info.sets) and not (
            clause.decided and writes and not clause.asks)
        # "my coach wants me on 3,200, can you set that?": another's advice, made the
        # user's own request to a tool that sets; "my husband had a pie" stays his
        others = clause.someone_else and not (best.info.sets and self._addressed(clause))
        if (wished or others
                or (clause.asks and not best.follows and best.info.declared)) and writes and (
                best.evidence >= 1.0 or (evident and not best.follows)):
            # a thought, an intention or someone else's doing is not written, even on weak
            # evidence ("I nearly had a second slice"); a follow-up leans on the last call
            return Outcome("near_miss", best, ranked=ranked)
        if clause.choice is not None and writes and not clause.question and not best.follows \
                and not any(c == "skip" and s < clause.choice[0].start
                            for s, _, c in clause.evidence):  # "no rice or pasta" is no choice
            # "I had rice or pasta": which one was it?
            taken = next((p for p in best.info.params if best.hits.get(p.name) in clause.choice),
                         None)
            if taken is not None:
                best.missing = [taken]
                args = {k: v for k, v in best.args.items() if k != taken.name}
                return Outcome("question", best, args, ranked=ranked)
        if clause.handles and writes and not best.follows:
            # "I just bought a bag of apples", "I'm meal prepping rice": had, not eaten;
            # "book me a table for two", "order me a pizza": an errand no tool runs
            return Outcome("nothing" if self._errand(clause) else "near_miss", best,
                           ranked=ranked)
        if clause.handles and not writes and (
                (clause.question and best.evidence < _STRONG)
                or not (clause.question or self._commands(clause))):
            # "how long do I roast a chicken for?": about cooking it, not what is in it;
            # "there's half a cheesecake in the fridge" asks nothing
            return Outcome("nothing", ranked=ranked)
        rival = self._named_rival(best, readings) if writes else None
        if rival is not None and rival.missing:
            # "I drank some water" with a water tool: its question, not a food logged
            return Outcome("question", rival, dict(rival.args), ranked=ranked)
        if rival is not None and rival.surest and (args := self.validate(rival)) is not None:
            return Outcome("call", rival, args, ranked=ranked)
        named = self._names_missing(clause, readings, best)
        if named is not None:
            # "can I log some food?", "I want to record my steps": what is asked for, not
            # said; a question for it, not a report
            return Outcome("question", named, dict(named.args), ranked=ranked)
        setter = self._setting_asked(clause, readings, best)
        if setter is not None:
            # "I'd like to change my daily calories": the value to set, asked for
            return Outcome("question", setter, dict(setter.args), ranked=ranked)
        unnamed = self._something(clause, readings, best)
        if unnamed is not None:
            # "I'd like to log something I ate", "something I had for lunch": a thing had,
            # not named; its question, not a meal marked eaten
            return Outcome("question", unnamed, dict(unnamed.args), ranked=ranked)
        # "log that", "and can you log one?": a request verb for the thing of the call before
        asked_for = best.follows and clause.refers and self._requested(clause)
        if (best.score >= ACCEPT or (asked_for and best.score >= 1.0)) and evident \
                and not best.missing and not (
                writes and (best.contradicted or clause.elsewhere)) \
                and clause.elsewhere != "target":  # "oats to my grocery list": not looked up
            args = self.validate(best)
            if args is not None:
                if not writes:
                    return Outcome("call", best, args, ranked=ranked)
                if best.surest and clear and (best.worded or best.follows):
                    return Outcome("call", best, args, ranked=ranked)
                if (best.surest and (best.worded or best.follows) and second is not None
                        and second.score >= ACCEPT):
                    return Outcome("either", best, other=second, ranked=ranked)
        if not clause.someone_else:
            # a number said that fits none of the missing values says another thing was
            # meant ("set an alarm for 6 30" is no calorie target): nothing to ask
            loose = [h for h in clause.hits if h.kind == "number" and h.unit is None]
            # "could I swap the chips for something healthier?": a read asks what is
            # missing, a thought never leads to a write
            asking = [r for r in readings if r.missing and r.evidence >= _STRONG
                      and not (clause.hypothetical and r.info.writes)
                      and not (loose and any(p.kind in ("integer", "number")
                                             for p in r.missing))]
            if asking:
                q = max(asking, key=lambda r: r.evidence)
                # the tool asked about beats a reading that found no call either, once a
                # value of its own was said ("I did some cycling": how long?)
                if (q.evidence >= best.evidence or (q.fresh and best.score < ACCEPT)) and (
                        q.score >= best.score - 1.0
                        or ((clause.reports or self._commands(clause))
                            and q.evidence >= best.evidence + 1.0)):
                    referred = self._referent(q, clause, context[-1] if context else None)
                    if referred is not None:
                        return Outcome("call", q, referred, ranked=ranked)
                    return Outcome("question", q, dict(q.args), ranked=ranked)
        return Outcome("nothing", ranked=ranked)

    def _named_rival(self, best: Reading, readings: list[Reading]) -> Reading | None:
        """Another writing tool whose own words name the value ``best`` took.

        "I drank some water": with a tool that logs water, "water" names that tool rather
        than a food, and its question (how much?) comes before a food is logged; "I had two
        glasses of red wine" with a tool that logs "beer, wine, cocktails" is its call.
        """
        required = {p.name for p in best.info.required}  # the thing, not how much of it
        taken = [h for name, h in best.hits.items() if h.kind in ("vocab", "text")
                 and name not in best.inherited and name in required]
        if best.follows or not taken:
            return None
        # the head of each value (its last word of content): "red wine" is a wine
        heads = [next((w for w in reversed(str(h.value).split()) if self.lexicon.is_content(w)),
                      "") for h in taken]
        concepts = {self.lexicon.concept(w) for w in heads if w}
        for r in readings:
            # a tool that can be called at once needs less evidence than one lacking a value:
            # "I had two glasses of red wine" with a tool that logs wine and beer as drinks
            needed = best.evidence + 0.3 if r.missing else 0.5
            if (r is best or not r.info.writes or r.follows or r.evidence < needed
                    or r.info.name == best.info.name or any(
                        p.vocabulary is q.vocabulary is not None
                        for p in r.info.params for q in best.info.required)):
                continue  # a tool taking the same kind of value ("my snack") is no rival
            # named in its description ("beer, wine, cocktails": 1.2), or in its name (3.0)
            if concepts and all(r.info.cues.get(c, 0.0) >= (1.5 if r.missing else 1.0)
                                for c in concepts):
                return r
        return None

    def _shared(self, info: ToolInfo, context: tuple[PreviousCall, ...]) -> dict[str, Any] | None:
        """Values of the latest earlier call that fit ``info``'s required parameters.

        "Okay, I just had one" after "how many calories in a bagel?": the food looked up is
        the food eaten (a parameter of the same vocabulary).
        """
        for call in reversed(context):
            before = self._by_name.get(call.tool)
            if before is None:
                continue
            shared = {p.name: call.args[q.name] for p in info.required for q in before.params
                      if p.vocabulary is not None and q.vocabulary is p.vocabulary
                      and call.args.get(q.name)}
            if shared:  # and how much of it, for "I just drank one" (see assign)
                return shared | {p.name: call.args[q.name] for p in info.params
                                 if not p.required for q in before.params
                                 if p.vocabulary is not None and q.vocabulary is p.vocabulary
                                 and call.args.get(q.name)}
        return None

    def _referent(self, reading: Reading, clause: Clause,
                  context: PreviousCall | None) -> dict[str, Any] | None:
        """Arguments for "how much protein is in that" (reads only).

        The missing values are the previous call's values of the same vocabulary.
        """
        if context is None or reading.info.writes or not any(
                c == "{?}" for _, _, c in clause.evidence):
            return None
        before = self._by_name.get(context.tool)
        if before is None:
            return None
        for missing in reading.missing:
            source = next((p for p in before.params if p.vocabulary is not None
                           and p.vocabulary is missing.vocabulary and p.name in context.args
                           and context.args[p.name]), None)
            if source is None:
                return None
            reading.args[missing.name] = context.args[source.name]
            reading.inherited += (missing.name,)
        reading.missing = []
        return self.validate(reading)

    def validate(self, reading: Reading) -> dict[str, Any] | None:
        """The reading's arguments, validated by its tool (``None`` when they are refused)."""
        args: dict[str, Any] = {}
        for p in reading.info.params:
            if p.name not in reading.args:
                continue
            value = reading.args[p.name]
            if p.kind == "integer" and isinstance(value, float):
                value = round(value)
            elif p.kind == "string":
                value = str(value)
            args[p.name] = value
        try:
            return reading.info.tool.validate(args)
        except (ToolError, ValueError, TypeError) as exc:
            _log.debug("arguments for %s rejected: %s", reading.info.name, exc)
            return None
