"""Understanding one turn: hypotheses and dialogue state in, calls or a reply out.

:class:`Understander` is built once per session from the tools' declarations. For each
hypothesis it splits the text into sentences and, where each part carries its own request,
into clauses ("I skipped breakfast and then ran for 30 minutes"); reads every clause as a call
of every tool (:func:`~.assign.read_tool`); and decides per clause:

* a **call** when one tool fits clearly with all its required values; a tool that writes also
  needs every value found with confidence, a clear lead over the next tool, and a sentence
  that states a fact (not "I thought about skipping lunch", "should I skip dinner?");
* a **question** when a tool fits clearly but a required value is missing ("I ate
  something"); the answer is taken in the next turn (:class:`~.state.DialogueState`);
* otherwise nothing, and the turn's reply is a short "nothing fits" naming two or three
  things that can be done, chosen by what was heard.

An elliptical follow-up ("and dinner too", "make that forty five") is read against the
previous call: the tool takes the new value and keeps the others.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from voicelive.exceptions import ToolError

from ..slotcheck import SlotScorer, SlotSpan
from .assign import Reading, read_tool
from .catalog import ToolInfo, UnderstoodTool, build_catalog
from .check import recheck
from .clause import Clause
from .language import ENGLISH, Language
from .replies import ask_for, either, near_miss, nothing_fits, offer
from .result import Call, Understanding
from .state import DialogueState, PendingQuestion, PreviousCall
from .text import Lexicon, Token, find_phrases, tokenize
from .values import HIGH, ValueIndex

__all__ = ["MAX_CHARS", "Call", "Understander", "Understanding"]

_log = logging.getLogger(__name__)

MAX_CHARS = 2000
"""Characters of one utterance that are read; the rest is ignored (bounded work per turn)."""
_MAX_SENTENCES = 8
_MAX_HYPOTHESES = 5
_ACCEPT = 1.5
_STRONG = 1.2
_MARGIN = 0.6


@dataclass(eq=False)
class _Outcome:
    kind: str
    reading: Reading | None = None
    args: dict[str, Any] = field(default_factory=dict)
    other: Reading | None = None
    ranked: list[Reading] = field(default_factory=list)
    clause: Clause | None = None


class Understander:
    """Understands what users say against a set of tools.

    Args:
        tools: The tools (any object with ``name``, ``description``,
            ``parameters_json_schema`` and ``validate``, such as :class:`voicelive.tools.Tool`).
        language: Words of the language spoken.
    """

    def __init__(self, tools: Iterable[UnderstoodTool], language: Language = ENGLISH) -> None:
        self.language = language
        self.lexicon = Lexicon(language)
        self.index = ValueIndex(self.lexicon)
        self.tools: list[ToolInfo] = build_catalog(tools, self.lexicon)
        for info in self.tools:
            for vocabulary in {id(p.vocabulary): p.vocabulary for p in info.params
                               if p.vocabulary is not None}.values():
                self.index.add(vocabulary)
        self._by_name = {t.name: t for t in self.tools}
        self._reachable = [t for t in self.tools if not t.unreachable]
        self._known = frozenset(c for t in self._reachable for c in t.cues)

    # -- about the tools -----------------------------------------------------------------

    def warm_up(self) -> None:
        """Run each plausibility check once, so data it loads lazily is ready for a turn."""
        for vocabulary in self.index.vocabularies:
            if vocabulary.plausible is not None and vocabulary.values:
                vocabulary.plausible(vocabulary.values[0])
                vocabulary.plausible("warm up")  # a word off the list reaches the table

    def unreachable(self) -> list[tuple[str, str]]:
        """Tools that cannot be called offline, with the reason for each."""
        return [(t.name, t.unreachable) for t in self.tools if t.unreachable]

    def examples(self) -> list[str]:
        """One example request per tool that has one (for speech biasing)."""
        return [t.examples[0] for t in self._reachable if t.examples]

    def closed_values(self) -> list[str]:
        """Values of short closed lists (meal names, enum values), for speech biasing."""
        out: list[str] = []
        for info in self._reachable:
            for p in info.params:
                v = p.vocabulary
                if v is not None and v.closed and len(v.values) <= 12:
                    out += [x for x in v.values if x not in out]
        return out

    def abilities(self) -> list[str]:
        """A short phrase of what each tool does."""
        return [t.ability for t in self._reachable]

    def known_values(self, tool: str) -> dict[str, list[str]]:
        """Known values per text parameter of ``tool`` (for the audio check)."""
        info = self._by_name.get(tool)
        if info is None:
            return {}
        return {p.name: list(p.vocabulary.values) for p in info.params
                if p.vocabulary is not None and p.kind == "string"}

    # -- understanding -------------------------------------------------------------------

    def understand(
        self,
        hypotheses: Sequence[str] | Sequence[tuple[str, float]] | str,
        state: DialogueState | None = None,
    ) -> Understanding:
        """Understand one turn.

        Args:
            hypotheses: What the recogniser heard, most likely first: texts, or
                ``(text, log-probability)`` pairs (only their order counts for now); a typed
                message is one text.
            state: The dialogue state so far (a new conversation when ``None``).

        Returns:
            The calls to make or the reply to speak, and the state after this turn.
        """
        state = state or DialogueState()
        texts = [hypotheses] if isinstance(hypotheses, str) else [
            h if isinstance(h, str) else h[0] for h in hypotheses]
        seen: set[str] = set()
        best: Understanding | None = None
        best_rank = 0.0
        for rank, raw in enumerate(texts[:_MAX_HYPOTHESES]):
            text = " ".join(str(raw).split())[:MAX_CHARS]
            if not text or text.lower() in seen:
                continue
            seen.add(text.lower())
            found = self._one(text, state)
            ranked = found.score - 0.8 * rank
            if (best is not None and best.kind == "near_miss"
                    and any(c.writes for c in found.calls)):
                continue  # "should I skip dinner?" heard best: a runner-up never writes it
            if best is None or ranked > best_rank:
                best, best_rank = found, ranked
            if found.kind == "calls" and found.score >= 12.0:
                break  # every value known exactly: later hypotheses cannot do better
        if best is None:
            return Understanding(text="", state=replace(state, pending=None))
        return best

    def _one(self, text: str, state: DialogueState) -> Understanding:
        norm, tokens = tokenize(text, self.language)
        turns = state.turns + 1
        if not tokens:
            return Understanding(text=text, state=replace(state, turns=turns))
        words = [t.word for t in tokens]
        if state.pending is not None and find_phrases(words, self.language.cancel) == [
                (0, len([w for w in words if w[0].isalnum()]))]:
            return Understanding(text=text, reply=self.language.say["cancelled"][0],
                                 kind="cancelled", score=5.0,
                                 state=replace(state, pending=None, turns=turns))
        context = state.last
        pending = state.pending
        calls: list[Call] = []
        sure = True
        outcomes: list[_Outcome] = []
        for sentence in _sentences(tokens)[:_MAX_SENTENCES]:
            for outcome in self._sentence(norm, sentence, context, pending):
                if outcome.kind == "call" and outcome.reading is not None:
                    call = self._call(norm, outcome)
                    calls.append(call)
                    sure = sure and all(c >= HIGH for c in outcome.reading.confidence.values())
                    context = (*context, PreviousCall(call.tool, call.args))
                    pending = None
                else:
                    outcomes.append(outcome)
        if calls:
            last_word = words[-1] if words[-1][0].isalnum() else (
                words[-2] if len(words) > 1 else "")
            complete = sure and last_word not in self.language.dangling
            reply, pending = "", None
            asked = next((o for o in outcomes if o.kind == "question" and o.reading), None)
            if asked is not None and asked.reading is not None:
                # "I went for a run and then had a shake": log the shake, ask how long
                param = asked.reading.missing[0]
                reply = ask_for(param, self.language, text)
                pending = PendingQuestion(asked.reading.info.name, dict(asked.args), param.name)
                complete = False
            return Understanding(
                text=text, calls=tuple(calls), kind="calls", complete=complete, reply=reply,
                score=10.0 + len(calls) + (2.0 if sure else 0.0),
                state=DialogueState(last=tuple(PreviousCall(c.tool, c.args) for c in calls),
                                    pending=pending, turns=turns))
        return self._reply(text, outcomes, state, turns)

    def _reply(self, text: str, outcomes: list[_Outcome], state: DialogueState,
               turns: int) -> Understanding:
        lang = self.language
        for kind in ("question", "either", "near_miss"):
            for o in outcomes:
                if o.kind != kind or o.reading is None:
                    continue
                if kind == "question":
                    param = o.reading.missing[0]
                    pending = PendingQuestion(o.reading.info.name, dict(o.args), param.name)
                    return Understanding(text=text, reply=ask_for(param, lang, text),
                                         kind="question", score=6.0,
                                         tentative=self._tentative(text, o),
                                         state=replace(state, pending=pending, turns=turns))
                if kind == "either" and o.other is not None:
                    return Understanding(text=text, kind="either", score=4.0,
                                         reply=either(o.reading.info, o.other.info, lang, text),
                                         state=replace(state, pending=None, turns=turns))
                return Understanding(text=text, kind="near_miss", score=4.0,
                                     reply=near_miss(o.reading.info, lang, text,
                                                     someone_else=bool(o.clause and
                                                                       o.clause.someone_else)),
                                     state=replace(state, pending=None, turns=turns))
        ranked: list[ToolInfo] = []
        for o in outcomes:
            ranked += [r.info for r in o.ranked if r.evidence > 0 and r.info not in ranked]
        if len(ranked) < 3:
            start = sum(map(ord, text)) % max(1, len(self._reachable))
            rotated = self._reachable[start:] + self._reachable[:start]
            ranked += [t for t in rotated if t not in ranked]
        if not any(o.clause is not None and o.clause.evidence for o in outcomes):
            # "hello", "thanks", "okay": nothing was asked, so nothing failed
            return Understanding(text=text, reply=offer(text, ranked[:4], lang),
                                 kind="nothing", score=1.0,
                                 state=replace(state, pending=None, turns=turns))
        return Understanding(text=text, reply=nothing_fits(text, ranked[:4], lang),
                             kind="nothing", score=1.0,
                             state=replace(state, pending=None, turns=turns))

    def _sentence(self, norm: str, tokens: list[Token], context: tuple[PreviousCall, ...],
                  pending: PendingQuestion | None) -> list[_Outcome]:
        whole = self._decide(self._clause(norm, tokens), context, pending)
        parts = self._parts(norm, tokens)
        if len(parts) < 2:
            return [whole]
        outcomes: list[_Outcome] = []
        ctx = context
        for part in parts:
            o = self._decide(self._clause(norm, part), ctx, pending if not outcomes else None)
            outcomes.append(o)
            if o.kind == "call" and o.reading is not None:
                ctx = (*ctx, PreviousCall(o.reading.info.name, o.args))
        found = [o for o in outcomes if o.kind == "call"]
        if len(found) >= 2 or (found and whole.kind != "call"):
            return [o for o in outcomes if o.kind in ("call", "question")]
        return [whole]

    def _clause(self, norm: str, tokens: list[Token]) -> Clause:
        clause = Clause.read(norm, tokens, self.index, self.lexicon)
        if clause.about_me:
            said = [c for s, _, c in clause.evidence if c not in ("{?}", "skip")
                    and not any(a <= s < b for a, b in clause.context)]
            foreign = sum(c not in self._known for c in said)
            # "how do I reset my phone?" is not about one's day: more words no tool knows
            # than words some tool knows
            clause.about_me = foreign == 0 or len(said) - foreign >= foreign
        return clause

    def _parts(self, norm: str, tokens: list[Token]) -> list[list[Token]]:
        """Cut a sentence at splitters ("and then") that are not inside a value."""
        words = [t.word for t in tokens]
        hits = self.index.find(tokens)
        cuts = [(s, e) for s, e in find_phrases(words, self.language.splitters)
                if not any(h.start < s and e <= h.end for h in hits)]
        cuts = sorted({*cuts, *self._question_cuts(words)})
        parts: list[list[Token]] = []
        at = 0
        for s, e in cuts[:6]:
            if s > at:
                parts.append(tokens[at:s])
            at = e
        if at < len(tokens):
            parts.append(tokens[at:])
        return [p for p in parts if any(t.word[0].isalnum() for t in p)]

    def _question_cuts(self, words: list[str]) -> list[tuple[int, int]]:
        """Commas before a question ("I missed lunch, so what should I have for dinner?")."""
        lang = self.language
        out: list[tuple[int, int]] = []
        for i, word in enumerate(words[:-1]):
            if word != ",":
                continue
            j = i + 1
            while j < len(words):  # past fillers and joining words: ", so um, what ..."
                skip = next((e for s, e in find_phrases(words[j:j + 4], lang.fillers)
                             if s == 0), 0) or (1 if words[j] in ("and", "but") else 0)
                if not skip:
                    break
                j += skip
            if j < len(words) and words[j] in lang.questions:
                out.append((i, i + 1))
        return out

    def _decide(self, clause: Clause, context: tuple[PreviousCall, ...],
                pending: PendingQuestion | None) -> _Outcome:
        outcome = self._choose(clause, context, pending)
        outcome.clause = clause
        return outcome

    def _choose(self, clause: Clause, context: tuple[PreviousCall, ...],
                pending: PendingQuestion | None) -> _Outcome:
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
            elif clause.refers:
                previous = self._shared(info, context)
            readings.append(read_tool(info, clause, self.index, self.lexicon, previous,
                                      answering=answering))
        if not readings:
            return _Outcome("nothing")
        readings.sort(key=lambda r: r.score, reverse=True)
        if pending is not None:
            answer = next((r for r in readings if r.info.name == pending.tool), None)
            if (answer is not None and pending.missing in answer.args
                    and pending.missing not in answer.inherited and not answer.missing
                    and answer.surest and not clause.hypothetical):
                top = readings[0]
                if top is answer or top.evidence < _STRONG or top.missing:
                    for name, value in pending.args.items():
                        answer.args.setdefault(name, value)
                    args = self._validate(answer)
                    if args is not None:  # the answer to the question asked
                        return _Outcome("call", answer, args, ranked=readings[:3])
        best = readings[0]
        second = next((r for r in readings[1:] if r.info is not best.info), None)
        ranked = readings[:3]
        writes = best.info.writes
        clear = second is None or best.score - second.score >= _MARGIN
        evident = best.evidence >= 0.4 or best.follows
        if (clause.hypothetical or clause.someone_else) and writes and (
                best.evidence >= 1.0 or (evident and not best.follows)):
            # a thought, an intention or someone else's doing is not written, even on weak
            # evidence ("I nearly had a second slice"); a follow-up leans on the last call
            return _Outcome("near_miss", best, ranked=ranked)
        if best.score >= _ACCEPT and evident and not best.missing:
            args = self._validate(best)
            if args is not None:
                if not writes:
                    return _Outcome("call", best, args, ranked=ranked)
                if best.surest and clear:
                    return _Outcome("call", best, args, ranked=ranked)
                if best.surest and second is not None and second.score >= _ACCEPT:
                    return _Outcome("either", best, other=second, ranked=ranked)
        if not (clause.hypothetical or clause.someone_else):
            # a number said that fits none of the missing values says another thing was
            # meant ("set an alarm for 6 30" is no calorie target): nothing to ask
            loose = [h for h in clause.hits if h.kind == "number" and h.unit is None]
            asking = [r for r in readings if r.missing and r.evidence >= _STRONG
                      and not (loose and any(p.kind in ("integer", "number")
                                             for p in r.missing))]
            if asking:
                q = max(asking, key=lambda r: r.evidence)
                # the tool asked about beats a reading that found no call either, once a
                # value of its own was said ("I did some cycling": how long?)
                if (q.evidence >= best.evidence or (q.fresh and best.score < _ACCEPT)) and (
                        q.score >= best.score - 1.0):
                    referred = self._referent(q, clause, context[-1] if context else None)
                    if referred is not None:
                        return _Outcome("call", q, referred, ranked=ranked)
                    return _Outcome("question", q, dict(q.args), ranked=ranked)
        return _Outcome("nothing", ranked=ranked)

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
            if shared:
                return shared
        return None

    def _tentative(self, text: str, outcome: _Outcome) -> Call | None:
        """The call a question is about, with the word heard for the missing value.

        "I snacked on some moments": the call with ``food="moments"``, for checking against
        the audio; ``None`` when no word was heard for it.
        """
        reading, clause = outcome.reading, outcome.clause
        if reading is None or clause is None or len(reading.missing) != 1:
            return None
        heard = reading.unclear.get(reading.missing[0].name)
        if heard is None:
            return None
        norm = clause.text
        first, last = clause.tokens[heard.start], clause.tokens[heard.end - 1]
        args = {**reading.args, reading.missing[0].name: str(heard.value)}
        spans = [SlotSpan(reading.missing[0].name, first.start, last.end)]
        return Call(reading.info.name, args, reading.info.writes, norm, tuple(spans))

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
        return self._validate(reading)

    def _validate(self, reading: Reading) -> dict[str, Any] | None:
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

    def _call(self, norm: str, outcome: _Outcome) -> Call:
        reading, clause = outcome.reading, outcome.clause
        assert reading is not None and clause is not None
        spans: list[SlotSpan] = []
        for name, hit in reading.hits.items():
            if hit.kind in ("vocab", "text") and name not in reading.inherited:
                first, last = clause.tokens[hit.start], clause.tokens[hit.end - 1]
                spans.append(SlotSpan(name, first.start, last.end))
        return Call(reading.info.name, outcome.args, reading.info.writes, norm,
                    tuple(sorted(spans, key=lambda s: s.start)))

    # -- checking values against the audio -------------------------------------------------

    def recheck(self, result: Understanding, scorer: SlotScorer) -> Understanding | None:
        """The result with text values the audio supports better (one call only).

        A question whose :attr:`Understanding.tentative` call gets a known value from the
        audio becomes that call.

        Args:
            result: A result of :meth:`understand` with exactly one call, or a tentative one.
            scorer: Scores readings of the utterance (see
                :func:`~voicelive.backends.local.slotcheck.recheck_slots`).

        Returns:
            The revised result, or ``None`` when it stands.
        """
        call = result.calls[0] if len(result.calls) == 1 else result.tentative
        info = None if call is None else self._by_name.get(call.tool)
        if info is None:
            return None
        return recheck(info, result, scorer)


def _sentences(tokens: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        current.append(token)
        if token.ends_sentence:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return [s for s in out if any(t.word[0].isalnum() for t in s)]


