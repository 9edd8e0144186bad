"""Offline understanding: what was said, the dialogue and the tools in; calls or a reply out.

The recogniser's hypotheses, the dialogue so far and the tools' declarations go in; the tool
calls to make (zero, one or several) or a reply to speak come out.

Plain synchronous code driven by text alone (no audio, no model), built from small parts:

* :mod:`.language_spec`, :mod:`.language`, :mod:`.english_fillers` - what a language gives
  (:class:`Language`) and the words of English as data (:data:`ENGLISH`);
* :mod:`.text`, :mod:`.numbers` - tokens, stems, concepts; spoken numbers as digits;
* :mod:`.concepts` - the evidence words and skeletons of a clause; templates expanded;
* :mod:`.catalog` - what each tool declares: typed parameters, vocabularies, cue words;
* :mod:`.values`, :mod:`.clause`, :mod:`.clause_words` - values and sentence kind of one
  clause, its subject and context;
* :mod:`.assign`, :mod:`.named`, :mod:`.reading`, :mod:`.freetext`, :mod:`.evidence` - one
  tool's reading of one clause: its values (and what was named, for which tool), free text,
  and the evidence and score;
* :mod:`.split`, :mod:`.decide`, :mod:`.asking` - sentences cut into requests; what one
  clause asks for, and the words it asks with;
* :mod:`.sentence` - a sentence's parts decided in order, leaning on each other;
* :mod:`.engine` - hypotheses and the turn's calls or reply (:class:`Understander`);
* :mod:`.result`, :mod:`.check` - what a turn asks for; its values checked against the audio;
* :mod:`.state`, :mod:`.replies` - the dialogue state; questions and "nothing fits".

::

    understander = Understander(nutrition.toolkit())
    result = understander.understand(["I skipped breakfast and then ran for 30 minutes"])
    [(c.tool, c.args) for c in result.calls]
    # [('missed_meal', {'meal': 'breakfast'}), ('log_activity', {'activity': 'running', ...})]
"""

from .engine import MAX_CHARS, Understander
from .language import ENGLISH, Language
from .result import Call, Understanding
from .state import DialogueState, PendingQuestion, PreviousCall

__all__ = [
    "ENGLISH",
    "MAX_CHARS",
    "Call",
    "DialogueState",
    "Language",
    "PendingQuestion",
    "PreviousCall",
    "Understander",
    "Understanding",
]
