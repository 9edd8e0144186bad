"""The fillers of English: words and phrases that carry no request (:data:`FILLERS`).

Part of :data:`~.language.ENGLISH`, kept apart for its length: hesitations, politeness,
announcements of a question, a cleft that only opens the sentence, a word searched for in
mid-sentence and a call for attention.
"""

from __future__ import annotations

__all__ = ["FILLERS"]

FILLERS: tuple[str, ...] = (
        "can you tell me", "could you tell me", "can you please tell me", "would you tell me",
        "i want to know", "i would like to know", "i'd like to know", "i wanna know",
        "do you know", "let me know", "tell me", "i was wondering", "i wonder",
        "i'm curious", "i am curious", "just curious", "out of curiosity",
        "you know what", "guess what", "you know", "i mean", "kind of", "sort of", "like",
        "um", "umm", "uh", "uhh", "er", "erm",
        "hmm", "mm", "ah", "oh", "so", "well", "okay", "ok", "alright", "right", "hey", "hi",
        "hello", "please", "thanks", "thank you", "just", "actually", "basically", "really",
        "quickly", "yeah", "yes", "yep", "now", "then", "also", "anyway", "honestly",
        "exactly", "precisely", "pretty much", "totally", "literally",
        "can you", "could you", "would you", "will you", "can u", "please can you",
        "no wait", "no sorry", "no actually", "wait", "sorry", "oops", "i mean", "i meant",
        "nothing else", "nothing more", "that's it", "that's all", "nothing extra",
        "nothing special", "nothing fancy", "nothing on top", "no extras",
        "i think", "i guess", "i believe", "i suppose", "i feel like", "i reckon",
        "give or take", "or so", "or thereabouts", "more or less", "by the way",
        "i'd just like to know", "i just want to know", "i just wanted to know",
        "i just wanna know", "i'd really like to know", "while you're at it",
        "while you are at it",
        # a cleft that only announces the sentence ("what I meant to say is I had a banana")
        "what i wanted to say is", "what i wanted to say was", "what i meant to say is",
        "what i meant to say was", "what i meant is", "what i meant was", "what i mean is",
        "what i'm saying is", "what i'm trying to say is", "what i was going to say is",
        # a question announced before it is asked
        "quick question", "a quick question", "one question", "one quick question",
        # politeness around a request ("I'd be grateful if you could log ...")
        "i'd be grateful if you could", "i would be grateful if you could",
        "i'd appreciate it if you could", "if you could", "if you wouldn't mind",
        "would you mind", "do you mind",
        # a word searched for in mid-sentence ("I had a, what do you call it, a samosa")
        "what do you call it", "what do you call them", "what's it called",
        "what is it called", "what's the word", "whatchamacallit", "what's it",
        # a call for attention before the sentence ("look, I had a Kit Kat")
        "look ,", "listen ,", "see ,", "right so", "okay so", "so yeah", "yeah so",
        "random question", "question for you", "i have a question", "i've got a question",
        "got a question", "i have a quick question", "real quick", "question",

)
"""Fillers, phrases first where one holds another."""
