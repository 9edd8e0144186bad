"""What understanding knows about each tool, derived once from its declaration.

From a tool's name, description, docstring texts, JSON schema, hints and templates
(:mod:`voicelive.tools.hints`), :func:`build_catalog` makes a :class:`ToolInfo`: typed
parameters with their vocabularies and units, weighted cue words, word pairs of its example
sentences, and the words seen next to each parameter in them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from voicelive.tools.hints import Vocabulary, parameter_vocabularies, tool_hints

from .concepts import concepts_of, expand_template, skeleton
from .text import Lexicon, tokenize

__all__ = ["ParamInfo", "ToolInfo", "UnderstoodTool", "build_catalog", "expand_template"]

_SLOT = re.compile(r"\{([^{}:]+)(?::([^{}]+))?\}")
_SPEAKABLE = frozenset({"string", "integer", "number", "enum"})


class UnderstoodTool(Protocol):
    """What understanding needs from a tool (:class:`voicelive.tools.Tool` provides it)."""

    @property
    def name(self) -> str:
        """Tool name."""
        ...

    @property
    def description(self) -> str:
        """What the tool does."""
        ...

    @property
    def parameters_json_schema(self) -> dict[str, Any]:
        """JSON schema of the parameters."""
        ...

    def validate(self, args: Mapping[str, Any] | None) -> dict[str, Any]:
        """Validate and coerce arguments."""
        ...


@dataclass(frozen=True, slots=True, eq=False)
class ParamInfo:
    """One parameter as understanding sees it.

    Attributes:
        name: Parameter name.
        kind: ``string``, ``integer``, ``number``, ``enum``, ``boolean`` or ``other``.
        required: Whether the call needs it.
        vocabulary: Its known values (enum values become a closed vocabulary).
        unit: The unit it is in (``min``, ``ml``, ``kg`` ...), from its name or description.
        minimum: Lowest accepted value (numbers).
        maximum: Highest accepted value (numbers).
        label: Human name ("weight kg").
        role: ``old`` / ``new`` for the two sides of a replacement, else ``""``.
        scale: How many of :attr:`unit` one of the parameter's own unit is (``hours`` is in
            minutes with a scale of 60): a value heard in :attr:`unit` is divided by it.
        unit_word: The word that named the unit ("hours"), for questions.
        measures: Other units its description defines, in :attr:`unit` ("a glass is about
            250 ml" makes ``{"glass": 250.0}``).
        examples: Example values its description (or, for a tool's only text parameter, the
            tool's) gives ("such as a headache or nausea"): a word of one may be the value
            even where it also names the tool.
    """

    name: str
    kind: str
    required: bool
    vocabulary: Vocabulary | None
    unit: str | None
    minimum: float | None
    maximum: float | None
    label: str
    role: str = ""
    scale: float = 1.0
    unit_word: str = ""
    measures: Mapping[str, float] = field(default_factory=dict)
    examples: tuple[str, ...] = ()


@dataclass(eq=False)
class ToolInfo:
    """One tool as understanding sees it.

    Attributes:
        tool: The tool itself (validates arguments).
        name: Its name.
        params: Its parameters (without the injected context).
        writes: Whether it changes something.
        cues: Concept -> weight of evidence for this tool.
        pairs: Concept pairs (and ``{param}`` placeholders) of its templates and examples.
        left: Per parameter, concepts seen just before it in templates.
        ability: Short phrase of what it does.
        examples: Example sentences (for speech biasing and help).
        skip: Whether its description speaks of something not happening.
        unreachable: Why it cannot be called offline ("" when it can).
        skeletons: Its templates and examples word by word (stop words kept).
        skeleton_firsts: The first words of :attr:`skeletons`.
        required: Parameters the call needs.
        own: Stems of words of its name and first sentence that stand for a wider concept
            ("sugar" of "blood sugar", a nutrient), weighted by how few tools say them: the
            word itself said is more than its concept.
        sets: Whether it sets a value (its name or description starts with a setting verb,
            "set_targets"): a wish ("I need to eat less, 1500 a day") asks for it.
        declared: Whether :attr:`writes` was declared (``@hints(writes=...)``), not guessed
            from the name: only a declared write is held back from a question ("what is 12
            percent of 80?" may call a tool named ``percent_of``).
    """

    tool: UnderstoodTool
    name: str
    params: list[ParamInfo]
    writes: bool
    cues: dict[str, float] = field(default_factory=dict)
    pairs: set[tuple[str, str]] = field(default_factory=set)
    left: dict[str, set[str]] = field(default_factory=dict)
    ability: str = ""
    examples: list[str] = field(default_factory=list)
    skip: bool = False
    unreachable: str = ""
    skeletons: set[tuple[str, ...]] = field(default_factory=set)
    skeleton_firsts: set[str] = field(default_factory=set)
    required: list[ParamInfo] = field(default_factory=list)
    declared: bool = False
    sets: bool = False
    own: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.required = [p for p in self.params if p.required]


def _tool_words(name: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return [w for w in re.split(r"[^A-Za-z]+", spaced.lower()) if w]


def _resolve(prop: Mapping[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        return _resolve(defs.get(str(prop["$ref"]).rsplit("/", 1)[-1], {}), defs)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in prop:
            for option in prop[key]:
                resolved = _resolve(option, defs)
                if resolved.get("type") != "null":
                    merged = {k: v for k, v in prop.items() if k != key}
                    return {**resolved, **merged}
    return dict(prop)


def _params(tool: UnderstoodTool, lexicon: Lexicon) -> tuple[list[ParamInfo], list[str]]:
    schema = tool.parameters_json_schema
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    vocabularies = parameter_vocabularies(tool)
    units = lexicon.language.units
    out: list[ParamInfo] = []
    problems: list[str] = []
    for name, raw in schema.get("properties", {}).items():
        prop = _resolve(raw, defs)
        kind = "enum" if "enum" in prop or "const" in prop else str(prop.get("type", "other"))
        vocab = vocabularies.get(name)
        if kind == "enum":
            values = [str(v) for v in prop.get("enum", [prop.get("const")])]
            vocab = Vocabulary([v.replace("_", " ") for v in values], closed=True,
                               aliases={v.replace("_", " ").lower(): v for v in values})
        words = _tool_words(name)
        unit_word = next((w for w in words if w in units), None)
        if unit_word is None and kind in ("integer", "number"):
            doc_words = re.findall(r"[a-z]+", str(prop.get("description", "")).lower())
            unit_word = next((w for w in doc_words if w in units), None)
        unit, scale = units[unit_word] if unit_word is not None else (None, 1.0)
        lo = prop.get("minimum", prop.get("exclusiveMinimum"))
        hi = prop.get("maximum", prop.get("exclusiveMaximum"))
        lang = lexicon.language
        role = ("old" if set(words) & lang.roles_old else
                "new" if set(words) & lang.roles_new else "")
        label = " ".join(words) or name
        if role:  # "original" says little in a question: "Which planned food?" says more
            label = _described(str(prop.get("description", ""))) or label
        info = ParamInfo(name=name, kind=kind if kind in _SPEAKABLE | {"boolean"} else "other",
                         required=name in required, vocabulary=vocab, unit=unit,
                         minimum=None if lo is None else float(lo),
                         maximum=None if hi is None else float(hi), label=label, role=role,
                         scale=scale, unit_word=unit_word or "",
                         measures=_measures(str(prop.get("description", "")), unit, units),
                         examples=_examples(str(prop.get("description", ""))) if (
                             kind == "string" and vocab is None) else ())
        if info.required and info.kind not in _SPEAKABLE:
            problems.append(f"parameter {name!r} ({kind}) cannot be said")
        out.append(info)
    plain = [p for p in out if p.kind == "string" and p.vocabulary is None]
    if len(plain) == 1:  # "Note a symptom, such as a headache": the tool's examples too
        merged = tuple(dict.fromkeys((*plain[0].examples, *_examples(tool.description or ""))))
        out[out.index(plain[0])] = replace(plain[0], examples=merged)
    return out, problems


_EXAMPLES = re.compile(r"\b(?:e\.g\.|such as|for example|for instance)\s+([^.;:()]+)",
                       re.IGNORECASE)


def _examples(text: str) -> tuple[str, ...]:
    """Example values a description gives ("such as a headache or nausea", 'e.g. "oat milk"')."""
    out: list[str] = []
    for found in _EXAMPLES.findall(text):
        for item in re.split(r",|\bor\b|\band\b", found.lower()):
            words = [w for w in re.findall(r"[a-z]+", item) if w not in ("a", "an", "the")]
            if 1 <= len(words) <= 3:
                out.append(" ".join(words))
    return tuple(dict.fromkeys(out))


_MEASURE = re.compile(r"\b(?:a|an|one) ([a-z]+) is (?:about |around |roughly |usually )?"
                      r"(\d+(?:\.\d+)?) ?([a-z]+)")


def _measures(description: str, unit: str | None,
              units: Mapping[str, tuple[str, float]]) -> dict[str, float]:
    """Units a parameter's description defines ("a glass is about 250 ml"), in ``unit``."""
    out: dict[str, float] = {}
    if unit is None:
        return out
    for word, number, said in _MEASURE.findall(description.lower()):
        base = units.get(said)
        known = units.get(word)
        if base is not None and base[0] == unit and word in units and (
                known is None or known[0] != unit):
            out[units[word][0]] = float(number) * base[1]
    return out


def _described(description: str) -> str:
    """What a parameter is, from its description ("The planned food, e.g." -> planned food).

    Empty when the description does not start that way.
    """
    first = re.split(r"[,.;(]| e\.g\.", description, maxsplit=1)[0].strip()
    words = first.split()
    if len(words) < 2 or words[0].lower() not in ("the", "a", "an") or len(words) > 6:
        return ""
    return " ".join(words[1:]).lower()


def _ability(description: str, name: str) -> str:
    first = re.split(r"(?<=[.!?:;])\s", " ".join(description.split()), maxsplit=1)[0]
    first = re.split(r",|;|:| and (?:add|give|move|shrink|re-?plan)| in the | to make",
                     first.rstrip(".:;"), maxsplit=1)[0].strip()
    # said to the person: "log how long the person slept" -> "log how long you slept"
    first = re.sub(r"\bthe (?:person|user)'s\b", "your", first)
    first = re.sub(r"\bthe (?:person|user) (?:has|is)\b",
                   lambda m: "you have" if m.group(0).endswith("has") else "you are", first)
    first = re.sub(r"\bthe (?:person|user) was\b", "you were", first)
    # "how hungry the person feels" -> "how hungry you feel"
    first = re.sub(r"\bthe (?:person|user) (\w+?)(e?s)\b", _you_verb, first)
    first = re.sub(r"\bthe (?:person|user)\b", "you", first)
    words = first.split()
    if len(words) > 7:
        words = words[:7]
        while words and words[-1].lower() in {"a", "an", "the", "of", "for", "in", "and",
                                               "to", "with", "its", "their"}:
            words.pop()
    text = " ".join(words) or " ".join(_tool_words(name))
    return text[:1].lower() + text[1:]


def _you_verb(match: re.Match[str]) -> str:
    """The verb after "the person", said to the person ("feels" -> "feel", "does" -> "do")."""
    stem, ending = match.group(1), match.group(2)
    if ending == "es" and not stem.endswith(("ch", "sh", "ss", "x", "o")):
        stem += "e"  # "takes" -> "take", but "watches" -> "watch", "goes" -> "go"
    return f"you {stem}"


def build_catalog(tools: Iterable[UnderstoodTool], lexicon: Lexicon) -> list[ToolInfo]:
    """Derive a :class:`ToolInfo` for each tool (cue weights are relative to the others)."""
    lang = lexicon.language
    infos: list[ToolInfo] = []
    raw_cues: list[dict[str, float]] = []
    for tool in tools:
        hints = tool_hints(tool)
        params, problems = _params(tool, lexicon)
        words = _tool_words(tool.name)
        writes = hints.writes if hints.writes is not None else not (
            words and words[0] in lang.read_verbs)
        info = ToolInfo(tool=tool, name=tool.name, params=params, writes=writes,
                        declared=hints.writes is not None,
                        ability=hints.ability or _ability(tool.description or "", tool.name))
        lead = re.findall(r"[a-z]+", (tool.description or "").lower())[:1]
        info.sets = bool({*words[:1], *lead} & lang.setting_verbs)
        cues: dict[str, float] = {}

        def add(text: str, weight: float, cues: dict[str, float] = cues) -> None:
            for word in re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower()):
                if lexicon.is_content(word) and len(word) > 1:
                    concept = lexicon.concept(word)
                    cues[concept] = max(cues.get(concept, 0.0), weight)

        add(words[0] if words else "", 2.0)
        add(" ".join(words[1:]), 3.0)  # what the tool is about: "water" in log_water
        description = " ".join((tool.description or "").split())
        first, _, rest = description.partition(". ")
        add(first, 1.2)
        add(rest[:400], 0.5)
        for p in params:
            add(p.label, 0.6)
        props = tool.parameters_json_schema.get("properties", {})
        for p in params:
            add(str(props.get(p.name, {}).get("description", ""))[:200], 0.3)
        sentences: list[str] = []
        for template in getattr(tool, "templates", ()) or ():
            sentences += expand_template(str(template))
        sentences += list(hints.examples)
        info.examples = [s for s in list(hints.examples) if s][:3]
        for sentence in sentences:
            _learn_sentence(info, sentence, lexicon, cues)
        if not info.examples:
            info.examples = [s for s in sentences if "{" not in s][:3]
        # about something not happening: said in its name or first sentence
        info.own = {lexicon.stem(w): 1.0 for w in re.findall(
            r"[a-z]+", f"{' '.join(words)} {first}".lower())
            if lexicon.is_content(w) and len(w) > 2 and lexicon.concept(w) != lexicon.stem(w)
            and lexicon.stem(w) not in lang.light_verbs}
        info.skip = any(lexicon.stem(w) in lang.absence_words or lexicon.concept(w) == "skip"
                        for w in re.findall(r"[a-z]+", f"{tool.name} {first}".lower()))
        if info.skip:
            cues["skip"] = max(cues.get("skip", 0.0), 1.5)
        if not description and not sentences and not words:
            problems.append("it has no description, templates or examples")
        info.unreachable = "; ".join(problems)
        infos.append(info)
        raw_cues.append(cues)
    n = len(infos)
    df: dict[str, int] = {}
    for cues in raw_cues:
        for concept in cues:
            df[concept] = df.get(concept, 0) + 1
    for info, cues in zip(infos, raw_cues, strict=True):
        info.cues = {c: w / math.sqrt(df[c]) if n > 1 else w for c, w in cues.items()}
    said: dict[str, int] = {}
    for info in infos:
        for stem in info.own:
            said[stem] = said.get(stem, 0) + 1
    for info in infos:
        info.own = {stem: 1.0 / said[stem] for stem in info.own}
    return infos


def _learn_sentence(info: ToolInfo, sentence: str, lexicon: Lexicon,
                    cues: dict[str, float]) -> None:
    """Take cue words, word pairs and slot neighbours from one template or example."""
    names: dict[str, str] = {}

    def placeholder(m: re.Match[str]) -> str:
        key = "zzslot" + chr(97 + len(names) % 26) * (1 + len(names) // 26)
        names[key] = m.group(2) or m.group(1)
        return f" {key} "

    _, tokens = tokenize(_SLOT.sub(placeholder, sentence), lexicon.language)
    words = [("{" + names[t.word] + "}") if t.word in names else t.word for t in tokens]
    # the same treatment of fillers, absence phrases and stop words as for what is heard
    seq = concepts_of(words, lexicon)
    whole = tuple(t for _, _, t in skeleton(words, lexicon))
    optional = {"{" + p.name + "}" for p in info.params if not p.required}
    # a value that may be left out may be left out of the sentence too: "what's in {amount}
    # {food}" also stands for "what's in {food}"
    for form in {whole, tuple(t for t in whole if t not in optional)}:
        if len(form) >= 2:
            info.skeletons.add(form)
            info.skeleton_firsts.add(form[0])
    for concept in seq:
        if not concept.startswith("{"):
            cues[concept] = max(cues.get(concept, 0.0), 1.5)
    for i, a in enumerate(seq):
        for b in seq[i + 1:i + 3]:
            info.pairs.add((a, b))
        if a.startswith("{") and i > 0 and not seq[i - 1].startswith("{"):
            info.left.setdefault(a[1:-1], set()).add(seq[i - 1])
