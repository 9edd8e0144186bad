"""A fourth round of requests as people say them to a nutrition coach (text only).

Written for these tests before they were first run, in new words (none from the templates,
the spoken sets or the other phrase lists): chatty and terse, young and old, American,
British, Australian and Irish words, numbers said many ways, self-corrections, stories and
brand names. ``ROUND4`` maps a category to ``(turns, calls)``: the calls the whole
conversation must make, in order, as ``(tool, args that must be present)``; ``[]`` means
no call at all (no tool covers it, and the reply is short). ``NEAR4`` holds turns that must
write nothing. The custom tools are the plain ``@tool`` functions of
``test_understand_round4.py``.
"""

from __future__ import annotations

from typing import Any

Call = tuple[str, dict[str, Any]]
Case = tuple[list[str], list[Call]]


def _ate(food: str, amount: str | None = None) -> Call:
    return ("unplanned_food", {"food": food} | ({"amount": amount} if amount else {}))


def _look(food: str, amount: str | None = None) -> Call:
    return ("lookup_food", {"food": food} | ({"amount": amount} if amount else {}))


def _moved(activity: str, minutes: float) -> Call:
    return ("log_activity", {"activity": activity, "minutes": minutes})


SUMMARY: Call = ("daily_summary", {})

ROUND4: dict[str, list[Case]] = {
    "scripted": [
        (["I skipped breakfast this morning."], [("missed_meal", {"meal": "breakfast"})]),
        (["I ate my dinner as planned."], [("ate_meal", {"meal": "dinner"})]),
        (["How many calories are in a pork pie?"], [_look("pork pie")]),
        (["Log a cheese scone."], [_ate("scone")]),
        (["I went swimming for forty minutes."], [_moved("swim", 40)]),
        (["Set my daily calories to 1,750."], [("set_targets", {"kcal": 1750})]),
        (["How am I doing today?"], [SUMMARY]),
        (["Can I have brown rice instead of the white rice?"],
         [("substitute_food", {"original": "white rice", "replacement": "brown rice"})]),
        (["I had a packet of salt and vinegar crisps."], [_ate("crisps", "packet")]),
        (["I missed my lunch."], [("missed_meal", {"meal": "lunch"})]),
        (["What's in a slice of banana bread?"], [_look("banana bread", "slice")]),
        (["I did half an hour of yoga."], [_moved("yoga", 30)]),
        (["Show me my totals for today."], [SUMMARY]),
        (["Change my target to two thousand calories."], [("set_targets", {"kcal": 2000})]),
        (["I've eaten my breakfast."], [("ate_meal", {"meal": "breakfast"})]),
    ],
    "extra_words": [
        (["Right, so, erm, I completely forgot to have lunch today, work was mental."],
         [("missed_meal", {"meal": "lunch"})]),
        (["Gosh, I'd love to know how much protein's in a tin of tuna, if you don't mind."],
         [_look("tuna", "tin")]),
        (["Ah sure look, I had a bowl of coddle for me dinner."], [_ate("coddle", "bowl")]),
        (["Mate, I just smashed a meat pie at the footy."], [_ate("meat pie")]),
        (["So, like, I went on a bike ride with my dad for about an hour and ten minutes."],
         [_moved("cycl", 70)]),
        (["Okay so breakfast happened, had the overnight oats from the plan, all good."],
         [("ate_meal", {"meal": "breakfast"})]),
        (["Honestly I just need a quick rundown of where I'm at with calories."], [SUMMARY]),
        (["My granddaughter set this up for me, dear, I had a digestive biscuit with my tea."],
         [_ate("digestive")]),
        (["Ugh, dinner never happened, the kids were sick all evening."],
         [("missed_meal", {"meal": "dinner"})]),
        (["yo log a chicken wrap, cheers"], [_ate("chicken wrap")]),
        (["I think I'd like my protein target at, let's see, a hundred and forty grams, "
          "calories at 2100."], [("set_targets", {"kcal": 2100, "protein_g": 140})]),
        (["Well I walked the dog round the park, must have been forty five minutes."],
         [_moved("walk", 45)]),
        (["Just so you know, I polished off a whole avocado on toast at the cafe."],
         [_ate("avocado")]),
        (["Quick one, roughly how many calories in a Big Mac?"], [_look("big mac")]),
        (["For lunch, could I maybe do quinoa rather than the couscous?"],
         [("substitute_food", {"original": "couscous", "replacement": "quinoa"})]),
        (["Not gonna lie, I had two slices of pepperoni pizza at the party."],
         [_ate("pizza", "2")]),
        (["I was run off my feet and didn't get a chance to eat breakfast."],
         [("missed_meal", {"meal": "breakfast"})]),
        (["Put me down for a flat white, would ya."], [_ate("flat white")]),
        (["Did a twenty five minute jog round the block before work."], [_moved("jog", 25)]),
        (["Can you give me the overview of my day so far, please and thank you."], [SUMMARY]),
        (["I had, em, a couple of Jaffa Cakes, no actually three, with a cuppa."],
         [_ate("jaffa cake", "3")]),
        (["Honest to God I ran out the door and never got round to breakfast."],
         [("missed_meal", {"meal": "breakfast"})]),
        (["Hiya, I did a parkrun this morning, took me thirty two minutes."],
         [_moved("run", 32)]),
        (["I need my carbs at two hundred grams and calories at nineteen hundred."],
         [("set_targets", {"kcal": 1900, "carbs_g": 200})]),
        (["What would a large portion of chips set me back, calorie wise?"], [_look("chips")]),
    ],
    "two_in_one": [
        (["I skipped breakfast and then had a banana at eleven."],
         [("missed_meal", {"meal": "breakfast"}), _ate("banana")]),
        (["Log a latte and tell me how I'm doing."], [_ate("latte"), SUMMARY]),
        (["I cycled for an hour, then I ate lunch as planned."],
         [_moved("cycl", 60), ("ate_meal", {"meal": "lunch"})]),
        (["How many calories in a bagel? And could you log one for me?"],
         [_look("bagel"), _ate("bagel")]),
        (["Lunch was as planned, and I had a Kit Kat in the afternoon."],
         [("ate_meal", {"meal": "lunch"}), _ate("kit kat")]),
        (["I missed dinner. Also I did forty minutes of rowing."],
         [("missed_meal", {"meal": "dinner"}), _moved("row", 40)]),
        (["Set my calories to 1900 and then show me where I am."],
         [("set_targets", {"kcal": 1900}), SUMMARY]),
        (["I had a handful of almonds, plus a glass of milk."],
         [_ate("almond", "handful"), _ate("milk", "glass")]),
        (["Went for a run, thirty minutes, and I skipped lunch after."],
         [_moved("run", 30), ("missed_meal", {"meal": "lunch"})]),
        (["What's in a mango? Oh and log an apple too."], [_look("mango"), _ate("apple")]),
    ],
    "follow_up": [
        (["I skipped breakfast.", "And lunch."],
         [("missed_meal", {"meal": "breakfast"}), ("missed_meal", {"meal": "lunch"})]),
        (["How many calories in a croissant?", "What about a pain au chocolat?"],
         [_look("croissant"), _look("pain au chocolat")]),
        (["I did some gardening.", "About an hour."], [_moved("garden", 60)]),
        (["I ate something naughty.", "A jam doughnut."], [_ate("doughnut")]),
        (["Log a biscuit.", "Actually make that three."], [_ate("biscuit"), _ate("biscuit", "3")]),
        (["I went for a walk for twenty minutes.", "No wait, it was thirty."],
         [_moved("walk", 20), _moved("walk", 30)]),
        (["I had a snack.", "Some grapes."], [_ate("grapes")]),
        (["What's in a bowl of porridge?", "And with honey?"],
         [_look("porridge", "bowl"), _look("honey")]),
        (["I had dinner as planned.", "Oh and a glass of red wine."],
         [("ate_meal", {"meal": "dinner"}), _ate("wine", "glass")]),
        (["Log some exercise.", "Tennis.", "An hour and a half."], [_moved("tennis", 90)]),
        (["I've had my breakfast.", "Same for lunch."],
         [("ate_meal", {"meal": "breakfast"}), ("ate_meal", {"meal": "lunch"})]),
        (["Can I swap the pasta for something?", "Zucchini noodles."],
         [("substitute_food", {"original": "pasta", "replacement": "zucchini noodles"})]),
    ],
    "no_tool": [
        (["What's the weather doing tomorrow?"], []),
        (["Can you order me an Uber to the gym?"], []),
        (["Book me in for a haircut on Tuesday."], []),
        (["Who won the hurling final?"], []),
        (["Tell me a joke."], []),
        (["How do I make a proper Sunday roast?"], []),
        (["Add bin bags to my shopping list."], []),
        (["Play some Taylor Swift."], []),
        (["What time does Aldi close?"], []),
        (["Can you ring my mum?"], []),
        (["Find me a good pizza place nearby."], []),
        (["Remind me to take my tablets at nine."], []),
    ],
    "custom": [
        (["I only got about six hours of sleep last night."], [("log_sleep", {"hours": 6})]),
        (["Slept like a log, nine hours straight."], [("log_sleep", {"hours": 9})]),
        (["My stress is through the roof, like an eight."], [("rate_stress", {"level": 8})]),
        (["stress level two today, pretty chilled"], [("rate_stress", {"level": 2})]),
        (["My watch says eleven thousand steps."], [("log_steps", {"steps": 11000})]),
        (["Log 7,500 steps."], [("log_steps", {"steps": 7500})]),
        (["I got seven and a half hours kip."], [("log_sleep", {"hours": 7.5})]),
        (["I walked for an hour, and my phone says nine thousand two hundred steps."],
         [_moved("walk", 60), ("log_steps", {"steps": 9200})]),
        (["Work was grim so stress is about a six, and I had a chocolate bar."],
         [("rate_stress", {"level": 6}), _ate("chocolate")]),
        (["My sister brought brownies round and I had one."], [_ate("brownie")]),
        (["Feeling pretty stressed, maybe a seven out of ten."], [("rate_stress", {"level": 7})]),
        (["Fitbit reckons twelve and a half thousand steps."], [("log_steps", {"steps": 12500})]),
    ],
}

NEAR4: list[str] = [
    "I was going to skip lunch but I'll probably eat something.",
    "Should I have a banana or is that too much sugar?",
    "My son had chicken nuggets for tea.",
    "I might go for a run later if it stops raining.",
    "I'm thinking about cutting down to 1500 calories at some point.",
    "Is it bad that I never eat breakfast?",
    "I nearly had a second helping of trifle.",
    "Do you reckon I could swap bread for crackers?",
    "My husband skipped dinner again.",
    "I bought a box of Cadbury Roses for my mum.",
    "If I had a takeaway tonight, would that ruin my day?",
    "I'd kill for a bacon sandwich right now.",
    "Last year I used to run every morning.",
    "What if I skipped dinner tonight?",
]
"""Turns that must write nothing (near misses)."""
