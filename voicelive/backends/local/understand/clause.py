"""One clause of an utterance: its tokens, values, concepts and what kind of sentence it is.

A clause is a request candidate: a sentence, or a part of one between splitters ("and then").
:class:`Clause` reads everything the tool scoring needs in one pass: the values it holds, the
concept of each evidence word (fillers dropped, "no time for" read as the absence cue), the
trailing context that never carries a request, and whether it is a question, a thought
("I thought about skipping lunch"), a negation or a follow-up ("what about a pear?").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .clause_words import (
    context_ranges,
    describers,
    first_after_fillers,
    opener_asks,
    others_subject,
    subject_word,
)
from .concepts import analyse, skeleton
from .language import Language
from .text import Lexicon, Token, find_phrases
from .values import Hit, ValueIndex, verb_at

__all__ = ["Clause", "portion_at"]

@dataclass(eq=False)
class Clause:
    """A clause, read once.

    Attributes:
        text: Normalised text of the clause (value spans index it).
        tokens: Its tokens (offsets index :attr:`text`).
        hits: Values found in it.
        evidence: ``(start, end, concept)`` of its evidence words.
        context: Token ranges of trailing context without values.
        soft: Token ranges that look like context but hold a value ("at the gym").
        question: It asks something.
        hypothetical: It is a thought, a plan or a question about doing something.
        intends: It is hypothetical only by what the speaker wants or means to do ("I need
            to cut down to 1500 calories"): a request to a tool that sets something.
        decided: It is hypothetical only by a decided future ("I won't be having lunch
            today") and asks for the plan to be changed for it ("so please adjust my plan"):
            the request stands, as a coach would act on it.
        someone_else: Its subject is someone other than the user ("my wife went running").
        absence: It says something did not happen.
        follow_up: It leans on the previous request.
        opener: It starts with a polite request opener ("can you").
        about_me: It asks about the speaker ("am I on track?", "how's my day looking?").
        asks: It is a question, not a request ("what can I have for dinner?", "is it bad to
            skip breakfast?"; not "can I log a banana?").
        taken_back: It says what it tells did not happen after all ("..., but I didn't").
        refers: It names a thing by a pronoun or a bare count ("I had one", "I ate it"): the
            thing may be the one of the turn before.
        elaborating: Words that open an elaboration after a comma (the language's).
        elsewhere: The request is about a thing no tool knows: ``object`` when the verb's
            object is ("set a timer for the pasta"), ``target`` when the place something
            goes is ("add oat milk to my shopping list"); set by the decider.
        foreign: Indices of content words no tool's words know and no value holds (set by the
            decider): "log a Tim Tam" names a thing to log, "log a glucose reading" may not.
        reports: It states something the speaker did ("I treated myself to ..."), or adds to
            a report of the turn before ("oh, and a bowl of ice cream after").
        handles: It tells of food bought, kept, prepared or cooked, and of no eating ("I
            just bought a bag of apples", "how long do I roast a chicken for?").
        choice: Two values of one open list joined by "or" ("I had rice or pasta"): which of
            them is not said.
    """

    text: str
    tokens: list[Token]
    hits: list[Hit] = field(default_factory=list)
    evidence: list[tuple[int, int, str]] = field(default_factory=list)
    full: list[tuple[int, int, str]] = field(default_factory=list)
    bare: list[tuple[int, int, str]] = field(default_factory=list)
    context: list[tuple[int, int]] = field(default_factory=list)
    soft: list[tuple[int, int]] = field(default_factory=list)
    question: bool = False
    hypothetical: bool = False
    intends: bool = False
    decided: bool = False
    someone_else: bool = False
    absence: bool = False
    follow_up: bool = False
    opener: bool = False
    about_me: bool = False
    asks: bool = False
    reports: bool = False
    refers: bool = False
    taken_back: bool = False
    handles: bool = False
    choice: tuple[Hit, Hit] | None = None
    elsewhere: str = ""
    foreign: frozenset[int] = frozenset()
    elaborating: frozenset[str] = frozenset()

    @property
    def words(self) -> list[str]:
        """The token words."""
        return [t.word for t in self.tokens]

    @classmethod
    def read(cls, text: str, tokens: list[Token], index: ValueIndex,
             lexicon: Lexicon) -> Clause:
        """Read a clause (``tokens`` index ``text``)."""
        lang = lexicon.language
        words = [t.word for t in tokens]
        clause = cls(text=text, tokens=tokens)
        # "run me through my day": an opener's words are never values
        opened = find_phrases(words, lang.ask_openers)
        # "my blood sugar felt low": a measure of the body, no sugar had
        opened += find_phrases(words, lang.not_things)
        opening = next((i for i, w in enumerate(words) if w[0].isalnum()), 0)
        clause.hits = [h for h in index.find(tokens)
                       if not any(a < h.end and h.start < b for a, b in opened)
                       # "Okay, log that.", "Right.": an opening filler, not the mood "okay"
                       and not (h.start == opening and all(w in lexicon.filler_words
                                                        for w in words[h.start:h.end]))]
        clause.evidence = analyse(words, lexicon)
        clause.full = skeleton(words, lexicon)
        clause.bare = skeleton(words, lexicon, fillers=True)
        ranges = context_ranges(words, lexicon)
        # context that holds a value ("at dinner", "at the gym") may be meant: it stays, but
        # a tool that does not use the value is not blamed for leaving it
        clause.context = [(s, e) for s, e in ranges if not any(
            h.start < e and s < h.end for h in clause.hits if h.kind == "vocab")]
        clause.soft = [r for r in ranges if r not in clause.context]
        clause.context += describers(words, clause.hits, index, lexicon)
        content = [w for w in words if w[0].isalnum() or w[0] == "'"]
        first = first_after_fillers(content, lexicon)
        # "and could you log one?": a request opener after the word that joins it on
        led = content[1:] if content[:1] and content[0] in lang.splitters else content
        clause.opener = any(" ".join(led[:len(o.split())]) == o
                            for o in lang.request_openers) or _tagged(words, lang)
        rest = content[content.index(first) + 1:] if first else []
        marked = bool(words) and words[-1] == "?"
        # without a question mark, "what happened was I skipped lunch" and "when I got home I
        # had a cookie" tell; "what should I eat" and "how am I doing" ask
        told = any(" ".join(content[i:i + len(o.split())]) == o
                   for o in lang.ask_openers for i in range(3))  # "tell me where ..."
        wh_asks = marked or told or first in ("how", "how's", "what's", "which") or (
            rest[:1] != [] and rest[0] in lang.questions)
        clause.question = marked or (first is not None and first in lang.questions and (
            first not in lang.wh_words or wh_asks))
        if clause.opener and not opener_asks(content, lexicon):
            clause.question = False
        # a question asks, a report tells: "did it add to skip breakfast?" writes nothing,
        # while "can I log a banana?" is a request
        clause.asks = clause.question and ((first in lang.wh_words and wh_asks) or (
            # "did it ...?", "is it bad ...?"; not "did a quick ten minutes of stretching"
            first in lang.questions and bool(rest) and (marked or rest[0] in lang.subjects)
            and not (rest[0] == "i" and rest[1:2] and rest[1] in lang.request_verbs)))
        clause.taken_back = bool(find_phrases(words, lang.taken_back))
        clause.elaborating = lang.elaborations
        numbers = [i for i, t in enumerate(tokens) if t.is_number]
        clause.refers = any(w in lang.anaphora and not any(a <= i < b for a, b in ranges)
                            for i, w in enumerate(words)) or bool(  # not "this morning"
            numbers and not any(w[0].isalpha() and lexicon.is_content(w)
                                for w in words[numbers[-1] + 1:])) or (
            portion_at(words, lang) is not None)  # "and I had a slice"
        clause.reports = not clause.question and subject_word(content, lexicon) in lang.self_words
        # "tell me my total", "read me my plan": an indirect question about oneself
        shown = any(" ".join(content[i:i + len(o.split())]) == o and any(
            w in lang.self_words for w in content[i + len(o.split()):i + len(o.split()) + 3])
            for o in lang.ask_openers for i in range(5))  # "tell me if I'm over"
        asked = (clause.question and first in lang.questions) or shown or (
            clause.opener and any(w in lang.wh_words for w in content))  # "can you check how"
        clause.about_me = asked and (
            any(w in lang.self_words for w in content) or bool(find_phrases(words, lang.today)))
        # "maybe five hours" is about how much, not whether
        # and "I'm going to log a run" asks for it now
        polite = [(fs, fe) for fs, fe in find_phrases(words, lang.fillers) if fe - fs >= 3]
        thoughts = [
            " ".join(words[s:e]) for s, e in find_phrases(words, lang.hypothetical)
            if not (words[s] in lang.approximators and _how_much(tokens, e, lang))
            # "I'd be grateful if you could log ...": politeness, said as a filler
            and not any(fs <= s and e <= fe for fs, fe in polite)
            # "I'd say forty minutes", "I would rate it a nine": an estimate of what is
            # ("about an hour I'd say.": the estimate said after the value)
            and not (words[s:e] in (["i'd"], ["i", "would"]) and e < len(words)
                     and words[e] in lang.estimate_verbs
                     and (words[e] != "say" or _how_much(tokens, e + 1, lang)
                          or not any(w[0].isalnum() for w in words[e + 1:])))
            # "could you maybe set ...", "35 minutes maybe": politeness, or a hedge on a value
            and not (e - s == 1 and words[s] in lang.approximators
                     and _softens(tokens, s, e, lang))
            # "I'm going to log a run" asks now; "did I log my breakfast?" asks about it
            and not (e < len(words) and words[e] in lang.request_verbs
                     and " ".join(words[s:e]) in lang.intentions)
            # "gonna have to skip lunch", "I'll have to skip dinner": decided
            and words[e:e + 2] != ["have", "to"] and words[e - 1:e + 1] != ["have", "to"]
            # "and later I did 45 minutes of cycling": it has happened since
            and not (words[s:e] == ["later"] and _since_done(words, e, lexicon))
            # "there was no way I could get lunch in": it did not happen
            and words[max(0, s - 2):s] != ["no", "way"]
            and not _aside(words, s, clause.hits)]
        taken_back = bool(find_phrases(words, lang.taken_back))
        logging = {lexicon.concept(v) for v in lang.request_verbs}
        if "yet" in words and (any(w in lang.negations for w in words) or any(
                c == "skip" for _, _, c in clause.evidence)) and not any(
                lexicon.concept(w) in logging for w in words if w[0].isalpha()) and not (
                # "... yet and I won't": it will not happen either (said anywhere in the
                # utterance, whose text the clause holds)
                {"won't", "wont"} & set(text.split()) or "not going to" in text
                or "not gonna" in text):
            # "I haven't had lunch yet": it may still happen ("I haven't logged my run yet"
            # asks for the log)
            thoughts.append("yet")
        clause.hypothetical = taken_back or bool(thoughts)
        clause.intends = bool(thoughts) and not taken_back and all(
            t in lang.intentions for t in thoughts)
        clause.decided = bool(thoughts) and not taken_back and all(
            t in lang.decided for t in thoughts) and bool(find_phrases(words, lang.plan_changes))
        # "who won the football last night?" asks about others, never of one's own doing
        clause.someone_else = others_subject(content, lexicon) or first in lang.asks_of_others
        clause.absence = any(c == "skip" for _, _, c in clause.evidence)
        clause.handles = _handles(words, clause.hits, lexicon)
        clause.choice = _choice(words, clause.hits, index)
        lead = " ".join(content[content.index(first):][:4] if first else content[:4])
        clause.follow_up = any(lead.startswith(f + " ") or lead == f for f in lang.follow_ups) \
            or any(" ".join(content[-len(f.split()):]) == f for f in lang.follow_ups
                   if f in ("too", "as well", "instead", "also"))
        return clause


def _tagged(words: Sequence[str], lang: Language) -> bool:
    """Whether a request ends in a polite tag: "put down a juice for me, would you?".

    The tag is a request opener said after a comma at the end ("..., will you", "...,
    could you please?"): the sentence asks for something, it is no question.
    """
    said = [w for w in words if w not in ("?", ".", "!", "please")]
    for opener in lang.request_openers:
        n = len(opener.split())
        if n > 1 and len(said) > n + 1 and said[-n - 1] == "," and " ".join(said[-n:]) == opener:
            return True
    return False


def _choice(words: Sequence[str], hits: Sequence[Hit], index: ValueIndex) -> tuple[Hit, Hit] | None:
    """Two values of one open list joined by "or" ("rice or pasta", "toast or a bagel")."""
    for a in hits:
        if a.kind != "vocab" or index.vocabularies[a.vocab].closed:
            continue
        if a.end < len(words) and words[a.end] == "or":
            at = a.end + 1 + (1 if a.end + 1 < len(words) and words[a.end + 1] in (
                "a", "an", "some", "the") else 0)
            b = next((h for h in hits if h.start == at and h.kind == "vocab"
                      and h.vocab == a.vocab), None)
            if b is not None:
                return (a, b)
    return None


def _handles(words: Sequence[str], hits: Sequence[Hit], lexicon: Lexicon) -> bool:
    """Whether food is bought, kept, prepared or cooked here, and not eaten.

    A word of :attr:`~.language.Language.handling` outside a value ("roast" of "roast chicken"
    names the food), or a place of :attr:`~.language.Language.storage`, with no word of eating
    ("have" counts only when it is not "have to" or "have got": "I had to buy bread").
    """
    lang = lexicon.language
    inside = {i for h in hits for i in range(h.start, h.end)}
    handled = any(w in lang.handling and i not in inside and verb_at(words, i, lang)
                  for i, w in enumerate(words)) or bool(find_phrases(words, lang.storage))
    if not handled:
        return False
    for i, w in enumerate(words):
        if i in inside or lexicon.concept(w) != "eat" or (
                i + 1 < len(words) and words[i + 1] in lang.handling):
            continue  # "meal prepping" prepares
        if lexicon.stem(w) == "have" and (words[i + 1:i + 2] in (["to"], ["got"])
                                         or find_phrases(words, lang.storage)):
            continue
        return False
    return True


def _since_done(words: Sequence[str], at: int, lexicon: Lexicon) -> bool:
    """Whether a past tense follows a time word: "later (on) I did", "later we went"."""
    rest = [w for w in words[at:at + 4] if w not in ("on", ",")]
    if len(rest) < 2 or rest[0] not in lexicon.language.subjects:
        return False
    verb = rest[1]
    return verb.endswith("ed") or (verb in lexicon.language.irregular
                                   and lexicon.language.irregular[verb] != verb
                                   and not verb.endswith(("ing", "en")))


def _how_much(tokens: Sequence[Token], at: int, lang: Language) -> bool:
    """Whether a number (or another hedge) follows at ``at``: "maybe a 3", "let's say, 1800"."""
    if at < len(tokens) and tokens[at].word == ",":
        at += 1
    if at < len(tokens) and tokens[at].word in ("a", "an"):
        at += 1
    return at < len(tokens) and (tokens[at].is_number or tokens[at].word in lang.approximators)


def portion_at(words: Sequence[str], lang: Language) -> int | None:
    """Where a clause ends in a bare portion that stands for a thing named before, if it does.

    "... and I had a slice", "I ate a couple": the portion is the last word said, after "a",
    "one", "some", "another" or a number, with nothing of its own after it.
    """
    said = [i for i, w in enumerate(words) if w[0].isalnum() and w not in lang.fillers]
    if len(said) < 2 or words[said[-1]] not in lang.portions:
        return None
    lead = [words[i] for i in said[:-1] if words[i] not in lang.sizes][-1:]  # "a big plate"
    if lead and (lead[0] in ("a", "an", "one", "some", "another", "half")
                 or lead[0][0].isdigit()):
        return said[-1]
    return None


def _softens(tokens: Sequence[Token], s: int, e: int, lang: Language) -> bool:
    """Whether a lone hedge word at ``s`` softens a request or a value, not the event.

    "Could you maybe set my goal" asks politely; "thirty five minutes maybe" and "two
    slices, perhaps" hedge how much. "Maybe I'll skip lunch" and "maybe skip dinner?" stay
    thoughts.
    """
    before = [t for t in tokens[max(0, s - 3):s] if t.word != ","]
    if before and before[-1].word in ("you", "ya"):
        return True
    after = tokens[e].word if e < len(tokens) else "."
    return bool(before) and after in (",", ".", "?", "!") and any(
        t.is_number or t.word in lang.units for t in before[-2:])


def _aside(words: Sequence[str], at: int, hits: Sequence[Hit]) -> bool:
    """Whether word ``at`` sits in a comma part after the request that holds no value.

    "Mark dinner as missed, the baby just won't settle": the "won't" of the reason does not
    make the request a plan.
    """
    start = max((i for i in range(at) if words[i] == ","), default=-1)
    if start < 0 or not any(h.end <= start for h in hits):
        return False
    end = next((i for i in range(at, len(words)) if words[i] == ","), len(words))
    return not any(start < h.start < end for h in hits)
