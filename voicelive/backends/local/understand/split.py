"""Cutting an utterance into sentences, and a sentence into the requests it may hold.

"I skipped breakfast and then ran for 30 minutes" holds two requests, "I missed lunch, so what
should I have for dinner?" a report and a question. :func:`parts` cuts a sentence at joining
phrases ("and then", "and also") that are not inside a value ("mac and cheese"), and at a
comma before a question. Whether the parts are taken is decided later: only when each carries
its own request (see :mod:`.engine`).
"""

from __future__ import annotations

from .language import Language
from .text import Token, find_phrases
from .values import Hit, ValueIndex

__all__ = ["MAX_PARTS", "corrected", "parts", "sentences"]

MAX_PARTS = 7
"""Most parts one sentence is cut into (bounded work per sentence)."""


def sentences(tokens: list[Token]) -> list[list[Token]]:
    """The sentences of ``tokens`` (cut after ``.``, ``?``, ``!`` and ``;``)."""
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


def corrected(tokens: list[Token], index: ValueIndex, language: Language) -> list[Token]:
    """``tokens`` without what the speaker took back in the same breath.

    "I ran for twenty, no wait, thirty minutes", "two, no, three cookies", "lunch, I mean
    dinner": a correction phrase between two values of the same kind drops the first value
    and the phrase. A bare "no" or "wait" corrects only between commas ("no breakfast, no
    lunch" is two meals), "actually" or "sorry" after a comma; a correction at the start leans
    on the turn before instead.
    """
    words = [t.word for t in tokens]
    hits = index.find(tokens)
    drop: set[int] = set()
    for s, e in find_phrases(words, language.corrections):
        # a bare "no" or "wait" only between commas ("2000. No, 1900" too: the recogniser's
        # full stop is a pause); "actually" or "sorry" after a comma
        if s == 0 or (e - s == 1 and not (e < len(words) and (
                (words[s - 1] == "," and (words[e] == "," or words[s] not in ("no", "wait")))
                or (words[s - 1] == "." and words[e] == ",")))):
            continue
        # "cupcakes, hmm, no, brownies": fillers and commas between do not count
        said = [i for i, w in enumerate(words) if w[0].isalnum() and w not in language.fillers]
        # "a satsuma, no wait, it was two satsumas": words said between count, not commas;
        # nor do the small words of a restatement ("actually it was closer to thirty five")
        leads = [i for i in said if words[i] not in language.stop
                 and words[i] not in language.approximators]
        after = [h for h in hits if e <= h.start and (sum(e <= i < h.start for i in said) <= 3
                                                      or sum(e <= i < h.start for i in leads) <= 1)]
        # "an hour, maybe a bit less, call it fifty minutes": a restatement reaches back
        reach = len(words) if " ".join(words[s:e]) in language.restatements else 2
        before = [h for h in hits if h.end <= s
                  and sum(h.end <= i < s for i in said) <= reach
                  and any(a.kind == h.kind and a.vocab == h.vocab for a in after)]
        if words[s:e] == ["so"]:  # "so" only sums up values; "..., so I had a bar" adds
            before = _summed(hits, after, s)
            if not before:
                continue
        if not before:
            before = _plain_before(tokens, said, s, after, index)
        following = [i for i in said if i >= e][:1]
        if not after and following and _plain(words[following[0]], index):
            # "I had muffins, no wait, scones": a plain word replaces a value of an open list
            before = [h for h in hits if h.kind == "vocab" and h.end <= s
                      and not index.vocabularies[h.vocab].closed
                      and sum(h.end <= i < s for i in said) <= 2]
        if not before or _adds(words, e):
            continue
        first = min(before, key=lambda h: h.start)
        end = e + (1 if e < len(words) and words[e] == "," else 0)
        count = _bare_count(tokens, first, after, s)
        if count is not None and not drop:
            # "two eggs, no, three": three eggs; the thing stays where it was said
            said_again = count.start + 1  # "2 cups of coffee, sorry, 3 cups": "cups" once
            while said_again < len(words) and words[said_again] in words[first.start:s]:
                said_again += 1
            return [*tokens[:first.start], tokens[count.start],
                    *tokens[first.start + 1:s - (words[s - 1] in (",", "."))],
                    *tokens[said_again:]]
        drop.update(range(first.start, end))
    if not drop:
        return _count_said_again(tokens, hits, language)
    return [t for i, t in enumerate(tokens) if i not in drop]


def _count_said_again(tokens: list[Token], hits: list[Hit], language: Language) -> list[Token]:
    """``tokens`` with a count corrected by a last sentence of a number and "actually".

    "I had one doughnut. Well, two actually.": two doughnuts. The last sentence holds only
    fillers, a number and a correction word; the count before it is a number said with its
    thing.
    """
    words = [t.word for t in tokens]
    stop = max((i for i, w in enumerate(words[:-1]) if w in (".", "?", "!")), default=-1)
    if stop < 1:
        return tokens
    tail = [i for i in range(stop + 1, len(words)) if words[i][0].isalnum()
            and (words[i] in language.corrections or (
                words[i] not in language.fillers and words[i] not in language.hesitations))]
    numbers = [i for i in tail if tokens[i].is_number]
    rest = [words[i] for i in tail if not tokens[i].is_number]
    if len(numbers) != 1 or not rest or " ".join(rest) not in language.corrections:
        return tokens
    # "two eggs", or a bare count ending its sentence ("..., I had one.")
    counted = [h for h in hits if h.end <= stop and tokens[h.start].is_number
               and (h.start + 1 == stop or words[h.start + 1][0].isalpha())]
    if not counted:
        return tokens
    first = counted[-1]
    return [*tokens[:first.start], tokens[numbers[0]], *tokens[first.start + 1:stop + 1]]


def _bare_count(tokens: list[Token], first: Hit, after: list[Hit], at: int) -> Hit | None:
    """The value whose number corrects a count said with its thing ("two eggs, no, three").

    ``None`` when the correction names a thing of its own ("2 cups of coffee, sorry, 3 cups
    of tea"): then the whole first value gives way.
    """
    words = [t.word for t in tokens]
    if not tokens[first.start].is_number:  # "two eggs", "2 slices of pizza"
        return None
    thing = [w for w in words[first.start + 1:at] if w[0].isalpha()]
    count = next((h for h in after if tokens[h.start].is_number), None)
    if not thing or count is None:
        return None
    rest = next((w for w in words[count.start + 1:] if w not in (",", ".", "?", "!")
                 and w not in thing), None)
    return count if rest is None or not rest[0].isalpha() else None


def _summed(hits: list[Hit], after: list[Hit], at: int) -> list[Hit]:
    """The values a "so" sums up: "20 minutes there and 20 back, so 40 minutes altogether".

    Only numbers of the unit of the value after "so" (or bare ones beside them) are summed;
    "2 eggs, so 140 calories" sums nothing.
    """
    total = next((h for h in after if h.kind == "number" and h.unit is not None), None)
    if total is None:
        return []
    parts = [h for h in hits if h.kind == "number" and h.end <= at
             and h.unit in (total.unit, None)]
    return parts if any(h.unit == total.unit for h in parts) else []


def _adds(words: list[str], at: int) -> bool:
    """Whether the words after a correction phrase add to what was said, not replace it.

    "I skipped lunch, actually I skipped dinner too": two meals.
    """
    at += at < len(words) and words[at] == ","
    end = next((i for i in range(at, len(words)) if words[i] in (",", ".")), len(words))
    said = words[at:end]
    return "too" in said or "also" in said or said[-2:] == ["as", "well"]


def _plain_before(tokens: list[Token], said: list[int], at: int, after: list[Hit],
                  index: ValueIndex) -> list[Hit]:
    """The word said just before a correction, taken back for a value of an open list after.

    "cupcakes, hmm, no, brownies": "cupcakes" is on no list, but it is a plain word where a
    food is corrected.
    """
    spoken = [i for i in said if i < at]
    if not spoken or not any(h.kind == "vocab" and not index.vocabularies[h.vocab].closed
                             for h in after):
        return []
    i = spoken[-1]
    return [Hit(i, i + 1, "text", tokens[i].word)] if _plain(tokens[i].word, index) else []


def _plain(word: str, index: ValueIndex) -> bool:
    """A content word that is no known concept (a thing's name, as a rule)."""
    lexicon = index.lexicon
    return (word[0].isalpha() and lexicon.is_content(word)
            and word not in lexicon.language.irregular
            and lexicon.concept(word) == lexicon.stem(word))


def parts(tokens: list[Token], index: ValueIndex, language: Language) -> list[list[Token]]:
    """Cut a sentence at joining phrases that are not inside a value, and before questions.

    Args:
        tokens: The sentence.
        index: The vocabularies ("mac and cheese" is one value, not two requests).
        language: Its joining phrases, fillers and question words.

    Returns:
        The parts, in order (the whole sentence when nothing cuts it).
    """
    words = [t.word for t in tokens]
    hits = index.find(tokens)
    cuts = [(s, e) for s, e in find_phrases(words, language.splitters)
            if not any(h.start < s and e <= h.end for h in hits)
            and not _listed(words, s, e, language, hits)]
    commas = [c for c in _comma_cuts(words, language) if _worded(tokens, c[1], hits, language)]
    cuts = sorted({*cuts, *_question_cuts(words, language), *commas})
    out: list[list[Token]] = []
    at = 0
    for s, e in cuts[:MAX_PARTS - 1]:
        if s > at:
            out.append(tokens[at:s])
        at = e
    if at < len(tokens):
        out.append(tokens[at:])
    return [p for p in out if any(t.word[0].isalnum() for t in p)]


def _listed(words: list[str], start: int, end: int, language: Language,
            hits: list[Hit]) -> bool:
    """Whether a plain "and" joins the items of an elaboration after a comma, or of a "with".

    "I had the snacks that were planned, the apple and the nuts": the apple and the nuts are
    what the snacks were, not a second request.
    """
    if words[start:end] != ["and"]:
        return False
    # "toast with butter and jam": what came with the thing, listed
    if end < len(words) and words[end] in ("a", "an"):
        return False  # "a coffee with milk and a croissant": a thing of its own
    nxt = end + (1 if end < len(words) and words[end] in ("some", "the") else 0)
    lead = start - 1
    while lead >= 0 and words[lead][0].isalnum() and start - lead <= 3:
        if words[lead] in ("with", "plus"):
            return any(h.start == nxt for h in hits)
        lead -= 1
    comma = max((i for i in range(start) if words[i] == ","), default=-1)
    return comma >= 0 and comma + 1 < start and words[comma + 1] in language.elaborations


def _comma_cuts(words: list[str], language: Language) -> list[tuple[int, int]]:
    """Commas between requests.

    "I missed lunch, so what should I have for dinner?", "skipped breakfast, went for a run":
    a comma may join two requests (the parts are taken only if each carries one). A part that
    only says what else happened is no request: "I skipped lunch, just had some water".
    """
    out: list[tuple[int, int]] = []
    for i, word in enumerate(words[:-1]):
        if word != ",":
            continue
        if any(w in language.elaborations for w in words[i + 1:i + 3]):
            continue
        out.append((i, i + 1))
    return out


def _worded(tokens: list[Token], start: int, hits: list[Hit], language: Language) -> bool:
    """Whether the words from ``start`` to the next comma say more than values.

    "I finished a bottle of water, 500 ml": the part after the comma only says how much,
    so it is no request of its own.
    """
    for i in range(start, len(tokens)):
        word = tokens[i].word
        if word in (",", ".", "?", "!", ";"):
            return False
        if (word[0].isalpha() and word not in language.stop and word not in language.fillers
                and not any(h.start <= i < h.end for h in hits)):
            return True
    return False


def _question_cuts(words: list[str], language: Language) -> list[tuple[int, int]]:
    """Commas before a question ("I missed lunch, so what should I have for dinner?")."""
    out: list[tuple[int, int]] = []
    for i, word in enumerate(words[:-1]):
        if word != ",":
            continue
        j = i + 1
        while j < len(words):  # past fillers and joining words: ", so um, what ..."
            skip = next((e for s, e in find_phrases(words[j:j + 4], language.fillers)
                         if s == 0), 0) or (1 if words[j] in ("and", "but") else 0)
            if not skip:
                break
            j += skip
        if j < len(words) and words[j] in language.questions:
            out.append((i, i + 1))
    return out
