"""Requests for the mechanisms that make understanding generalise, one group per mechanism.

Written for these tests in new words (not from the tools' templates, the spoken sets or the
held-out and blind sets): each group is a kind of phrasing that used to fail, phrased several
ways. ``CALLS`` maps a group to ``(turns, calls)``, the calls the conversation must end in,
as ``(tool, args that must be present)``; ``QUIET`` holds turns that must write nothing;
``ASKS`` turns that must ask one short question and write nothing.
"""

from __future__ import annotations

from typing import Any

Call = tuple[str, dict[str, Any]]
Case = tuple[list[str], list[Call]]

SUMMARY: list[Call] = [("daily_summary", {})]

CALLS: dict[str, list[Case]] = {
    # an absence phrase in another form of its verb, or one that ends the clause
    "absence": [
        (["I had to give up on dinner, the kids were sick."],
         [("missed_meal", {"meal": "dinner"})]),
        (["Breakfast kind of fell through this morning."],
         [("missed_meal", {"meal": "breakfast"})]),
        (["I'm passing on lunch today, too many calls."], [("missed_meal", {"meal": "lunch"})]),
        (["I never got round to having breakfast."], [("missed_meal", {"meal": "breakfast"})]),
    ],
    # an absence cue negates what follows it, not the meal said before it
    "absence_scope": [
        (["I had my breakfast without any coffee."], [("ate_meal", {"meal": "breakfast"})]),
        (["Lunch was eaten, with no dessert after."], [("ate_meal", {"meal": "lunch"})]),
    ],
    # for a tool that sets something, an intention is the request
    "intention": [
        (["I want to get down to 1600 calories a day."], [("set_targets", {"kcal": 1600})]),
        (["I'm trying to eat about 2100 calories a day."], [("set_targets", {"kcal": 2100})]),
    ],
    # "tell me / show me" + a word about oneself asks about one's day
    "about_me": [
        (["Show me where I stand today."], SUMMARY),
        (["Tell me if I'm still under for today."], SUMMARY),
        (["Run me through my day so far."], SUMMARY),
    ],
    # "out of X / no X left, can I use Y" is a swap, with X the thing replaced
    "swap_absent": [
        (["I don't have any bread left, can I swap in rice cakes?"],
         [("substitute_food", {"original": "bread", "replacement": "rice cakes"})]),
        (["We ran out of pasta, could I go with quinoa tonight?"],
         [("substitute_food", {"original": "pasta", "replacement": "quinoa"})]),
    ],
    # a word heard that says the opposite of a tool's words
    "opposite": [
        (["I had some crackers that weren't on my plan."],
         [("unplanned_food", {"food": "crackers"})]),
        (["Dinner was just the planned one, the chicken with rice."],
         [("ate_meal", {"meal": "dinner"})]),
    ],
    # a known value of a list only one tool has names the tool; the answer completes it
    "own_value": [
        (["I did some pilates.", "About forty minutes."],
         [("log_activity", {"activity": "pilates", "minutes": 40})]),
        (["Put in a workout for me.", "Actually it was swimming.", "Twenty five minutes."],
         [("log_activity", {"activity": "swimming", "minutes": 25})]),
    ],
    # a pronoun or a bare count in a later part stands for the thing the part before named
    "pronoun": [
        (["My sister baked cookies and I had two of them."],
         [("unplanned_food", {"food": "cookies", "amount": "2"})]),
        (["I picked up a bagel on the way and ate it at my desk."],
         [("unplanned_food", {"food": "bagel"})]),
        (["The office had doughnuts this morning and I grabbed one."],
         [("unplanned_food", {"food": "doughnut"})]),
    ],
    # a correction takes back a word no list has, for a value of an open list
    "correction": [
        (["I had crumpets, no, sorry, muffins."], [("unplanned_food", {"food": "muffin"})]),
        (["I drank two smoothies."], [("unplanned_food", {"food": "smoothie", "amount": "2"})]),
    ],
    # a stray full stop inside one request
    "joined": [
        (["I went swimming. For forty five minutes."],
         [("log_activity", {"activity": "swimming", "minutes": 45})]),
        (["How much protein. Is in tofu?"], [("lookup_food", {"food": "tofu"})]),
        (["Could you. Mark my dinner as eaten."], [("ate_meal", {"meal": "dinner"})]),
    ],
    # values of one kind joined by "and" are one call each
    "coordinated": [
        (["Log lunch and dinner as eaten."],
         [("ate_meal", {"meal": "lunch"}), ("ate_meal", {"meal": "dinner"})]),
        (["I skipped breakfast, lunch and dinner."],
         [("missed_meal", {"meal": "breakfast"}), ("missed_meal", {"meal": "lunch"}),
          ("missed_meal", {"meal": "dinner"})]),
    ],
    # a part that adds only an optional value completes the call before
    "completes": [
        (["I went cycling for an hour, I weigh about 75 kilos."],
         [("log_activity", {"activity": "cycling", "minutes": 60, "weight_kg": 75})]),
    ],
    # a question whose pronoun points to the thing of the call before is about that call
    "same_call": [
        (["Can I swap the pasta for rice, and how much of it should I have?"],
         [("substitute_food", {"original": "pasta", "replacement": "rice"})]),
    ],
    # what follows ", the ..." says what a value was
    "elaboration": [
        (["I finished my dinner, the salmon and the rice."], [("ate_meal", {"meal": "dinner"})]),
    ],
    # a plan word in a comma part with no value is an aside
    "aside": [
        (["Please mark lunch as skipped, I won't have time today."],
         [("missed_meal", {"meal": "lunch"})]),
    ],
    # a lookup said as its template asks about the word heard even off the food list
    "lookup_unknown": [
        (["How many calories are in a kouign amann?"],
         [("lookup_food", {"food": "kouign amann"})]),
    ],
    # a leading "no," answers; the number corrects the call before
    "answer_no": [
        (["Set my goal to 2000 calories.", "No, 2200."],
         [("set_targets", {"kcal": 2000}), ("set_targets", {"kcal": 2200})]),
    ],
    # a value said as context gives way to the thing done
    "context_value": [
        (["I did forty minutes of spin class at the gym."],
         [("log_activity", {"activity": "spin class", "minutes": 40})]),
    ],
    # one more of a measure is one of it
    "one_more": [
        (["I had another glass of milk."],
         [("unplanned_food", {"food": "milk", "amount": "glass"})]),
        (["I went back for a second bowl of soup."],
         [("unplanned_food", {"food": "soup", "amount": "bowl"})]),
    ],
    # a follow-up swap takes the thing of the call before as the side replaced
    "swap_follow_up": [
        (["How many calories in white rice?", "Could I have cauliflower instead?"],
         [("lookup_food", {"food": "white rice"}),
          ("substitute_food", {"original": "white rice", "replacement": "cauliflower"})]),
    ],
}

QUIET: dict[str, list[str]] = {
    # wishes and cravings, said or held back
    "wish": [
        "I'd really love some chips right now but I won't.",
        "Honestly I could go for a burger.",
        "I'm craving chocolate so badly.",
        "I love a good plate of pasta.",
    ],
    # a thing said not to be there, or not eaten, is not logged
    "negated": [
        "I didn't touch the cake in the end.",
        "There's no milk in the fridge.",
    ],
    # a request about a thing no tool knows
    "elsewhere": [
        "Set an alarm for seven.",
        "Put peanut butter on my grocery list.",
        "Which vitamins should I take?",
    ],
}

ASKS: dict[str, list[str]] = {
    # a snack said to be off the plan, or "something extra": what was it?
    "what_was_it": [
        "I had a snack off the plan.",
        "I ate something extra this afternoon.",
    ],
    # a food no list knows, not named as had: asked about, never written on a guess
    "unknown_food": [
        "a kouign amann wasn't on the plan",
    ],
}

# supposed, conditional, tempted or hedged: nothing is written
QUIET["supposed"] = [
    "Let's say I had a muffin, what happens?",
    "I could eat a horse right now.",
    "I'll probably skip lunch today.",
    "I was tempted by the brownies but said no.",
]

# a request verb and the tool's own word, nothing else: ask for what is missing
CALLS["commanded"] = [
    (["Record some exercise for me.", "Rowing machine.", "About half an hour."],
     [("log_activity", {"activity": "rowing", "minutes": 30})]),
]

# words of eating and asking that people use
CALLS["said_otherwise"] = [
    (["Does cauliflower have much fiber?"], [("lookup_food", {"food": "cauliflower"})]),
    (["I treated myself to a frozen yogurt after the movie."],
     [("unplanned_food", {"food": "frozen yogurt"})]),
    (["Just curious, how much sugar does a peach have?"], [("lookup_food", {"food": "peach"})]),
    (["Quick check, where am I with my calories?"], SUMMARY),
]

# a pronoun after a lookup: the thing looked up is eaten; a swap needs its other side said
CALLS["after_lookup"] = [
    (["What's in a blueberry muffin?", "Fine, I'll have one."],
     [("lookup_food", {"food": "blueberry muffin"}),
      ("unplanned_food", {"food": "blueberry muffin"})]),
    (["How much protein is in lentils?", "Could I use them instead of beef?"],
     [("lookup_food", {"food": "lentils"}),
      ("substitute_food", {"original": "beef", "replacement": "lentils"})]),
]

# more ways to lean on the call before
CALLS["same_with"] = [
    (["I missed breakfast.", "Same with lunch, to be honest."],
     [("missed_meal", {"meal": "breakfast"}), ("missed_meal", {"meal": "lunch"})]),
    # a turn opened by "with" says more of the thing just logged: no second food
    (["I had a latte.", "With oat milk."], [("unplanned_food", {"food": "latte"})]),
]

# "can we ..." asks the coach to do it; "can we skip dinner?" stays a question
CALLS["can_we"] = [
    (["Can we bring my calories down to 1650?"], [("set_targets", {"kcal": 1650})]),
]
QUIET["can_we"] = ["Could we skip breakfast tomorrow?"]

# "neither ... nor", "no ... or ...": every meal named is missed
CALLS["neither"] = [
    (["Neither breakfast nor lunch happened, honestly."],
     [("missed_meal", {"meal": "breakfast"}), ("missed_meal", {"meal": "lunch"})]),
    (["I didn't get breakfast or lunch today."],
     [("missed_meal", {"meal": "breakfast"}), ("missed_meal", {"meal": "lunch"})]),
]

# a hesitation between commas inside a phrase is no word of it
CALLS["hesitation"] = [
    (["I had a turkey, uh, sandwich at my desk."],
     [("unplanned_food", {"food": "turkey sandwich"})]),
]
