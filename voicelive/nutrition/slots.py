"""Known slot values of the nutrition tools, for the offline intent matcher and speech biasing.

:data:`SLOT_VALUES` maps a template slot (a tool parameter name) to the words people commonly
use for it. The offline backend turns each list into a hassil list and feeds the words to the
speech recogniser as hints. Values are plain lower-case text; numbers are digits, because the
offline backend rewrites spoken numbers as digits before matching.
"""

from __future__ import annotations

from voicelive.nutrition.activities import COMMON
from voicelive.nutrition.plan import MEALS

__all__ = ["ACTIVITY_WORDS", "AMOUNT_WORDS", "FOOD_WORDS", "MEAL_WORDS", "SLOT_VALUES"]

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
italian dressing, gravy, pesto, marinara sauce, alfredo sauce, salsa verde, salad, soup
"""

MEAL_WORDS: list[str] = [*MEALS, "snack", "supper"]
"""The meals, plus common other names for them."""

FOOD_WORDS: list[str] = sorted({" ".join(w.split()) for w in _FOODS.split(",") if w.strip()})
"""Everyday food words (a few hundred); each one is found by the food search."""

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

ACTIVITY_WORDS: list[str] = sorted(
    {*COMMON, "running", "cycling", "yoga", "swimming", "walking", "a walk", "a run",
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
