"""Understanding one turn: hypotheses and dialogue state in, calls or a reply out.

:class:`Understander` is built once per session from the tools' declarations. For each
hypothesis it cuts the text into sentences and, where each part carries its own request, into
clauses ("I skipped breakfast and then ran for 30 minutes"; :mod:`.split`); decides per clause
what it asks for (:class:`~.decide.Decider`: a call, a question, a choice or nothing); and
makes of these the turn's calls, in order, or its one reply: a short question, or a "nothing
fits" naming two or three things that can be done, chosen by what was heard.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from voicelive.exceptions import ToolError

from ..slotcheck import SlotScorer, SlotSpan
from .catalog import ToolInfo, UnderstoodTool, build_catalog
from .check import recheck
from .clause import Clause
from .completing import completed, measured, repeats
from .decide import Decider, Outcome
from .language import ENGLISH, Language
from .numbers import fractions_as_said
from .replies import ask_for, either, near_miss, nothing_fits, offer
from .result import Call, Understanding
from .sentence import SentenceReader
from .split import corrected, sentences
from .state import DialogueState, PendingQuestion, PreviousCall
from .text import Lexicon, Token, find_phrases, tokenize
from .values import HIGH, ValueIndex

__all__ = ["MAX_CHARS", "Call", "Understander", "Understanding"]

MAX_CHARS = 2000
"""Characters of one utterance that are read; the rest is ignored (bounded work per turn)."""
_MAX_SENTENCES = 8
_MAX_HYPOTHESES = 5


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
            for unit in {p.unit for p in info.required if p.unit}:
                self.index.unit_users[unit] = self.index.unit_users.get(unit, 0) + 1
        self._by_name = {t.name: t for t in self.tools}
        known = {c for t in self.tools for c in t.cues}
        self.lexicon.opposed = frozenset(  # "plan" beside "unplanned"
            c for c in known for p in language.opposite_prefixes if p + c in known)
        self._reachable = [t for t in self.tools if not t.unreachable]
        self._decider = Decider(self._reachable, self.index, self.lexicon)
        self._reader = SentenceReader(self._decider, self.index, language)

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
        tokens = corrected(_unhesitated(tokens, self.language), self.index, self.language)
        context = state.last
        pending = state.pending
        calls: list[Call] = []
        sure = True
        outcomes: list[Outcome] = []
        for sentence in self._reader.joined(norm, sentences(tokens)[:_MAX_SENTENCES],
                                            context, pending):
            # "I skipped my lunch. Just drank some water.": what else happened, no request
            aside = (bool(calls) and sentence[0].word in self.language.elaborations) or (
                bool(calls or state.last) and sentence[0].word in self.language.modifiers)
            for outcome in self._reader.read(norm, sentence, context, pending):
                if outcome.kind == "call" and outcome.reading is not None and (
                        at := completed(outcome, calls)) is not None:
                    # "I cycled for forty minutes. I'm 90 kilos.": the same ride, heavier
                    calls[at] = self._complete(calls[at], outcome)
                elif outcome.kind == "call" and outcome.reading is not None:
                    if (aside and outcome.reading.info.writes) or repeats(outcome, calls):
                        continue  # nor "It was the planned salmon." a second call
                    call = self._call(norm, outcome)
                    calls.append(call)
                    sure = sure and all(c >= HIGH for c in outcome.reading.confidence.values())
                    context = (*context, PreviousCall(call.tool, call.args))
                    pending = None
                elif (at := completed(outcome, calls)) is not None:
                    # "I swam for half an hour, I weigh 64 kilos": the weight is the swim's
                    calls[at] = self._complete(calls[at], outcome)
                elif (found := measured(outcome, calls)) is not None:
                    # "aim for 2100 calories and 120 grams of protein": the target's protein
                    calls[found[0]] = self._complete(calls[found[0]], found[1])
                else:
                    outcomes.append(outcome)
        if calls:
            last_word = words[-1] if words[-1][0].isalnum() else (
                words[-2] if len(words) > 1 else "")
            complete = sure and last_word not in self.language.dangling
            reply, pending = "", None
            # a question about a value meant ("and then had a shake ... how long?"), not one
            # a part of bare cue words raises ("quick check, where am I?")
            asked = next((o for o in outcomes if o.kind == "question" and o.reading
                          and (o.reading.fresh or o.reading.unclear or any(
                              c == "{?}" for _, _, c in (o.clause.evidence if o.clause
                                                         else ())))), None)
            if asked is not None and asked.reading is not None:
                # "I went for a run and then had a shake": log the shake, ask how long
                param = asked.reading.missing[0]
                reply = ask_for(param, self.language, text, _unknown(asked, param.name),
                                _options(asked))
                pending = PendingQuestion(asked.reading.info.name, dict(asked.args), param.name)
                complete = False
            return Understanding(
                text=text, calls=tuple(calls), kind="calls", complete=complete, reply=reply,
                score=10.0 + len(calls) + (2.0 if sure else 0.0),
                state=DialogueState(last=tuple(PreviousCall(c.tool, c.args) for c in calls),
                                    pending=pending, turns=turns))
        return self._reply(text, outcomes, state, turns)

    def _reply(self, text: str, outcomes: list[Outcome], state: DialogueState,
               turns: int) -> Understanding:
        lang = self.language
        for kind in ("question", "either", "near_miss"):
            for o in outcomes:
                if o.kind != kind or o.reading is None:
                    continue
                if kind == "question":
                    param = o.reading.missing[0]
                    pending = PendingQuestion(o.reading.info.name, dict(o.args), param.name)
                    return Understanding(text=text,
                                         reply=ask_for(param, lang, text,
                                                       _unknown(o, param.name), _options(o)),
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
        for o in outcomes:  # tools that took a value said first ("some crackers")
            ranked += [r.info for r in o.ranked if r.fresh > 0 and r.info not in ranked]
        for o in outcomes:
            ranked += [r.info for r in o.ranked if r.evidence > 0 and r.info not in ranked]
        if len(ranked) < 3:
            start = sum(map(ord, text)) % max(1, len(self._reachable))
            rotated = self._reachable[start:] + self._reachable[:start]
            ranked += [t for t in rotated if t not in ranked]
        if not any(o.clause is not None and _asked(o.clause) for o in outcomes):
            # "hello", "thanks", "okay": nothing was asked, so nothing failed; "some
            # crackers": a thing was named, and what to do with it is offered
            return Understanding(text=text, reply=offer(text, ranked[:4], lang),
                                 kind="nothing", score=1.0,
                                 state=replace(state, pending=None, turns=turns))
        return Understanding(text=text, reply=nothing_fits(text, ranked[:4], lang),
                             kind="nothing", score=1.0,
                             state=replace(state, pending=None, turns=turns))

    def _tentative(self, text: str, outcome: Outcome) -> Call | None:
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

    def _complete(self, call: Call, outcome: Outcome) -> Call:
        """``call`` with the optional values the outcome found (unchanged when refused)."""
        reading = outcome.reading
        assert reading is not None
        info = self._by_name[call.tool]
        args = {**call.args, **{n: reading.args[n] for n in reading.hits
                                if n not in reading.inherited}}
        try:
            valid = info.tool.validate(args)
        except (ToolError, ValueError, TypeError):
            return call
        return replace(call, args=valid)

    def _call(self, norm: str, outcome: Outcome) -> Call:
        reading, clause = outcome.reading, outcome.clause
        assert reading is not None and clause is not None
        spans: list[SlotSpan] = []
        for name, hit in reading.hits.items():
            if hit.kind in ("vocab", "text") and name not in reading.inherited:
                first, last = clause.tokens[hit.start], clause.tokens[hit.end - 1]
                spans.append(SlotSpan(name, first.start, last.end))
        # "half a cup of", as said, not "0.5 cup of" (the numbers of the reading)
        args = {k: fractions_as_said(v) if isinstance(v, str) else v
                for k, v in outcome.args.items()}
        return Call(reading.info.name, args, reading.info.writes, norm,
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


def _unhesitated(tokens: list[Token], language: Language) -> list[Token]:
    """``tokens`` without a hesitation said between commas inside a phrase.

    "I had a chicken, uh, sandwich" is "I had a chicken sandwich"; a hesitation before a
    correction stays ("cupcakes, hmm, no, brownies").
    """
    words = [t.word for t in tokens]
    drop: set[int] = set()
    for i in range(1, len(words) - 2):
        if (words[i] == "," and words[i + 1] in language.hesitations and words[i + 2] == ","
                and words[i - 1][0].isalpha() and i + 3 < len(words)
                and words[i + 3][0].isalpha() and words[i + 3] not in language.corrections
                and not find_phrases(words[i + 3:i + 5], language.corrections)):
            drop.update((i, i + 1, i + 2))
    return [t for i, t in enumerate(tokens) if i not in drop] if drop else tokens


def _asked(clause: Clause) -> bool:
    """Whether a clause says anything beyond values and context (a request of some kind)."""
    return any(not any(h.start <= s < h.end for h in clause.hits)
               and not any(a <= s < b for a, b in clause.context)
               for s, _, _ in clause.evidence)


def _options(outcome: Outcome) -> tuple[str, ...]:
    """The values a question asks the speaker to choose between ("rice or pasta")."""
    clause = outcome.clause
    if clause is None or clause.choice is None:
        return ()
    return tuple(str(h.value) for h in clause.choice)


def _unknown(outcome: Outcome, name: str) -> str:
    """The words said for parameter ``name`` that its list does not know, if any."""
    reading = outcome.reading
    hit = reading.unclear.get(name) if reading is not None else None
    if hit is None or reading is None or not reading.info.writes:
        return ""
    words = str(hit.value).split()
    return " ".join(words) if 0 < len(words) <= 3 else ""
