"""The words people use for the nutrition tools' parameters, declared with the tools.

Each list becomes a :class:`~voicelive.tools.hints.Vocabulary` on the parameter's annotation
(:data:`FOOD_VOCABULARY`, :data:`MEAL_VOCABULARY`, :data:`AMOUNT_VOCABULARY`,
:data:`ACTIVITY_VOCABULARY`), with the plausibility check of open lists: a food that is not on
the list is accepted when the food search finds it ("kimchi" is, "moments" is not). The offline
backend reads these from the declarations; it imports nothing of the nutrition toolkit.
:data:`SLOT_VALUES` keeps the plain lists by parameter name. Values are lower-case text;
numbers are digits (a digit in a phrase stands for any number).
"""

from __future__ import annotations

import re
from functools import lru_cache

from voicelive.exceptions import NutritionError
from voicelive.nutrition.activities import COMMON, OCCASIONS, default_activities
from voicelive.nutrition.plan import MEALS
from voicelive.nutrition.preferred import REGIONAL
from voicelive.nutrition.text import tokens
from voicelive.tools.hints import Vocabulary

__all__ = [
    "ACTIVITY_VOCABULARY",
    "ACTIVITY_WORDS",
    "AMOUNT_VOCABULARY",
    "AMOUNT_WORDS",
    "FOOD_VOCABULARY",
    "FOOD_WORDS",
    "MEAL_VOCABULARY",
    "MEAL_WORDS",
    "SLOT_VALUES",
    "is_activity",
    "is_food",
]

_FOODS = """
apple, apples, apple juice, apple pie, almonds, almond milk, asparagus, avocado, bacon, bagel,
banana, bananas, barley, beans, beef, beef jerky, beer, beets, biscuit, black beans,
blackberries, blueberries, blueberry muffin, bran flakes, bread, broccoli, brown rice, brown
sugar, brownie, brussels sprouts, burger, burrito, butter, buttermilk, cabbage, cake, candy,
cantaloupe, carrot, carrots, cashews, cauliflower, celery, cereal, cheddar cheese, cheese,
cheeseburger, cherries, chicken, chicken breast, chicken thigh, chicken wings, chicken noodle
soup, chickpeas, chili, chips, chocolate, chocolate milk, clams, coconut, cod, coffee, cola,
cookie, cookies, corn, corn flakes, couscous, crab, crackers, cranberries, cream, cream cheese,
croissant, cucumber, dates, doughnut, donut, duck, edamame, egg, eggs, egg whites, eggplant,
english muffin, feta, figs, fish, french fries, fries, fried chicken, frozen yogurt, garlic,
granola, granola bar, grapefruit, grapes, greek yogurt, green beans, ground beef, halibut, ham,
hamburger, hash browns, hazelnuts, honey, honeydew, hot dog, hummus, ice cream, jam, jelly,
kale, ketchup, kidney beans, kiwi, lamb, lasagna, lemon, lemonade, lentils, lettuce, lime,
lobster, macaroni, mac and cheese, mango, maple syrup, margarine, mayonnaise, melon, milk,
muffin, mushrooms, mustard, nachos, noodles, oatmeal, oats, olive oil, olives, omelet, onion,
onions, orange, oranges, orange juice, pancake, pancakes, papaya, parmesan, pasta, peach,
peaches, peanut butter, peanuts, pear, pears, peas, pecans, pepperoni, peppers, pickles, pie,
pineapple, pistachios, pita bread, pizza, plum, popcorn, pork, pork chop, potato, potatoes,
potato chips, pretzels, prunes, pudding, pumpkin, quinoa, raisins, raspberries, ribs, rice, rice
cakes, roast beef, salami, salmon, salsa, sardines, sausage, scallops, scrambled eggs, shrimp,
skim milk, soda, sour cream, soy milk, spaghetti, spinach, squash, steak, strawberries, sugar,
sunflower seeds, sweet potato, swiss cheese, syrup, taco, tea, tilapia, toast, tofu, tomato,
tomatoes, tomato soup, tortilla, tortilla chips, trail mix, tuna, turkey, turkey breast, veggie
burger, waffle, waffles, walnuts, water, watermelon, whipped cream, white bread, white rice,
whole wheat bread, wine, red wine, white wine, yogurt, zucchini, mozzarella, cottage cheese,
bell pepper, rye bread, sourdough bread, green tea, espresso, protein shake, energy drink, chia
seeds, flaxseed, almond butter, pita, brown bread, roast chicken, tuna salad, potato salad,
fruit salad, applesauce, cornbread, grits, cheesecake, chocolate cake, pound cake, banana bread,
pecan pie, pumpkin pie, cherry pie, sherbet, hot chocolate, cocoa, root beer, ginger ale, tonic
water, coconut water, lentil soup, baked beans, refried beans, corn tortilla, flour tortilla,
white fish, mussels, oysters, turkey bacon, bratwurst, pot roast, brisket, veal, goat cheese,
brie, ricotta, kefir, tempeh, soybeans, pinto beans, navy beans, lima beans, okra, radish,
turnip, parsnip, leek, artichoke, arugula, collard greens, swiss chard, watercress, apricot,
nectarine, pomegranate, persimmon, guava, passion fruit, lychee, tangerine, clementine,
plantain, jackfruit, rhubarb, gooseberries, elderberries, currants, macadamia nuts, brazil nuts,
pine nuts, pumpkin seeds, sesame seeds, tahini, soy sauce, barbecue sauce, ranch dressing,
italian dressing, gravy, pesto, marinara sauce, alfredo sauce, salsa verde, salad, soup,
sandwich, wrap, smoothie, ramen, kimchi, curry, fried rice, dumplings, chocolate bar, protein
bar, cereal bar, jerky, milkshake, nuts, fruit, vegetables, crisps, biscuits, meatballs, chicken
nuggets, nuggets, tacos, quesadilla, enchilada, pretzel, muesli, popsicle, yoghurt, veggies,
coke, porridge, latte, cappuccino, flat white, crumpet, crumpets, scone, scones, flapjack,
satsuma, satsumas, prawns, king prawns, aubergine, courgette, chilli, houmous, mince, sarnie,
bacon sarnie, butty, cuppa, beetroot, jacket potato, ice lolly, gammon
"""

MEAL_WORDS: list[str] = [*MEALS, "snack", "supper"]
"""The meals, plus common other names for them."""

FOOD_WORDS: list[str] = sorted({" ".join(w.split()) for w in _FOODS.split(",") if w.strip()})
"""Everyday food words (a few hundred); each one is found by the food search."""

_KNOWN_FOODS = frozenset(w for w in FOOD_WORDS if " " not in w)
_FOOD_SET = frozenset(FOOD_WORDS)

AMOUNT_WORDS: list[str] = [
    "a", "an", "1", "2", "3", "4", "5", "6", "half a", "half an", "a quarter of a",
    "a cup of", "1 cup of", "2 cups of", "half a cup of", "a glass of", "a bowl of", "a mug of",
    "a slice of", "2 slices of", "a piece of", "2 pieces of", "a can of", "a bottle of",
    "a bar of", "a handful of", "a scoop of", "a tablespoon of", "2 tablespoons of",
    "a teaspoon of", "a small", "a medium", "a large", "2 large", "50 grams of", "100 grams of",
    "150 grams of", "200 grams of", "250 grams of", "300 grams of", "1 ounce of", "2 ounces of",
    "3 ounces of", "4 ounces of", "6 ounces of", "8 ounces of", "half a pound of",
    "a pound of", "a pint of", "250 ml of", "500 ml of",
]
"""Common spoken amounts (the resolver understands many more)."""

_MEASURES = ("cup", "glass", "bowl", "mug", "slice", "piece", "can", "bottle", "bar", "handful",
             "scoop", "tablespoon", "teaspoon", "plate", "serving", "portion", "bag", "packet",
             "box", "spoonful", "pint", "pound", "ounce", "gram", "oz", "g", "ml", "liter",
             "litre", "kilo", "stick", "wedge", "strip", "square", "fillet", "leg", "wing",
             "tin", "jar", "pot", "carton", "tub", "sachet", "helping", "dollop", "rasher",
             "pinch", "splash", "knob", "punnet", "spoon")
_PLURAL = {"glass": "glasses", "box": "boxes", "g": "g", "oz": "oz", "ml": "ml",
           "handful": "handfuls"}
_AMOUNT_PHRASES: list[str] = sorted({
    *(w for w in AMOUNT_WORDS if w not in ("a", "an")),  # "a banana" is one serving: no amount
    "2", "half", "a whole", "a big", "a small", "a huge", "a little",
    *(f"{lead} {m} of" for m in _MEASURES for lead in ("a", "one", "half a", "a large",
                                                          "a small", "a big", "a little",
                                                          "a huge", "a medium")),
    *(f"2 {_PLURAL.get(m, m + 's')} of" for m in _MEASURES),
    *(f"2 {_PLURAL.get(m, m + 's')}" for m in _MEASURES),  # "it was two slices"
    *(f"2 {_PLURAL.get(m, m + 's')}" for m in ("g", "oz", "ml")),
    *(f"2 {size}" for size in ("small", "large", "medium", "big")),
})


_DESCRIPTORS = frozenset(re.findall(r"[a-z]+", """
    all any type types kind variety varieties flavor flavors flavour flavours style time minute
    minutes cook cooked cooking light lite dark whole part parts plain regular prepared ready
    frozen dry dried raw fresh instant canned commercial home homemade made added with without
    and or from not less reduced low high free fat calorie calories lean only includes
    including enhanced fortified unenriched enriched serving portion mix mixture extra
    """))
"""Words of food names that describe a food but name none."""


@lru_cache(maxsize=4096)
def is_food(text: str) -> bool:
    """Whether the food search finds ``text`` (the check of open food lists)."""
    from voicelive.nutrition.foods import default_database

    words = [w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2]
    if not words or (len(words) == 1 and _measure(words[0])):
        return False  # "a slice", "a plate": how much of something, no food itself
    known = [w in _KNOWN_FOODS or w.rstrip("s") in _KNOWN_FOODS for w in words]
    if known == [True]:
        return True
    singular = [w[:-1] if w.endswith("s") and not w.endswith("ss") else w for w in words]
    if any(" ".join(singular[i:]) in REGIONAL or " ".join(words[i:]) in REGIONAL
           for i in range(len(words))):
        return True  # "a chocolate digestive": another name of a food the table holds
    if 2 <= len(words) <= 3 and all(known[:-1]) and is_food(words[-1]):
        return True  # "chicken tamales": a food the table holds, made with everyday foods
    if 2 <= len(words) <= 3 and known[-1] and known.count(False) <= 1:
        # a dish named after an everyday food: "zucchini noodles", "chicken caesar salad"
        return True
    if len(words) == 3 and " ".join(words[:2]) in _FOOD_SET and is_food(" ".join(words[1:])):
        return True  # "sweet potato wedges": a known food, and a dish made of its last word
    found = [m.name.lower() for m in default_database().search(text, limit=3)]
    names = [set(re.findall(r"[a-z]+", name)) for name in found]
    # a single word names the food itself, at the head of a database name ("Nuts, almonds",
    # "Tofu, firm"): "late" (a late harvest wine) or "good" (a cereal brand) is no food
    heads = [set(re.findall(r"[a-z]+", ",".join(name.split(",")[:2]))) if len(words) == 1
             else names[i]
             for i, name in enumerate(found)]
    # every word said must be (the start of) a word of one of the foods found: the search
    # forgives typos, which is right for a food and wrong for "weather" (fruit leather);
    # and one of them a word that names food, not only a descriptor ("all types", "cook
    # time", "light"): "it all", "lights" or "time" is no food
    return any(all(any(_alike(w, n) for n in name) for w in words)
               and any(_alike(w, n) for w in words for n in head - _DESCRIPTORS)
               for name, head in zip(names, heads, strict=True))


def _measure(word: str) -> bool:
    """Whether a word names a measure or a portion, not a food ("slices", "plateful")."""
    for form in (word, word.removesuffix("s"), word.removesuffix("es"),
                 word.removesuffix("ful")):
        if form in _MEASURES or form in ("bite", "plate", "couple"):
            return True
    return False


def _alike(said: str, name: str) -> bool:
    """Whether a word said and a word of a database name are the same word (plural, ending)."""
    if said == name or said.rstrip("s") == name.rstrip("s"):
        return True
    return min(len(said), len(name)) >= 5 and (name.startswith(said[:5])
                                               or said.startswith(name[:5]))


@lru_cache(maxsize=4096)
def is_activity(text: str) -> bool:
    """Whether the activity table knows ``text`` (the check of open activity lists)."""
    words = [w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2]
    said = tokens(text)
    if not words or (len(words) == 1 and said[-1] in OCCASIONS):
        return False  # "one of those 45 minute classes", "a game": the kind is said elsewhere
    folded = " ".join(w for w in said if w not in ("a", "an", "the", "my"))
    kind = [w for w in said if w not in OCCASIONS]
    if kind and len(kind) < len(said) and is_activity(" ".join(kind)):
        return True  # "rugby training": rugby
    if " ".join(words) in COMMON or folded in COMMON:  # "mowing the lawn", "aqua aerobics"
        return True
    try:
        found = default_activities().match(text)
    except NutritionError:
        return False
    # the table forgives typos; a word said must still be (the start of) one of the entry's
    names = set(re.findall(r"[a-z]+", f"{found.heading} {found.description}".lower()))
    return all(any(_alike(w, n) or (len(w) >= 4 and n.startswith(w[:4])) for n in names)
               for w in words)

ACTIVITY_WORDS: list[str] = sorted(
    {*(k for k in COMMON if k != "skipping"),  # "skipping" is mostly about meals
     "running", "cycling", "yoga", "swimming", "walking", "a walk", "a run",
     "a bike ride", "a swim", "weights",
     # past tenses, for "i walked for an hour" (the activity table folds them)
     "walked", "ran", "jogged", "swam", "cycled", "biked", "hiked", "rowed", "danced"}
)
"""Activity words mapped to Compendium entries (anything else is searched by words)."""

SLOT_VALUES: dict[str, list[str]] = {
    "meal": MEAL_WORDS,
    "food": FOOD_WORDS,
    "original": FOOD_WORDS,
    "replacement": FOOD_WORDS,
    "amount": AMOUNT_WORDS,
    "activity": ACTIVITY_WORDS,
}
"""Known values per template slot: ``meal``, ``food``, ``original``, ``replacement``,
``amount`` and ``activity``."""

FOOD_VOCABULARY = Vocabulary(FOOD_WORDS, plausible=is_food)
"""Foods: the everyday list, and anything else the food search finds. A food is passed on as
the person said it ("porridge", "a latte"): the food search knows the other names
(:data:`~voicelive.nutrition.preferred.REGIONAL`), so nothing is renamed on the way."""

MEAL_VOCABULARY = Vocabulary(MEALS, aliases={"snack": "snacks", "supper": "dinner",
                                             "evening meal": "dinner", "brunch": "lunch",
                                             "brekkie": "breakfast", "brekky": "breakfast",
                                             # the evening meal as many British people say it
                                             "my tea": "dinner", "our tea": "dinner",
                                             "for tea": "dinner", "teatime": "dinner",
                                             "tea time": "dinner"},
                             closed=True)
"""The day's meals (closed)."""

_MORE = ("another", "an extra", "a second", "one more", "an additional", "1 more", "a whole",
         "a full", "an entire")
_AMOUNT_ALIASES = {f"{lead} {m} of": f"a {m} of" for m in _MEASURES for lead in _MORE}
"""One more (or a whole one) of a measure is one of it: "an extra bowl of cereal" and "a whole
bag of crisps" are a bowl and a bag."""

AMOUNT_VOCABULARY = Vocabulary(_AMOUNT_PHRASES, aliases=_AMOUNT_ALIASES, closed=True)
"""Spoken amounts ("a cup of", "3 slices of", "150 grams of"); closed, so no other words are
taken for an amount."""

_ACTIVITY_CANONICAL = {
    "ran": "running", "run": "running", "a run": "running", "jogged": "jogging",
    "jog": "jogging", "a jog": "jogging", "swam": "swimming", "swim": "swimming",
    "a swim": "swimming", "walked": "walking", "walk": "walking", "a walk": "walking",
    "cycled": "cycling", "biked": "cycling", "bike": "cycling", "a bike ride": "cycling",
    "bike ride": "cycling", "hiked": "hiking", "hike": "hiking", "a hike": "hiking",
    "rowed": "rowing", "danced": "dancing", "lifted weights": "weight lifting",
    "lifting": "weight lifting", "weights": "weight lifting",
}
ACTIVITY_VOCABULARY = Vocabulary(ACTIVITY_WORDS, aliases=_ACTIVITY_CANONICAL,
                                 plausible=is_activity)
"""Activities, with past tenses and "a walk" mapped to the activity's name."""
