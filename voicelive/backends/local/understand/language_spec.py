"""What a language gives understanding: :class:`Language`, its word lists and tables as data.

Nothing here names a tool or a domain. A second language is a second :class:`Language` value
(its fillers, negations, number words, word endings ...), not new code; English is
:data:`~.language.ENGLISH`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Language", "concept_groups", "word_list"]


@dataclass(frozen=True, slots=True, eq=False)
class Language:
    """Word lists and tables of one language (all lower case; phrases are space-separated).

    Attributes:
        code: BCP 47 code.
        fillers: Words and phrases that carry no request ("um", "can you tell me").
        stop: Function words that are no evidence for a tool.
        negations: Words that negate what follows ("didn't", "no", "without").
        absence: Phrases that say something did not happen ("no time for", "didn't get to");
            they count as the absence cue.
        absence_words: Stems of words that mean something did not happen (tool descriptions
            that contain one take the absence cue).
        hypothetical: Phrases that make a request a thought, a plan or a question, not a fact
            ("thought about", "should i"): nothing is written.
        others: Subjects that name someone other than the user ("he", "my friend" is found
            through :attr:`people`); a write about them is not the user's to log.
        people: Nouns for people ("friend", "wife"): "my friend skipped lunch" is about them.
        with_me: Words that put the user beside another subject ("my wife and I").
        not_values: Pronouns, quantifiers and abstract nouns that are never a free-text value
            ("I ate it all" names no food, "zero time" no dish).
        as_no: Words that say "no" before a noun, for absence phrases ("zero time for").
        self_words: Words by which speakers name themselves ("i", "my"): a question about
            oneself ("am I on track?") asks for one's own state.
        today: Phrases that place a question in the speaker's day ("so far", "today", "left"),
            which makes it one about their day as a self word does ("what's left for dinner?").
        questions: First words of a question.
        request_openers: Polite openers that make a question a request ("can you").
        wh_words: Question words that ask for information ("what", "how"): a clause they open
            reports no fact, so it writes nothing unless it leans on the last call ("what
            about lunch?").
        context: Phrases of trailing context that never carry a request ("after work").
        context_heads: First words of a context phrase ("at", "with", "after").
        context_nouns: Nouns a context phrase ends in ("office", "friends").
        splitters: Phrases that join two requests ("and then").
        follow_ups: Phrases that lean on the previous request ("what about", "make that").
        dangling: Last words after which a sentence is not finished ("and", "the").
        vague: Words that stand for a value not said ("something").
        anaphora: Words that stand for a thing named in the turn before ("it", "one").
        handling: Words of handling food without eating it: buying, keeping, preparing or
            cooking ("I bought apples", "I'm meal prepping rice", "how long do I roast a
            chicken?"); a clause they lead, without a word of eating, writes nothing.
        asks_of_others: First words of a question about other people ("who won ...?").
        inserts: Adverbs said inside an absence phrase that change nothing ("didn't actually
            eat", "never really got to").
        storage: Phrases that place a thing where it is kept ("in the fridge"): it is had,
            not eaten.
        elaborations: Words that open a part saying what else happened, or more of the same
            thing, instead of a new request ("I skipped lunch, just had some water", "I had
            breakfast, the oatmeal from the plan").
        phrase_concepts: Phrases read as one concept, before negation is ("wasn't planned"
            is the concept of "unplanned", not a negation).
        ask_openers: Fillers that open an indirect question ("tell me where that leaves me").
        taken_back: Phrases that take back the whole sentence ("I almost ate a whole cake,
            but I didn't"): nothing of it is written.
        subjects: Subject words after a question's first word ("did it ...?", "is it ...?").
        restatements: Phrases of :attr:`corrections` that restate a value said further back
            ("call it"): "an hour, maybe a bit less, call it fifty minutes".
        corrections: Phrases by which a speaker takes back what they just said ("no wait",
            "I mean"): the value before gives way to the value after.
        request_verbs: Verbs of a request to the assistant ("log", "set"): "I'm going to log a
            run" asks now, it is no plan.
        approximators: Hedges that, before a number, say how much and not whether ("maybe
            five hours", "probably about 40").
        portions: Words of a portion that can stand for the thing named before ("she baked a
            cake and I had a slice").
        sizes: Words of size before a portion ("a big plate").
        colouring: Words that colour a thing had without naming it ("a cheeky Kit Kat", "a
            sneaky Tim Tam"): never the start of a free-text value.
        same_measure: Phrases that ask for as much as before ("the same amount of rice").
        venues: Words of places named after what they serve ("a pizza place", "the curry
            house"): the value before them names the place, not a thing had.
        time_marks: Words before a value that say when, not what ("after dinner").
        subordinators: Words that open a trailing clause of circumstance ("..., while nobody
            was looking", "... because I was starving"): context, up to the next comma.
        estimate_verbs: Verbs after "I'd" that estimate what is, not what would be ("I'd rate
            it a seven"; "say" only before a number: "I'd say forty minutes", but "I'd say
            skip lunch" is advice).
        naming_verbs: Verbs after which a thing is named as had ("I had a samosa"): a name
            there that no list knows is still the value of a write, as said (the tool
            answers whether it knows it). Not "log": "log a glucose reading" may be for
            another tool.
        logging_verbs: Verbs asking for a thing to be logged ("log a Tim Tam"): a name right
            after them and an article that no tool's words know is a thing the tools with
            open lists take, as said.
        light_verbs: Stems of verbs that say little of what is asked ("do", "have"): "how do
            I ..." is not about one's day for the "do" of "how am I doing".
        cancel: Phrases that drop a pending question ("never mind").
        irregular: Irregular word forms to their stem ("ate" -> "eat").
        concepts: Words to a shared concept, so a tool described with one word is found with
            another ("swap", "replace" and "substitute" are one concept).
        units: Unit words to ``(unit, factor)``; values are converted to the unit a parameter
            names ("hours" -> ``("min", 60)``).
        number_units: Number words (0-19).
        number_tens: Tens (20-90).
        number_scales: Scales (hundred, thousand).
        number_phrases: Phrases rewritten before number words (``"half an hour"``).
        roles_old: Parameter-name words for the thing replaced ("original").
        roles_new: Parameter-name words for the thing put instead ("replacement").
        marks_old: Words before a value that make it the thing replaced ("instead of").
        marks_new: Verbs after which the first value is the new one and the value after
            "for" the one replaced ("substitute quinoa for rice").
        intentions: Phrases of :attr:`hypothetical` that say what the speaker wants or
            means to do ("I need to", "I want to"): for a tool that sets something ("cut
            down to 1500 calories a day") the wish is the request itself.
        not_things: Phrases that hold a thing's word but name no thing had ("blood sugar",
            "sugar levels"): never a value.
        figure_words: Nouns that name a figure asked for ("calorie count", "fat content"):
            with a lookup's cue they say no more than the cue.
        placing_verbs: Verbs that put a thing somewhere ("add", "put"): only with one is "to
            my ..." the place a thing goes.
        other_places: Last words of a place things are added to that is no log ("my grocery
            list", "the basket"): "add milk to my grocery list" writes no food.
        decided: Phrases of :attr:`hypothetical` that say a future decided ("won't",
            "going to"), not a thought or a doubt ("maybe", "thinking about").
        plan_changes: Phrases asking for the plan to be changed ("adjust my plan", "take it
            out of the plan"): with a decided future, the write is asked for now.
        hesitations: Sounds of hesitation ("uh"): between commas inside a phrase they are
            dropped ("a chicken, uh, sandwich").
        modifiers: Words that open a sentence saying more of the thing just logged ("I had a
            sandwich. With ham and cheese."): it writes nothing of its own.
        restating: Openers of a part that says the part before again in other words
            ("so that's one more cup").
        copular_negations: Negations that make a description its opposite ("not one from
            the plan" is unplanned).
        noun_negations: Negations that negate the noun right after them ("without dessert",
            "no sugar"), not a verb ("didn't touch the cake").
        particles: Adverbs that complete a verb ("put down", "write up"), never its object.
        opposite_prefixes: Prefixes that make a word mean its opposite ("un" of
            "unplanned"): a tool whose words say the opposite of a word heard is not meant.
        setting_verbs: First words of a tool name (or of its description) that sets a value
            ("set", "change"): such a tool takes an intention as a request.
        read_verbs: First words of a tool name that reads only ("get", "lookup").
        say: Reply sentences, with ``{placeholders}`` (see :mod:`.replies`).
        unit_names: Spoken names of units, for questions ("min" -> "minutes").
        list_join: Words joining the last two items of a spoken list ("or").
        fractions: Spoken fractions that follow a number or a unit ("and a quarter":
            ``("a quarter", 0.25)``), longest first.
    """

    code: str
    fillers: tuple[str, ...]
    stop: frozenset[str]
    negations: frozenset[str]
    absence: tuple[str, ...]
    absence_words: frozenset[str]
    hypothetical: tuple[str, ...]
    questions: frozenset[str]
    request_openers: tuple[str, ...]
    context: tuple[str, ...]
    context_heads: frozenset[str]
    context_nouns: frozenset[str]
    splitters: tuple[str, ...]
    follow_ups: tuple[str, ...]
    dangling: frozenset[str]
    vague: frozenset[str]
    cancel: tuple[str, ...]
    irregular: Mapping[str, str]
    concepts: Mapping[str, str]
    units: Mapping[str, tuple[str, float]]
    number_units: Mapping[str, int]
    number_tens: Mapping[str, int]
    number_scales: Mapping[str, int]
    number_phrases: tuple[tuple[str, str], ...]
    roles_old: frozenset[str]
    roles_new: frozenset[str]
    marks_old: tuple[str, ...]
    read_verbs: frozenset[str]
    say: Mapping[str, tuple[str, ...]]
    unit_names: Mapping[str, str]
    list_join: str
    others: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()
    with_me: tuple[str, ...] = ()
    not_values: frozenset[str] = frozenset()
    as_no: frozenset[str] = frozenset()
    self_words: frozenset[str] = frozenset()
    today: tuple[str, ...] = ()
    wh_words: frozenset[str] = frozenset()
    anaphora: frozenset[str] = frozenset()
    light_verbs: frozenset[str] = frozenset()
    naming_verbs: frozenset[str] = frozenset()
    logging_verbs: frozenset[str] = frozenset()
    approximators: frozenset[str] = frozenset()
    portions: frozenset[str] = frozenset()
    sizes: frozenset[str] = frozenset()
    estimate_verbs: frozenset[str] = frozenset()
    corrections: tuple[str, ...] = ()
    restatements: tuple[str, ...] = ()
    taken_back: tuple[str, ...] = ()
    ask_openers: tuple[str, ...] = ()
    phrase_concepts: tuple[tuple[str, str], ...] = ()
    marks_new: tuple[str, ...] = ()
    intentions: tuple[str, ...] = ()
    decided: tuple[str, ...] = ()
    other_places: frozenset[str] = frozenset()
    placing_verbs: frozenset[str] = frozenset()
    figure_words: frozenset[str] = frozenset()
    not_things: tuple[str, ...] = ()
    plan_changes: tuple[str, ...] = ()
    opposite_prefixes: tuple[str, ...] = ()
    particles: frozenset[str] = frozenset()
    noun_negations: frozenset[str] = frozenset()
    copular_negations: frozenset[str] = frozenset()
    restating: tuple[str, ...] = ()
    modifiers: frozenset[str] = frozenset()
    hesitations: frozenset[str] = frozenset()
    setting_verbs: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    fractions: tuple[tuple[str, float], ...] = ()
    request_verbs: frozenset[str] = frozenset()
    elaborations: frozenset[str] = frozenset()
    handling: frozenset[str] = frozenset()
    storage: tuple[str, ...] = ()
    inserts: frozenset[str] = frozenset()
    asks_of_others: frozenset[str] = frozenset()
    colouring: frozenset[str] = frozenset()
    subordinators: frozenset[str] = frozenset()
    time_marks: frozenset[str] = frozenset()
    venues: frozenset[str] = frozenset()
    same_measure: tuple[str, ...] = ()


def word_list(text: str) -> list[str]:
    """The words of a space-separated list."""
    return text.split()


def concept_groups(groups: Mapping[str, str]) -> dict[str, str]:
    """Each word of a group to the group's concept (``{"eat": "eat have"}``)."""
    out: dict[str, str] = {}
    for concept, words in groups.items():
        for word in words.split():
            out[word] = concept
    return out
