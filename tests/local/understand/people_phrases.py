"""Requests as different people say them to a nutrition coach, by category of the outside sets.

Written for these tests, before they were first run, in new words (not from the templates,
the spoken sets, the held-out or blind sets): young and old, terse and chatty, American,
British and Australian words, numbers said many ways, self-corrections, hedges and stories.

``CALLS`` maps a category to ``(turns, calls)``: the calls the whole conversation must make,
in order, as ``(tool, args that must be present)``. ``NO_TOOL`` holds requests no tool covers
(no call, a short reply); ``NEAR_MISS`` holds turns that must write nothing. ``CUSTOM`` uses
the plain ``@tool`` functions of ``test_understand_people.py`` beside the nutrition tools.
"""

from __future__ import annotations

from typing import Any

Call = tuple[str, dict[str, Any]]
Case = tuple[list[str], list[Call]]

SUMMARY: list[Call] = [("daily_summary", {})]


def _food(tool: str, food: str, amount: str | None = None) -> Call:
    args: dict[str, Any] = {"food": food}
    if amount is not None:
        args["amount"] = amount
    return (tool, args)


def _moved(minutes: float, activity: str, kg: float | None = None) -> Call:
    args: dict[str, Any] = {"activity": activity, "minutes": minutes}
    if kg is not None:
        args["weight_kg"] = kg
    return ("log_activity", args)


def _swap(original: str, replacement: str, meal: str | None = None) -> Call:
    args: dict[str, Any] = {"original": original, "replacement": replacement}
    if meal is not None:
        args["meal"] = meal
    return ("substitute_food", args)


def _meal(tool: str, meal: str) -> Call:
    return (tool, {"meal": meal})


CALLS: dict[str, list[Case]] = {
    "scripted": [
        (["I skipped lunch today."], [_meal("missed_meal", "lunch")]),
        (["How many calories are in an avocado?"], [_food("lookup_food", "avocado")]),
        (["I had my breakfast as planned."], [_meal("ate_meal", "breakfast")]),
        (["I ate a chocolate bar."], [_food("unplanned_food", "chocolate")]),
        (["Can I swap the pasta for brown rice?"], [_swap("pasta", "brown rice")]),
        (["I went cycling for forty minutes."], [_moved(40, "cycling")]),
        (["How's my day looking?"], SUMMARY),
        (["Set my daily calories to 2000."], [("set_targets", {"kcal": 2000})]),
        (["I missed dinner last night."], [_meal("missed_meal", "dinner")]),
        (["What's the protein in a cup of Greek yogurt?"], [_food("lookup_food", "yogurt")]),
        (["I did yoga for an hour."], [_moved(60, "yoga")]),
        (["Log a banana for me."], [_food("unplanned_food", "banana")]),
        (["I ate my dinner."], [_meal("ate_meal", "dinner")]),
        (["Change my calorie goal to eighteen hundred."], [("set_targets", {"kcal": 1800})]),
        (["I walked for a quarter of an hour."], [_moved(15, "walk")]),
        (["Use chicken instead of beef in my lunch."], [_swap("beef", "chicken", "lunch")]),
        (["How much fat is in peanut butter?"], [_food("lookup_food", "peanut butter")]),
        (["I had a handful of almonds."], [_food("unplanned_food", "almond")]),
        (["I didn't have breakfast."], [_meal("missed_meal", "breakfast")]),
        (["Swam for 45 minutes."], [_moved(45, "swim")]),
        (["Give me a summary of today."], SUMMARY),
        (["Calories in two boiled eggs?"], [_food("lookup_food", "egg")]),
        (["I ran for 1.5 hours."], [_moved(90, "run")]),
        (["My target should be 1,650 calories."], [("set_targets", {"kcal": 1650})]),
        (["I didn't eat any snacks today."], [_meal("missed_meal", "snacks")]),
    ],
    "extra_words": [
        (["Um, so, I kind of skipped breakfast this morning because I overslept."],
         [_meal("missed_meal", "breakfast")]),
        (["Right, quick one, how many calories in a crumpet, roughly?"],
         [_food("lookup_food", "crumpet")]),
        (["Okay so after work I went for a jog, about twenty five minutes or so."],
         [_moved(25, "jog")]),
        (["I've just had a cheeky packet of crisps at my desk, don't judge me."],
         [_food("unplanned_food", "crisps")]),
        (["Honestly I was starving so I ate a whole bagel with cream cheese."],
         [_food("unplanned_food", "bagel")]),
        (["Hey coach, could you tell me how I'm tracking today?"], SUMMARY),
        (["My mate dragged me to the gym and we did weights for like an hour."],
         [_moved(60, "weight")]),
        (["Ah I'm so sorry, I completely forgot to eat lunch, meetings all day."],
         [_meal("missed_meal", "lunch")]),
        (["Well, I did eat my lunch, the one on the plan, the salad."],
         [_meal("ate_meal", "lunch")]),
        (["If it's not too much trouble, could you set my target at 1900 calories please?"],
         [("set_targets", {"kcal": 1900})]),
        (["You know what, I'd rather have quinoa than couscous tonight, can we switch?"],
         [_swap("couscous", "quinoa")]),
        (["So I was at my nan's and she made me have a slice of cake."],
         [_food("unplanned_food", "cake")]),
        (["Just wondering, like, how much sugar's in a can of coke?"],
         [_food("lookup_food", "coke")]),
        (["Mate, I went for a forty-five minute bike ride along the river this arvo."],
         [_moved(45, "cycling")]),
        (["I've been really good today, had breakfast exactly like the plan said."],
         [_meal("ate_meal", "breakfast")]),
        (["Erm, dinner didn't happen tonight, I just wasn't hungry."],
         [_meal("missed_meal", "dinner")]),
        (["Could you be a love and log two digestive biscuits?"],
         [_food("unplanned_food", "biscuit", "2")]),
        (["I'm curious, what's in a medium baked potato, calorie wise?"],
         [_food("lookup_food", "potato")]),
        (["I did half an hour of gardening out the back, log that please."],
         [_moved(30, "garden")]),
        (["Alright, be honest with me, how many calories have I got left today?"], SUMMARY),
        (["So basically I had a Mars bar on the way home, oops."],
         [_food("unplanned_food", "mars bar")]),
        (["For dinner I'd like to swap the potatoes for sweet potatoes if that's alright."],
         [_swap("potato", "sweet potato", "dinner")]),
        (["At my age I only manage a gentle walk, but I did forty minutes today."],
         [_moved(40, "walk")]),
        (["Basically I want my daily goal to be two thousand two hundred from now on."],
         [("set_targets", {"kcal": 2200})]),
        (["Look, I'll be honest, I skipped my snacks today."],
         [_meal("missed_meal", "snacks")]),
    ],
    "two_in_one": [
        (["I skipped breakfast and then had my lunch as planned."],
         [_meal("missed_meal", "breakfast"), _meal("ate_meal", "lunch")]),
        (["I ran for 20 minutes and ate a protein bar after."],
         [_moved(20, "run"), _food("unplanned_food", "protein bar")]),
        (["How many calories in a pear, and how am I doing overall?"],
         [_food("lookup_food", "pear"), *SUMMARY]),
        (["I had a coffee with milk this morning, and I did yoga for thirty minutes."],
         [_food("unplanned_food", "coffee"), _moved(30, "yoga")]),
        (["Set my goal to 1700 and tell me where that leaves me today."],
         [("set_targets", {"kcal": 1700}), *SUMMARY]),
        (["Dinner's off tonight, I'm out, but I walked for an hour this afternoon."],
         [_meal("missed_meal", "dinner"), _moved(60, "walk")]),
        (["I ate my breakfast and skipped lunch."],
         [_meal("ate_meal", "breakfast"), _meal("missed_meal", "lunch")]),
        (["Swap rice for cauliflower rice at dinner, then show me my day."],
         [_swap("rice", "cauliflower rice"), *SUMMARY]),
        (["I cycled to work, that's about 35 minutes, and I had a croissant when I got in."],
         [_moved(35, "cycl"), _food("unplanned_food", "croissant")]),
        (["I went swimming for an hour and a quarter and then skipped dinner, I was knackered."],
         [_moved(75, "swim"), _meal("missed_meal", "dinner")]),
        (["I had a muffin, and also a latte."],
         [_food("unplanned_food", "muffin"), _food("unplanned_food", "latte")]),
        (["Calories in a samosa? And log one while you're at it."],
         [_food("lookup_food", "samosa"), _food("unplanned_food", "samosa")]),
        (["I did 50 minutes of tennis. I weigh 80 kilos."], [_moved(50, "tennis", 80)]),
        (["Did a run, took me about 55 minutes, I'm 72 kg by the way."],
         [_moved(55, "run", 72)]),
        (["Lunch was as planned and then I had a biscuit at three."],
         [_meal("ate_meal", "lunch"), _food("unplanned_food", "biscuit")]),
        (["Tell me how I'm doing and then look up a banana."],
         [*SUMMARY, _food("lookup_food", "banana")]),
        (["I missed breakfast. Then I went rowing for twenty minutes."],
         [_meal("missed_meal", "breakfast"), _moved(20, "rowing")]),
        (["I weigh 90 kilos and I played basketball for an hour."],
         [_moved(60, "basketball", 90)]),
    ],
    "follow_up": [
        (["I skipped breakfast.", "And lunch too."],
         [_meal("missed_meal", "breakfast"), _meal("missed_meal", "lunch")]),
        (["How many calories in a peach?", "What about a nectarine?"],
         [_food("lookup_food", "peach"), _food("lookup_food", "nectarine")]),
        (["I went running for 30 minutes.", "Actually make that 40."],
         [_moved(30, "run"), _moved(40, "run")]),
        (["I ate something.", "A chocolate digestive."],
         [_food("unplanned_food", "digestive")]),
        (["I did some cycling.", "About an hour."], [_moved(60, "cycl")]),
        (["Can I swap pasta for something?", "Brown rice."], [_swap("pasta", "brown rice")]),
        (["I had my breakfast.", "Same for lunch."],
         [_meal("ate_meal", "breakfast"), _meal("ate_meal", "lunch")]),
        (["What's in a bagel?", "Okay, log that."],
         [_food("lookup_food", "bagel"), _food("unplanned_food", "bagel")]),
        (["I went for a walk.", "Forty minutes."], [_moved(40, "walk")]),
        (["Set my target to 2000 calories.", "No wait, 1800."],
         [("set_targets", {"kcal": 2000}), ("set_targets", {"kcal": 1800})]),
        (["How much protein is in tofu?", "And in tempeh?"],
         [_food("lookup_food", "tofu"), _food("lookup_food", "tempeh")]),
        (["I skipped dinner.", "Oh and breakfast as well."],
         [_meal("missed_meal", "dinner"), _meal("missed_meal", "breakfast")]),
        (["I ate a cookie.", "And a glass of milk."],
         [_food("unplanned_food", "cookie"), _food("unplanned_food", "milk")]),
        (["I did yoga for 20 minutes.", "And 15 minutes of stretching after."],
         [_moved(20, "yoga"), _moved(15, "stretch")]),
        (["How many calories in hummus?", "Right, I had about two tablespoons of it."],
         [_food("lookup_food", "hummus"), _food("unplanned_food", "hummus")]),
        (["I went swimming.", "Half an hour, give or take."], [_moved(30, "swim")]),
    ],
}

NO_TOOL: list[str] = [
    "What's the weather going to be like tomorrow?",
    "Can you play some music?",
    "How long should I boil an egg for?",
    "What temperature do I bake salmon at?",
    "Remind me to take my tablets at eight.",
    "Who won the football last night?",
    "Can you order me a pizza?",
    "What's a good recipe for banana bread?",
    "Tell me a joke.",
    "How do I get to the station from here?",
    "Is chicken still okay after five days in the fridge?",
    "Book me a table for two on Friday.",
    "What time is it in Sydney?",
    "Should I defrost mince in the microwave?",
    "How do I make my porridge creamier?",
]

NEAR_MISS: list[str] = [
    "I just bought a bag of apples at the market.",
    "I'm meal prepping chicken and rice for the week.",
    "Rice or pasta for dinner tonight, what do you reckon?",
    "Should I skip lunch if I had a big breakfast?",
    "I was going to go for a run but it rained.",
    "I almost had a doughnut at work.",
    "My husband skipped breakfast again.",
    "We've got loads of yoghurt in the fridge.",
    "I'm cooking a lasagne for the family tonight.",
    "Don't log that, I didn't end up eating the crisps.",
    "I might go swimming later.",
    "Is it bad if I skip dinner?",
    "My daughter had three biscuits after school.",
    "I packed a sandwich for lunch tomorrow.",
    "Pizza or a curry tonight?",
    "I baked some flapjacks for the school fair.",
]

CUSTOM: list[Case] = [
    (["My watch says I did 8,500 steps today."], [("log_steps", {"steps": 8500})]),
    (["Log twelve thousand steps."], [("log_steps", {"steps": 12000})]),
    (["I've walked about six and a half thousand steps so far."],
     [("log_steps", {"steps": 6500})]),
    (["I'm feeling pretty stressed today."], [("note_mood", {"mood": "stressed"})]),
    (["Mood wise, I'm great!"], [("note_mood", {"mood": "great"})]),
    (["Honestly I'm feeling a bit low."], [("note_mood", {"mood": "low"})]),
    (["I drank three glasses of water."], [("add_water_glasses", {"glasses": 3})]),
    (["Had another two glasses of water just now."], [("add_water_glasses", {"glasses": 2})]),
    (["I walked for 30 minutes."], [_moved(30, "walk")]),
    (["I had a glass of orange juice."], [_food("unplanned_food", "orange juice")]),
    (["Put down 4000 steps for me."], [("log_steps", {"steps": 4000})]),
    (["Water: five glasses so far today."], [("add_water_glasses", {"glasses": 5})]),
]

# A second round, written after the first round's fixes and before it was first run, to see
# whether they carry over to requests nobody tuned to.
ROUND2: dict[str, list[Case]] = {
    "scripted": [
        (["Log my lunch as eaten."], [_meal("ate_meal", "lunch")]),
        (["I had a bowl of cornflakes."], [_food("unplanned_food", "cornflakes")]),
        (["What are the macros for a baked sweet potato?"],
         [_food("lookup_food", "sweet potato")]),
        (["Put in a forty minute walk."], [_moved(40, "walk")]),
        (["I've skipped dinner."], [_meal("missed_meal", "dinner")]),
        (["Switch the beef for turkey mince."], [_swap("beef", "turkey")]),
        (["Please change my target to two thousand calories."],
         [("set_targets", {"kcal": 2000})]),
        (["Am I on track today?"], SUMMARY),
        (["How much protein is in a tin of tuna?"], [_food("lookup_food", "tuna")]),
        (["I had two slices of toast with peanut butter."],
         [_food("unplanned_food", "toast", "2")]),
        (["Ran 5k this morning, took about 28 minutes."], [_moved(28, "run")]),
        (["Breakfast is done, ate it all."], [_meal("ate_meal", "breakfast")]),
    ],
    "extra_words": [
        (["Ugh, so I totally missed lunch because the train was delayed and everything."],
         [_meal("missed_meal", "lunch")]),
        (["OK so my sister came round with cake and I had a big slice, sorry!"],
         [_food("unplanned_food", "cake")]),
        (["G'day, just did an hour of surfing down at the beach."], [_moved(60, "surf")]),
        (["Could you please, if it's no bother, tell me how many calories are in a mango?"],
         [_food("lookup_food", "mango")]),
        (["I reckon I did about 35 minutes on the cross trainer at the gym."],
         [_moved(35, "cross trainer")]),
        (["Yeah so, had my dinner, the one you planned, it was lovely."],
         [_meal("ate_meal", "dinner")]),
        (["Listen, I want my daily calories set to 1750, my doctor said so."],
         [("set_targets", {"kcal": 1750})]),
        (["Right, so, after the school run I grabbed a flat white and a croissant."],
         [_food("unplanned_food", "flat white"), _food("unplanned_food", "croissant")]),
        (["Oh gosh, I haven't had any breakfast at all today."],
         [_meal("missed_meal", "breakfast")]),
        (["Be a dear and tell me what's left for today, would you?"], SUMMARY),
        (["My knees aren't great but I managed twenty minutes of swimming."],
         [_moved(20, "swim")]),
        (["I'm so bad, I ate three chocolate biscuits with my tea."],
         [_food("unplanned_food", "biscuit", "3")]),
        (["Is there much fat in avocado toast, by any chance?"],
         [_food("lookup_food", "avocado")]),
        (["Just so you know, I'm subbing the rice for cauliflower rice at dinner."],
         [_swap("rice", "cauliflower rice")]),
    ],
    "two_in_one": [
        (["I skipped lunch and went for a long walk, maybe fifty minutes."],
         [_meal("missed_meal", "lunch"), _moved(50, "walk")]),
        (["Log a banana and an apple."],
         [_food("unplanned_food", "banana"), _food("unplanned_food", "apple")]),
        (["I had breakfast as planned, then a biscuit at eleven."],
         [_meal("ate_meal", "breakfast"), _food("unplanned_food", "biscuit")]),
        (["How many calories in a latte and how am I doing?"],
         [_food("lookup_food", "latte"), *SUMMARY]),
        (["I did 30 minutes of yoga, then 20 minutes of walking."],
         [_moved(30, "yoga"), _moved(20, "walk")]),
        (["Swap the pasta for rice and tell me my totals."], [_swap("pasta", "rice"), *SUMMARY]),
        (["I missed breakfast and lunch today."],
         [_meal("missed_meal", "breakfast"), _meal("missed_meal", "lunch")]),
        (["I ate an orange. Also I did some gardening for an hour."],
         [_food("unplanned_food", "orange"), _moved(60, "garden")]),
        (["I'm 85 kilos and I just cycled for forty minutes."], [_moved(40, "cycl", 85)]),
        (["Had my dinner, and set my target to 1900 please."],
         [_meal("ate_meal", "dinner"), ("set_targets", {"kcal": 1900})]),
    ],
    "follow_up": [
        (["I skipped lunch.", "Dinner too."],
         [_meal("missed_meal", "lunch"), _meal("missed_meal", "dinner")]),
        (["How much protein in an egg?", "And in two eggs?"],
         [_food("lookup_food", "egg"), _food("lookup_food", "egg", "2")]),
        (["I went cycling for an hour.", "Sorry, I meant 45 minutes."],
         [_moved(60, "cycl"), _moved(45, "cycl")]),
        (["I had a snack.", "Some crisps."], [_food("unplanned_food", "crisps")]),
        (["Calories in a croissant?", "What about a bagel?"],
         [_food("lookup_food", "croissant"), _food("lookup_food", "bagel")]),
        (["Log a workout.", "Rowing.", "Twenty minutes."], [_moved(20, "rowing")]),
        (["I had my breakfast.", "And my lunch."],
         [_meal("ate_meal", "breakfast"), _meal("ate_meal", "lunch")]),
        (["Swap rice for quinoa.", "Actually make it couscous."],
         [_swap("rice", "quinoa"), _swap("rice", "couscous")]),
        (["I ate a yoghurt.", "Make that two."],
         [_food("unplanned_food", "yoghurt"), _food("unplanned_food", "yoghurt", "2")]),
        (["I went for a swim.", "About forty five minutes."], [_moved(45, "swim")]),
    ],
}

NO_TOOL2: list[str] = [
    "Can you set an alarm for seven?",
    "What's the capital of France?",
    "How many tablespoons in a cup?",
    "Send a message to my wife.",
    "Turn the lights off.",
    "How long do I microwave porridge for?",
    "What's the best way to cook rice?",
    "Can you find me a gym nearby?",
]

NEAR_MISS2: list[str] = [
    "I was thinking of skipping breakfast tomorrow.",
    "Should I go for a run or a swim?",
    "My son ate a whole pizza.",
    "I didn't eat the cake in the end.",
    "We bought a load of bananas.",
    "I'm making pancakes for the kids.",
    "I'd love a burger right now.",
    "Maybe I'll have a banana later.",
    "Is it okay to skip lunch?",
    "I've got some chocolate in the cupboard.",
]

CUSTOM2: list[Case] = [
    (["Did ten thousand steps today!"], [("log_steps", {"steps": 10000})]),
    (["I'm in a great mood today."], [("note_mood", {"mood": "great"})]),
    (["Add one glass of water."], [("add_water_glasses", {"glasses": 1})]),
    (["Feeling a bit stressed out, to be honest."], [("note_mood", {"mood": "stressed"})]),
    (["I had four glasses of water today."], [("add_water_glasses", {"glasses": 4})]),
    (["I went for a run for 25 minutes."], [_moved(25, "run")]),
]
