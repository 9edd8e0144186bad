"""Requests as people say them to a nutrition coach, with what each must end in.

Written for these tests from how people talk (fillers, extra clauses, questions, negation, two
requests in one breath, follow-ups), not from the tools' templates. ``CASES`` maps a category
to ``(text, calls)``, where ``calls`` lists ``(tool, args that must be present)``; an empty
list means no call at all.
"""

from __future__ import annotations

from typing import Any

Call = tuple[str, dict[str, Any]]

CASES: dict[str, list[tuple[str, list[Call]]]] = {
    "fillers": [
        ("Um, so I kind of skipped breakfast this morning.",
         [("missed_meal", {"meal": "breakfast"})]),
        ("Okay so, uh, I had a banana.", [("unplanned_food", {"food": "banana"})]),
        ("Hey, can you log thirty minutes of yoga for me?",
         [("log_activity", {"activity": "yoga", "minutes": 30})]),
        ("So yeah, I basically just finished my lunch.", [("ate_meal", {"meal": "lunch"})]),
        ("Hmm, how am I doing today?", [("daily_summary", {})]),
        ("Well, I actually ate a couple of cookies.", [("unplanned_food", {"food": "cookies"})]),
        ("Um can you please set my goal to eighteen hundred calories",
         [("set_targets", {"kcal": 1800})]),
    ],
    "extra_clauses": [
        ("I went for a 20 minute walk after work.",
         [("log_activity", {"activity": "walk", "minutes": 20})]),
        ("I had two slices of pizza at the office", [("unplanned_food", {"food": "pizza"})]),
        ("I grabbed a coffee on the way home", [("unplanned_food", {"food": "coffee"})]),
        ("I drank a glass of orange juice with my family",
         [("unplanned_food", {"food": "orange juice"})]),
        ("I did an hour and fifteen minutes of cycling with some friends",
         [("log_activity", {"activity": "cycling", "minutes": 75})]),
        ("I walked the dog for twenty five minutes around the park",
         [("log_activity", {"activity": "walk", "minutes": 25})]),
        ("I ate some grilled chicken at a restaurant", [("unplanned_food", {"food": "chicken"})]),
    ],
    "questions": [
        ("Can you tell me how much protein is in a chicken breast?",
         [("lookup_food", {"food": "chicken breast"})]),
        ("How many calories does an avocado have?", [("lookup_food", {"food": "avocado"})]),
        ("What's in a cup of brown rice?", [("lookup_food", {"food": "brown rice"})]),
        ("Do you know how much fat is in peanut butter?",
         [("lookup_food", {"food": "peanut butter"})]),
        ("So how many calories do I have left for today?", [("daily_summary", {})]),
        ("Could I have quinoa instead of the rice at dinner?",
         [("substitute_food", {"original": "rice", "replacement": "quinoa", "meal": "dinner"})]),
        ("What would it take to swap pasta for zucchini?",
         [("substitute_food", {"original": "pasta", "replacement": "zucchini"})]),
    ],
    "negation": [
        ("There was no time for dinner tonight.", [("missed_meal", {"meal": "dinner"})]),
        ("I didn't get to eat dinner last night, can you fix my plan",
         [("missed_meal", {"meal": "dinner"})]),
        ("I never had breakfast today", [("missed_meal", {"meal": "breakfast"})]),
        ("I couldn't eat lunch, I was in meetings all day", [("missed_meal", {"meal": "lunch"})]),
        ("Honestly I forgot to have lunch", [("missed_meal", {"meal": "lunch"})]),
        ("I went without breakfast", [("missed_meal", {"meal": "breakfast"})]),
        ("I haven't eaten lunch yet and I won't", [("missed_meal", {"meal": "lunch"})]),
    ],
    "two_in_one": [
        ("I skipped breakfast and then ran for 30 minutes",
         [("missed_meal", {"meal": "breakfast"}),
          ("log_activity", {"activity": "running", "minutes": 30})]),
        ("I missed lunch today. What should I eat for dinner?",
         [("missed_meal", {"meal": "lunch"}), ("daily_summary", {})]),
        ("I had an apple and then I went swimming for forty minutes",
         [("unplanned_food", {"food": "apple"}),
          ("log_activity", {"activity": "swimming", "minutes": 40})]),
        ("I skipped breakfast and lunch",
         [("missed_meal", {"meal": "breakfast"}), ("missed_meal", {"meal": "lunch"})]),
        ("Log a muffin, and also twenty minutes of jogging",
         [("unplanned_food", {"food": "muffin"}),
          ("log_activity", {"activity": "jogging", "minutes": 20})]),
        ("I finished my dinner. How am I doing?",
         [("ate_meal", {"meal": "dinner"}), ("daily_summary", {})]),
    ],
    "nothing_fits": [
        ("What's the weather going to be like tomorrow?", []),
        ("Tell me a joke", []),
        ("Can you play some music?", []),
        ("Book me a table for two at eight", []),
        ("What time is it in Tokyo?", []),
        ("Call my mom", []),
        ("How long does it take to drive to Boston?", []),
        ("Could you wake me up at seven tomorrow?", []),
        ("Who wrote Pride and Prejudice?", []),
    ],
    "near_miss": [
        ("I thought about skipping lunch", []),
        ("Should I skip dinner?", []),
        ("I might skip breakfast tomorrow", []),
        ("What if I skipped lunch?", []),
        ("I was thinking of having a cookie", []),
        ("Is it okay if I skip dinner tonight?", []),
        ("Do you think I should have a banana?", []),
    ],
    # an intention, negated or not, is not a fact
    "intention": [
        ("I'm not gonna have dessert tonight", []),
        ("I won't skip dinner again, promise", []),
        ("I'm going to go for a swim after work", []),
        ("Honestly I don't want to miss breakfast anymore", []),
        ("I am about to eat a sandwich", []),
        ("I nearly had a second slice of cake", []),
    ],
    # someone else did it: not the user's log
    "someone_else": [
        ("My husband skipped dinner last night", []),
        ("my son had a cookie after school", []),
        ("She went for a forty minute jog", []),
        ("Yesterday my best friend ate a whole pizza", []),
        ("The kids missed lunch today", []),
        ("Um, my sister did yoga for an hour", []),
    ],
    # pronouns, quantifiers and abstract nouns are no food: ask instead of writing them
    "no_value": [
        ("I ate it all", []),
        ("Honestly I finished the whole thing", []),
        ("I ate everything", []),
        ("Um, I had some of it", []),
        ("I grabbed a bunch of them", []),
    ],
    # "zero time for" says no, as "no time for" does
    "zero_as_no": [
        ("I had zero time for lunch", [("missed_meal", {"meal": "lunch"})]),
        ("Zero time for breakfast this morning", [("missed_meal", {"meal": "breakfast"})]),
        ("Work was crazy, I had zero time for dinner",
         [("missed_meal", {"meal": "dinner"})]),
    ],
    # ... unless the user was part of it, or it is only a context
    "with_someone": [
        ("My wife and I went running for half an hour",
         [("log_activity", {"activity": "running", "minutes": 30})]),
        ("I went for a walk with my dad for twenty minutes",
         [("log_activity", {"activity": "walking", "minutes": 20})]),
        ("I had a cookie with my friends", [("unplanned_food", {"food": "cookie"})]),
        ("I skipped lunch to help my brother", [("missed_meal", {"meal": "lunch"})]),
    ],
}

FOLLOW_UPS: list[list[tuple[str, list[Call]]]] = [
    [("I skipped breakfast", [("missed_meal", {"meal": "breakfast"})]),
     ("and dinner too", [("missed_meal", {"meal": "dinner"})])],
    [("How many calories are in an apple?", [("lookup_food", {"food": "apple"})]),
     ("what about a pear?", [("lookup_food", {"food": "pear"})]),
     ("and a mango", [("lookup_food", {"food": "mango"})])],
    [("I missed breakfast", [("missed_meal", {"meal": "breakfast"})]),
     ("do the same for lunch", [("missed_meal", {"meal": "lunch"})])],
    [("I ran for thirty minutes", [("log_activity", {"minutes": 30})]),
     ("actually make that forty five", [("log_activity", {"activity": "running", "minutes": 45})])],
    [("I went for a run for thirty minutes", [("log_activity", {"minutes": 30})]),
     ("no wait, forty minutes", [("log_activity", {"activity": "running", "minutes": 40})])],
    [("Swap rice for quinoa", [("substitute_food", {"original": "rice"})]),
     ("what about for dinner?", [("substitute_food", {"original": "rice",
                                                       "replacement": "quinoa",
                                                       "meal": "dinner"})])],
    [("I ate an apple", [("unplanned_food", {"food": "apple"})]),
     ("oh, and a banana", [("unplanned_food", {"food": "banana"})])],
    [("I had some chicken for lunch", [("unplanned_food", {"food": "chicken"})]),
     ("how much protein is in that?", [("lookup_food", {"food": "chicken"})])],
]
