"""Intent and slot recognition against the registered tools, with hassil sentence templates.

Each tool may carry templates in hassil syntax (``(skipped|missed) [my] {meal}``: alternatives,
optional words, list references, wildcards). :class:`IntentMatcher` compiles them into one set of
hassil intents, one intent per tool, and derives each ``{list}`` from the tool's own JSON schema:

* a parameter with ``enum`` values (a ``Literal``) becomes a list of those values;
* an ``integer`` or ``number`` parameter becomes a digit range within its bounds (spoken
  numbers are turned into digits first by
  :func:`~voicelive.backends.local.numbers.normalize_numbers`); a ``number`` is also tried as
  a wildcard in the loose pass, for decimals;
* a string parameter with known slot values (foods, activities ...) becomes a list of them, and,
  in a second, looser pass, a wildcard whose text is snapped to the nearest known value;
* anything else is a wildcard.

Matches are validated by the tool itself (``tool.validate``), so a slot value outside the schema
never reaches a tool. If nothing matches, words the recogniser got slightly wrong are corrected
toward the template vocabulary and matching is tried once more.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from voicelive.exceptions import MissingExtraError, ToolError

from .fuzzy import Skeleton, best_match, kinds_from
from .numbers import normalize_numbers
from .slotcheck import SlotScorer, SlotSpan, recheck_slots

__all__ = ["IntentMatch", "IntentMatcher", "MatchableTool", "normalize_text"]

_log = logging.getLogger(__name__)

_LIST_REF = re.compile(r"\{([^{}:]+)(?::([^{}]+))?\}")
_SYNTAX = re.compile(r"[()\[\]|{}<>;]")
_PUNCT = re.compile(r"[^\w\s'%.]|(?<!\d)\.|\.(?!\d)")
_MAX_INT = 100000
_CLOSED_LIST_MAX = 12
"""A string slot with at most this many known values (meals) is a closed list: no wildcard."""
_FILLERS = ("the", "please", "um", "uh", "okay", "ok", "hey", "just", "so", "well")
"""Words dropped (with a trailing "today", "tonight" ...) in a second try when the text as
heard does not match."""
_LEADING = ("the ", "my ", "some ", "a ", "an ")
_TRAILING = re.compile(r"\s+(?:today|tonight|this (?:morning|afternoon|evening)|so far|now|"
                       r"right now|please)$")


class MatchableTool(Protocol):
    """What the matcher needs from a tool (``voicelive.tools.Tool`` provides it)."""

    @property
    def name(self) -> str:
        """Tool name."""
        ...

    @property
    def description(self) -> str:
        """What the tool does."""
        ...

    @property
    def templates(self) -> tuple[str, ...]:
        """Hassil sentence templates."""
        ...

    @property
    def parameters_json_schema(self) -> dict[str, Any]:
        """JSON schema of the parameters."""
        ...

    def validate(self, args: Mapping[str, Any] | None) -> dict[str, Any]:
        """Validate and coerce arguments."""
        ...


@dataclass(frozen=True, slots=True)
class IntentMatch:
    """A recognised request.

    Attributes:
        tool: Name of the tool to call.
        args: Validated arguments.
        text: The normalised text that matched.
        corrected: True when the text matched only after fuzzy word correction.
        exact: True when every slot took a known value or number (no wildcard, no
            correction): the surest kind of match.
        spans: Where the values of slots with known values sit in ``text`` (for checking
            them against the audio, see :mod:`~voicelive.backends.local.slotcheck`).
    """

    tool: str
    args: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    corrected: bool = False
    exact: bool = False
    spans: tuple[SlotSpan, ...] = ()


def normalize_text(text: str) -> str:
    """Lower-case, spoken numbers as digits, punctuation removed, spaces collapsed."""
    s = normalize_numbers(text)
    s = _PUNCT.sub(" ", s)
    return " ".join(s.split())


def _schema_props(schema: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    defs = schema.get("$defs", {})
    props: dict[str, dict[str, Any]] = {}
    for name, prop in schema.get("properties", {}).items():
        props[name] = _resolve(prop, defs)
    return props


def _resolve(prop: Mapping[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        ref = str(prop["$ref"]).rsplit("/", 1)[-1]
        return _resolve(defs.get(ref, {}), defs)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in prop:
            for option in prop[key]:
                resolved = _resolve(option, defs)
                if resolved.get("type") != "null":
                    return resolved
    return dict(prop)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9']+", text.lower()) if w]


class IntentMatcher:
    """Matches user text to a tool and its arguments.

    Args:
        tools: Tools to match against; tools without templates are skipped.
        slot_values: Known values per list or parameter name (``{"food": [...]}``), used to
            build lists and to bias speech recognition.
        fuzzy_cutoff: Similarity (0-1) a misheard word needs to be corrected to a known one.
        plausible: ``plausible(slot, value)`` says whether a value that is not a known one
            could be meant (see :func:`~voicelive.backends.local.slotcheck.recheck_slots`).
    """

    def __init__(
        self,
        tools: Iterable[MatchableTool],
        slot_values: Mapping[str, Sequence[str]] | None = None,
        *,
        fuzzy_cutoff: float = 0.8,
        plausible: Callable[[str, str], bool] | None = None,
    ) -> None:
        try:
            from hassil import Intents
        except ImportError as exc:
            raise MissingExtraError("the local backend's intent matcher", "local",
                                    "hassil") from exc
        self._tools = {t.name: t for t in tools if t.templates}
        self._slot_values = {k.lower(): list(v) for k, v in (slot_values or {}).items()}
        self._cutoff = fuzzy_cutoff
        self._plausible = plausible
        self._known: dict[str, list[str]] = {}
        self._lowered: dict[str, dict[str, str]] = {}
        self._numeric: set[str] = set()
        self._closed: dict[str, list[str]] = {}
        self._skeletons: list[Skeleton] | None = None
        self._kinds: Any = None
        strict: dict[str, Any] = {}
        loose: dict[str, Any] = {}
        vocabulary: set[str] = set()
        intents: dict[str, Any] = {}
        for tool in self._tools.values():
            props = _schema_props(tool.parameters_json_schema)
            for template in tool.templates:
                vocabulary.update(_words(_SYNTAX.sub(" ", _LIST_REF.sub(" ", template))))
                for list_name, slot in _LIST_REF.findall(template):
                    slot_name = slot or list_name
                    prop = props.get(slot_name) or props.get(list_name) or {}
                    s, lo, known = self._lists_for(list_name, slot_name, prop)
                    strict.setdefault(list_name, s)
                    loose.setdefault(list_name, lo)
                    if known:
                        self._known.setdefault(slot_name, known)
                        self._known.setdefault(list_name, known)
                        if s is lo:
                            self._closed.setdefault(slot_name, known)
                    elif prop.get("type") in ("integer", "number"):
                        self._numeric.add(slot_name)
            intents[tool.name] = {"data": [{"sentences": list(tool.templates)}]}
        for values in self._known.values():
            for value in values:
                vocabulary.update(_words(value))
        self._vocabulary = sorted(w for w in vocabulary if not w.isdigit())
        self._intents = Intents.from_dict({
            "language": "en",
            "intents": intents,
            "lists": {"_unused": {"wildcard": True}},
        })
        self._strict = strict
        self._loose = loose

    @property
    def tool_names(self) -> list[str]:
        """Names of the tools that have templates."""
        return list(self._tools)

    @property
    def vocabulary(self) -> list[str]:
        """Every literal word of the templates and the known slot values."""
        return list(self._vocabulary)

    def closed_values(self) -> list[str]:
        """Values of the closed lists (few known values, such as meal names), deduplicated."""
        return list(dict.fromkeys(v for values in self._closed.values() for v in values))

    def known_values(self) -> dict[str, list[str]]:
        """Known values by list/slot name (for biasing speech recognition)."""
        return {k: list(v) for k, v in self._known.items()}

    def _lists_for(
        self, list_name: str, slot_name: str, prop: Mapping[str, Any]
    ) -> tuple[Any, Any, list[str]]:
        from hassil import RangeSlotList, TextSlotList, WildcardSlotList

        enum = prop.get("enum")
        if enum:
            values = [str(v) for v in enum]
            text_list = TextSlotList.from_tuples(
                [(v.replace("_", " "), v) for v in values], name=list_name
            )
            return text_list, text_list, values
        if prop.get("type") in ("integer", "number"):
            lo = int(prop.get("minimum", prop.get("exclusiveMinimum", 0)))
            hi = int(prop.get("maximum", prop.get("exclusiveMaximum", _MAX_INT)))
            rng = RangeSlotList(name=list_name, start=max(lo, 0), stop=min(hi, _MAX_INT),
                                words=False)
            if prop["type"] == "number":  # decimals ("72.5 kilos") only in the loose pass
                return rng, WildcardSlotList(name=list_name), []
            return rng, rng, []
        known = self._slot_values.get(list_name.lower()) or self._slot_values.get(
            slot_name.lower()
        )
        wildcard = WildcardSlotList(name=list_name)
        if known:
            text_list = TextSlotList.from_strings(known, name=list_name)
            if len(known) <= _CLOSED_LIST_MAX:
                return text_list, text_list, list(known)
            return text_list, wildcard, list(known)
        return wildcard, wildcard, []

    def match(self, text: str) -> IntentMatch | None:
        """Find the tool and arguments ``text`` asks for.

        Args:
            text: What the user said (a transcript or a typed message).

        Returns:
            The match with validated arguments, or ``None`` when nothing fits.
        """
        return self._match(text)

    def _match(self, text: str, *, exact_only: bool = False) -> IntentMatch | None:
        normalized = normalize_text(text)
        if not normalized or not self._tools:
            return None
        found = self._match_normalized(normalized)
        if exact_only:
            return found if found is not None and found.exact else None
        if found is None:
            corrected = self._correct(normalized)
            if corrected != normalized:
                found = self._match_normalized(corrected)
                if found is not None:
                    found = IntentMatch(found.tool, found.args, corrected, corrected=True,
                                        exact=found.exact, spans=found.spans)
        if found is not None:
            if found.exact:
                return found
            # A wildcard took an unknown value ("log 20 minutes on swimming" as a food): a
            # near-exact fit of another tool's template with known values is the likelier
            # reading. Within the same tool the unknown value stands ("salad" is not snapped
            # to "salsa").
            near = self._match_fuzzy(_TRAILING.sub("", normalized))
            return near if near is not None and near.tool != found.tool else found
        return self._match_fuzzy(_TRAILING.sub("", normalized))

    def best(self, texts: Sequence[str]) -> tuple[str, IntentMatch | None]:
        """Pick, among a recogniser's hypotheses (most likely first), what the user said.

        A hypothesis that fits a template exactly with known slot values wins over a likelier
        one that matches only through a wildcard or a correction ("I snacked on some
        almonds" over "... some moments"); otherwise the likeliest hypothesis that matches at
        all, else the likeliest text.

        Args:
            texts: Transcripts, most likely first.

        Returns:
            ``(text, match)``; ``("", None)`` when ``texts`` is empty.
        """
        if not texts:
            return "", None
        found: list[tuple[str, IntentMatch | None]] = []
        seen: set[str] = set()
        for text in texts:
            key = normalize_text(text)
            if key in seen:
                continue
            seen.add(key)
            # Once one hypothesis matches, the others are only checked for an exact fit (the
            # slower correction passes could not make them win).
            settled = any(m is not None for _, m in found)
            match = self._match(text, exact_only=settled)
            if match is not None and match.exact and not match.corrected:
                return text, match
            found.append((text, match))
        for text, match in found:
            if match is not None:
                return text, match
        return texts[0], None

    def _match_fuzzy(self, text: str) -> IntentMatch | None:
        if self._skeletons is None:
            self._skeletons = self._build_skeletons()
            self._kinds = kinds_from(self._numeric, self._closed, self._known)
        words = [w for w in text.split() if w not in _FILLERS]
        for cost, skeleton, slots in best_match(words, self._skeletons, self._kinds)[:5]:
            tool = self._tools[skeleton.tool]
            args: dict[str, Any] = dict(slots)
            try:
                valid = tool.validate(args)
            except (ToolError, ValueError, TypeError):
                continue
            _log.debug("fuzzy match %s at cost %.2f", tool.name, cost)
            return IntentMatch(tool.name, valid, text, corrected=True)
        return None

    def _build_skeletons(self) -> list[Skeleton]:
        from hassil import parse_sentence
        from hassil.sample import sample_expression

        skeletons: list[Skeleton] = []
        for tool in self._tools.values():
            for template in tool.templates:
                flat = _LIST_REF.sub(lambda m: "{" + (m.group(2) or m.group(1)) + "}", template)
                try:
                    samples = sample_expression(parse_sentence(flat).expression, slot_lists={},
                                                expand_lists=False)
                    for k, sample in enumerate(samples):
                        if k >= 300:
                            break
                        tokens = tuple(re.findall(r"\{[^{}]+\}|[a-z0-9']+", sample.lower()))
                        skeletons.append(Skeleton(tool.name, tokens))
                except Exception:  # hassil raises several types on odd templates
                    _log.debug("cannot expand template %r", template)
        return list(dict.fromkeys(skeletons))

    def _match_normalized(self, text: str) -> IntentMatch | None:
        words = _TRAILING.sub("", text).split()
        trimmed = " ".join(w for w in words if w not in _FILLERS)
        tries = [text] if trimmed == text or not trimmed else [text, trimmed]
        for lists in (self._strict, self._loose):
            for candidate in tries:
                found = self._recognize(candidate, lists)
                if found is not None:
                    return found
        return None

    def _recognize(self, text: str, lists: Mapping[str, Any]) -> IntentMatch | None:
        from hassil import recognize_all

        results = []
        for i, result in enumerate(recognize_all(text, self._intents, slot_lists=dict(lists))):
            results.append(result)
            if i >= 24:
                break
        results.sort(key=lambda r: (sum(e.is_wildcard for e in r.entities_list),
                                    -r.text_chunks_matched))
        for result in results:
            tool = self._tools[result.intent.name]
            args: dict[str, Any] = {}
            spans: list[SlotSpan] = []
            exact = True
            for entity in result.entities_list:
                value = entity.value
                if entity.is_wildcard:
                    value = self._snap(entity.name, str(entity.text or value).strip())
                    if not value:
                        break
                    exact = exact and value in self._known.get(entity.name, ())
                args[entity.name] = value
                span = self._span(text, entity.name, entity.text_span)
                if span is not None:
                    spans.append(span)
            else:
                try:
                    valid = tool.validate(args)
                except (ToolError, ValueError, TypeError) as exc:
                    _log.debug("template of %s matched but arguments failed: %s", tool.name, exc)
                    continue
                return IntentMatch(tool.name, valid, text, exact=exact, spans=tuple(spans))
        return None

    def _span(self, text: str, slot: str, where: tuple[int, int] | None) -> SlotSpan | None:
        """The span of a slot with known text values, without a leading article."""
        if where is None or slot in self._numeric or not self._known.get(slot):
            return None
        start, end = where
        if not 0 <= start < end <= len(text):
            return None
        value = text[start:end].lower()
        if value not in self._known_by_lower(slot):
            # "some moments": the value is what follows the article.
            for article in _LEADING:
                if value.startswith(article) and len(value) > len(article):
                    start += len(article)
                    break
        return SlotSpan(slot, start, end)

    def _known_by_lower(self, slot: str) -> dict[str, str]:
        """The slot's known values keyed by their lower-case form (built once per slot)."""
        found = self._lowered.get(slot)
        if found is None:
            found = self._lowered[slot] = {k.lower(): k for k in self._known.get(slot, ())}
        return found

    def warm_up(self) -> None:
        """Run the plausibility check once, so data it loads lazily is ready for a turn."""
        if self._plausible is not None:
            for slot, values in self._known.items():
                if values:
                    self._plausible(slot, values[0])

    def recheck(self, match: IntentMatch, scorer: SlotScorer) -> IntentMatch | None:
        """Check ``match``'s slot values against the audio it was heard from.

        Args:
            match: A match from this matcher.
            scorer: Scores readings of the utterance (see
                :func:`~voicelive.backends.local.slotcheck.recheck_slots`).

        Returns:
            The match with the values the audio supports better, or ``None`` when it stands.
        """
        if not match.spans:
            return None
        changes = recheck_slots(match.text, match.spans, self._known, scorer,
                                plausible=self._plausible)
        if not changes:
            return None
        _log.debug("slot values changed after checking the audio: %r", changes)
        return self.revise(match, changes)

    def revise(self, match: IntentMatch, values: Mapping[str, str]) -> IntentMatch | None:
        """The same request with some slot values replaced (validated again).

        Args:
            match: A match from this matcher, with :attr:`IntentMatch.spans`.
            values: New text value per slot name.

        Returns:
            The revised match (its ``text`` says the new values), or ``None`` when the tool
            rejects the new arguments.
        """
        tool = self._tools.get(match.tool)
        if tool is None or not values:
            return None
        args = dict(match.args)
        text = match.text
        spans = sorted((s for s in match.spans if s.slot in values), key=lambda s: -s.start)
        for span in spans:
            text = text[: span.start] + values[span.slot] + text[span.end:]
        args.update({slot: self._snap(slot, value) for slot, value in values.items()})
        try:
            valid = tool.validate(args)
        except (ToolError, ValueError, TypeError) as exc:
            _log.debug("revised arguments of %s failed: %s", tool.name, exc)
            return None
        exact = all(str(valid.get(s)) in self._known.get(s, ()) for s in values)
        return IntentMatch(match.tool, valid, text, corrected=match.corrected,
                           exact=match.exact and exact)

    def _snap(self, slot: str, value: str) -> str:
        """Map a wildcard's text to a known value when it is one, nearly (a misheard word)."""
        lowered = self._known_by_lower(slot)
        if not lowered or not value:
            return value
        bare = value.lower()
        for article in _LEADING:
            if bare.startswith(article) and bare[len(article):] in lowered:
                bare = bare[len(article):]
        if bare in lowered:
            return lowered[bare]
        close = difflib.get_close_matches(bare, list(lowered), n=1, cutoff=0.88)
        return lowered[close[0]] if close else value

    def _correct(self, text: str) -> str:
        vocab = set(self._vocabulary)
        out: list[str] = []
        for word in text.split():
            if word in vocab or len(word) < 3 or not word.isalpha():
                out.append(word)
                continue
            close = difflib.get_close_matches(word, self._vocabulary, n=1, cutoff=self._cutoff)
            out.append(close[0] if close else word)
        return " ".join(out)

    def examples(self, per_tool: int = 1) -> list[str]:
        """Example requests rendered from the templates (for help replies and STT biasing)."""
        out: list[str] = []
        for name in self._tools:
            out += self.tool_examples(name)[:per_tool]
        return out

    def tool_examples(self, name: str, limit: int = 3) -> list[str]:
        """Up to ``limit`` example sentences of one tool."""
        from hassil import parse_sentence
        from hassil.sample import sample_expression

        tool = self._tools[name]
        examples: list[str] = []
        fill = {k: _typical(v) for k, v in self._known.items() if v}
        for template in sorted(tool.templates, key=lambda t: len(_LIST_REF.findall(t))):
            try:
                sentence = parse_sentence(template)
                for sample in sample_expression(sentence.expression, slot_lists={},
                                                expand_lists=False, skip_optionals=True):
                    examples.append(_fill(sample, fill))
                    break
            except Exception:  # hassil raises several types on odd templates
                _log.debug("cannot sample template %r", template)
            if len(examples) >= limit:
                break
        return examples

    def abilities(self) -> list[str]:
        """Short phrases of what each tool does, from the first sentence of its description."""
        out: list[str] = []
        for tool in self._tools.values():
            text = " ".join((tool.description or "").split())
            first = re.split(r"(?<=[.!?:;])\s", text, maxsplit=1)[0].rstrip(".:;")
            if len(first) > 48:  # keep the spoken list short: cut at a clause
                first = re.split(r",| and | in | that match | with ", first, maxsplit=1)[0]
            first = first.strip() or tool.name.replace("_", " ")
            out.append(first[0].lower() + first[1:])
        return out


def _typical(values: Sequence[str]) -> list[str]:
    """Values to show in examples: short single words first, in a stable order."""
    simple = [v for v in values if v.isalpha() and 3 <= len(v) <= 8]
    if not simple:
        return list(values)
    step = max(1, len(simple) // 7)
    return simple[step // 2::step] or simple


def _fill(sample: str, values: Mapping[str, Sequence[str]]) -> str:
    used = [0]

    def repl(m: re.Match[str]) -> str:
        name = m.group(2) or m.group(1)
        options = values.get(name) or values.get(m.group(1))
        if not options:
            return "30"
        used[0] += 1
        return options[(used[0] + len(name)) % len(options)]

    text = " ".join(_LIST_REF.sub(repl, sample).split())
    return text[:1].upper() + text[1:]
