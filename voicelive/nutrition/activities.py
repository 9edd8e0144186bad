"""Physical activities from the 2011 Compendium of Physical Activities, and the energy they burn.

Energy follows the Compendium's definition of a MET (1 MET = 1 kcal per kg of body mass per
hour)::

    kcal = MET x weight_kg x minutes / 60

Everyday words map to a sensible general entry (:data:`COMMON`: "running" is running at 6 mph,
MET 9.8; "walking" is a moderate 3 mph walk, MET 3.5 ...). Anything else is matched against the
820 Compendium descriptions by words, tolerating plurals and small misspellings, preferring
entries marked "general" and short descriptions.
"""

from __future__ import annotations

import csv
import gzip
import io
import threading
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

from voicelive.exceptions import NutritionError
from voicelive.nutrition.text import TypoIndex, tokens

__all__ = ["COMMON", "OCCASIONS", "Activity", "ActivityTable", "burned_kcal",
           "default_activities"]

# Everyday activity words -> Compendium code (keys are folded tokens joined by spaces).
COMMON: dict[str, str] = {
    "running": "12050", "run": "12050", "jogging": "12020", "jog": "12020",
    "cycling": "01015", "biking": "01015", "bicycling": "01015", "bike ride": "01015",
    "bike": "01015", "spinning": "02010", "stationary bike": "02010",
    "walking": "17190", "walk": "17190", "brisk walk": "17200", "brisk walking": "17200",
    "hiking": "17080", "hike": "17080",
    "yoga": "02150", "power yoga": "02160", "pilates": "02105",
    "swimming": "18310", "swim": "18310", "swimming lap": "18240", "lap": "18240",
    "weight lifting": "02054", "weightlifting": "02054", "lifting weight": "02054",
    "weight": "02054", "strength training": "02054", "gym": "02061", "workout": "02061",
    "elliptical": "02048", "rowing": "02071", "rowing machine": "02071",
    "dancing": "03031", "dance": "03031", "aerobic": "03015", "zumba": "03015",
    "tennis": "15675", "soccer": "15610", "football": "15610", "basketball": "15050",
    "golf": "15255", "skipping": "02068", "jump rope": "02068", "skipping rope": "02068",
    "climbing": "15537", "rock climbing": "15537", "gardening": "08245", "cleaning": "05030",
    "housework": "05030",
    "stair": "17133", "stair climbing": "17133", "skiing": "19150", "skating": "19030",
    "badminton": "15030", "volleyball": "15710", "boxing": "15100", "martial art": "15430",
    "stretching": "02101", "circuit training": "02040", "crossfit": "02040", "hiit": "02040",
    "calisthenic": "02030", "push up": "02020", "sit up": "02020",
    # other names: British words, and sports the table files under a close one
    "cross trainer": "02048", "hoovering": "05043", "hoover": "05043", "vacuuming": "05043",
    "mowing": "08095", "mowing lawn": "08095", "netball": "15055", "five side": "15610",
    "parkrun": "12050", "aqua aerobic": "02120", "water aerobic": "02120",
    # chores said in the past tense ("I mowed the lawn"), machines by their names
    "mowed": "08095", "mowed lawn": "08095", "vacuumed": "05043", "hoovered": "05043",
    "raking": "08160", "raked": "08160", "raking leaf": "08160", "raked leaf": "08160",
    "shoveling snow": "08195", "shovelling snow": "08195", "shoveled snow": "08195",
    "shovelled snow": "08195", "stair climber": "02065", "stairmaster": "02065",
    "exercise bike": "02010",
    "kickboxing": "15430", "kick boxing": "15430",
    # the field games of Ireland and Australia, under the Compendium's nearest sport
    "footy": "15610", "aussie rule": "15210", "afl": "15210", "gaelic football": "15610",
    "gaelic": "15610", "hurling": "15350", "camogie": "15350", "rounders": "15620",
    "judo": "15430", "karate": "15430", "jujitsu": "15430", "taekwondo": "15430",
    "frisbee": "15240", "ultimate frisbee": "15250", "rower": "02071", "erg": "02071",
}


@dataclass(frozen=True, slots=True)
class Activity:
    """One Compendium entry.

    Attributes:
        code: The five-digit Compendium code.
        heading: Its major heading, e.g. ``"Running"``.
        description: Its description, e.g. ``"running, 6 mph (10 min/mile)"``.
        met: Its MET value.
    """

    code: str
    heading: str
    description: str
    met: float


def burned_kcal(met: float, weight_kg: float, minutes: float) -> float:
    """Energy burned: MET x body mass (kg) x hours.

    Args:
        met: The activity's MET value.
        weight_kg: Body mass in kilograms.
        minutes: Duration in minutes.

    Returns:
        Kilocalories burned.
    """
    return met * weight_kg * minutes / 60.0


class ActivityTable:
    """The Compendium table with a word index, loaded on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_code: dict[str, Activity] = {}
        self._postings: dict[str, list[str]] = {}
        self._typos: TypoIndex | None = None

    def load(self) -> None:
        """Read the bundled table (does nothing when already loaded)."""
        with self._lock:
            if self._typos is not None:
                return
            raw = resources.files("voicelive.nutrition").joinpath("data").joinpath(
                "activities.csv.gz").read_bytes()
            text = gzip.decompress(raw).decode("utf-8")
            postings: dict[str, list[str]] = defaultdict(list)
            for row in csv.DictReader(io.StringIO(text)):
                activity = Activity(row["code"], row["major_heading"],
                                    row["description"].replace("\u00e2\u0080\u0099", "'"),
                                    float(row["met"]))
                self._by_code[activity.code] = activity
                for word in set(tokens(activity.description)) | set(tokens(activity.heading)):
                    postings[word].append(activity.code)
            self._postings = dict(postings)
            self._typos = TypoIndex({w: len(c) for w, c in self._postings.items()})

    def get(self, code: str) -> Activity:
        """The activity with this Compendium code.

        Raises:
            NutritionError: No such code.
        """
        self.load()
        try:
            return self._by_code[code]
        except KeyError:
            raise NutritionError(f"no Compendium activity with code {code!r}") from None

    def match(self, said: str) -> Activity:
        """The Compendium entry that best fits what a person called their activity.

        Args:
            said: E.g. ``"running"``, ``"a bike ride"``, ``"swimming laps"``, ``"rock climbing"``.

        Returns:
            The best entry.

        Raises:
            NutritionError: Nothing matches.
        """
        self.load()
        assert self._typos is not None
        words = [w for w in tokens(said) if w not in ("a", "an", "the", "of", "some", "my", "went",
                                                       "did", "do", "go", "for", "i")]
        # "rugby training", "tennis lesson", "a netball match": the sport says what was done
        kind = [w for w in words if w not in OCCASIONS]
        if kind and len(kind) < len(words):
            try:
                return self.match(" ".join(kind))
            except NutritionError:
                pass
        corrected = []
        for w in words:
            near = self._typos.near(_verb_stem(w))
            corrected.append(near[0][0] if near else w)
        keys = (" ".join(words), " ".join(_verb_stem(w) for w in words), " ".join(corrected))
        for key in keys:
            if key in COMMON:
                return self._by_code[COMMON[key]]
        scores: dict[str, float] = defaultdict(float)
        for word in words:
            near = self._typos.near(word)[:3] or self._typos.near(_verb_stem(word))[:3]
            if not near and _verb_stem(word) in COMMON:
                return self._by_code[COMMON[_verb_stem(word)]]
            for variant, dist in near:
                for code in self._postings[variant]:
                    scores[code] = max(scores[code], 0.0) + 2.0 - dist
        if not scores:
            raise NutritionError(f"I don't know the activity {said.strip()!r}")
        best = max(
            scores,
            key=lambda c: (
                scores[c]
                + (0.5 if "general" in self._by_code[c].description else 0.0)
                - 0.02 * len(self._by_code[c].description),
                c,
            ),
        )
        return self._by_code[best]


OCCASIONS = frozenset(tokens("training practice session class lesson match game"))
"""Words that say on what occasion an activity was done, not which activity it was."""


def _verb_stem(word: str) -> str:
    """Fold "runs"/"ran"/"swam"/"biked" towards the keys of :data:`COMMON`."""
    irregular = {"ran": "running", "swam": "swimming", "rode": "cycling", "danced": "dancing",
                 "walked": "walking", "jogged": "jogging", "hiked": "hiking", "biked": "biking",
                 "cycled": "cycling", "rowed": "rowing", "skied": "skiing", "lifted": "weight"}
    return irregular.get(word, word)


_DEFAULT: ActivityTable | None = None
_DEFAULT_LOCK = threading.Lock()


def default_activities() -> ActivityTable:
    """The process-wide activity table (created, not loaded, on first call)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = ActivityTable()
        return _DEFAULT
