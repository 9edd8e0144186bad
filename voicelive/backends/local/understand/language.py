"""The words of English that understanding needs, as data (:data:`ENGLISH`).

The shape of a language is :class:`~.language_spec.Language`; nothing here names a tool or a
domain.
"""

from __future__ import annotations

from .english_fillers import FILLERS
from .language_spec import Language, concept_groups, word_list

__all__ = ["ENGLISH", "Language"]


ENGLISH = Language(
    code="en",
    fillers=FILLERS,
    stop=frozenset(word_list(
        "a an the of to in on at for with by from and or but is are was were be been am i me my "
        "mine we our you your it its this that these those there here some any "
        "will would can could should shall may might must 's 'm 're 've 'd "
        "what which who how when where why much many as about into than too very one "
        "let 'll up out off if so only even still already quite pretty "
        "what's whats it's i'm i've i'll i'd that's how's where's when's who's "
        "there's ll re ve s d m t just"
    )),
    negations=frozenset(word_list(
        "not no never without didn't didnt don't dont haven't havent hadn't hadnt wasn't "
        "couldn't couldnt won't wont cannot can't cant isn't weren't nothing none neither nor"
    )),
    absence=(
        "no time for", "no time to eat", "no time to have", "didn't get to", "did not get to",
        "didn't get a chance to", "never got to", "never got around to", "didn't have time for",
        "did not have time for", "didn't have time to", "had no time for", "went without",
        "passed on", "gave up on", "couldn't eat", "could not eat", "didn't eat", "did not eat",
        "didn't have", "did not have", "haven't had", "have not had", "haven't eaten",
        "hadn't eaten", "no", "without", "forgot", "forgot to eat", "forgot to have",
        "too busy to", "too busy for", "too tired to", "no chance to", "didn't have a chance to",
        "ran out of time for", "wasn't hungry for", "not hungry for", "never got",
        "blanked on", "never happened", "didn't happen", "did not happen", "didn't manage to",
        "did not manage to", "wasn't able to", "was not able to", "couldn't fit in",
        "couldn't fit", "bailed on", "skipped out on", "missed out on", "never made it to",
        # base forms: absence phrases are also matched on word stems ("had to pass on")
        "pass on", "give up on", "go without", "bail on", "skip out on", "miss out on",
        "didn't work out", "did not work out", "didn't really work out", "fell through",
        "fall through", "never came together", "wasn't possible", "was not possible",
        "never got round to", "didn't end up", "did not end up", "never ended up",
        "sleep through", "work through", "was a no go", "wasn't on the cards",
        # a meal called off ("dinner's off tonight", "lunch was cancelled")
        "is off", "was off", "is cancelled", "was cancelled", "got cancelled", "called off",
        "is not happening", "isn't happening", "wasn't happening",
        # no way it could happen ("there was just no way I could get lunch in")
        "no way i could", "no way i could get", "no way to", "no way of", "no chance of",
    ),
    absence_words=frozenset(word_list("skip miss forget absent without")),
    hypothetical=(
        "thought about", "thinking about", "think about", "thinking of", "thought of",
        "considering", "consider", "should i", "shall i", "could i", "can i skip",
        "can we skip", "could we skip",
        "would it be", "would it", "is it ok", "is it okay", "is it fine", "is it bad",
        "what if", "if i", "maybe i", "i might", "might", "i may", "wondering if",
        "wondering whether", "whether", "tempted to", "do you think", "did i", "have i",
        "was going to", "were going to", "was about to", "were about to", "planning to",
        "plan to", "want to know if",
        "i'd rather not", "not sure if", "not sure whether", "supposed to", "meant to",
        "maybe",
        "perhaps", "tomorrow", "later", "next week", "later today", "in a bit",
        # an intention is not a fact, negated or not ("I'm not going to skip lunch")
        "going to", "gonna", "about to", "won't", "wont", "will not", "don't want to",
        "do not want to", "don't plan to", "not planning", "planning on", "intend to",
        "hoping to", "hope to", "trying not to", "try not to", "refuse to",
        "i almost", "i nearly", "almost had", "nearly had", "would i", "will i",
        "had almost", "had nearly", "very nearly", "so close to",
        "if i were to",
        # a habit, a plan or a duty is not a fact of today ("I usually skip breakfast")
        "usually", "always", "normally", "generally", "typically", "often", "sometimes",
        "every day", "every morning", "most days", "tend to", "never skip", "never miss",
        "we're having", "we are having",
        "remind me", "need to", "ought to",
        # a wish is not a fact ("I'd love a cookie"); "I want to log ..." asks now
        "i'd love", "i would love", "i'd love to", "i would love to", "i want to",
        "i really want to", "i'd like to", "i would like to", "i'd kill for", "i could go for",
        "i could really go for",
        "i want", "i wanna", "i really want", "i'm craving", "i am craving", "craving",
        "i'm dying for", "i feel like having", "i fancy", "i'd like", "i would like",
        "i'd rather", "i wish", "if only",
        # tempted, supposed, conditional, hedged: no fact ("I could eat a horse", "let's say I
        # had a muffin", "I'll probably skip lunch")
        "tempted by", "was tempted", "let's say", "say i", "suppose", "supposing",
        "imagine", "hypothetically", "i could", "i would", "i should", "i'd", "probably",
        "i'll probably", "likely",
        # a liking is no fact of today ("I love running", "I really like pancakes")
        "i love", "i really love", "i like", "i really like", "i enjoy", "i hate",
        "i prefer", "i'm a fan of", "i'm into", "i adore",
        # held back: "but I'll resist", "I resisted the cookies"
        "i'll resist", "i will resist", "i'm resisting", "i resisted", "resisting",
        "i'll pass", "i'll skip it", "i'll try",

    ),
    questions=frozenset(word_list(
        "what what's whats how how's which who when where why is are does do did can could "
        "should would will am have has was were"
    )),
    request_openers=("can you", "could you", "would you", "will you", "please", "can we",
                     "could we", "shall we"),
    context=(
        "after work", "before work", "at work", "at the office", "at the gym", "at home",
        "at school", "this morning", "this afternoon", "this evening", "last night",
        "yesterday", "today", "tonight", "earlier", "earlier today", "just now", "right now",
        "so far", "for me", "as well", "on the way home", "on my way home",
        "on my lunch break", "during my break", "with some friends", "with friends",
        "with my friends", "with my family", "with the kids", "with my kids",
        "with a friend", "with my wife", "with my husband", "with coworkers",
        "with colleagues", "at a party", "at the party", "at a restaurant", "in the park",
        "around the block", "around the park", "outside", "again", "real quick",
        "if you can", "if you could", "for me please", "a little while ago", "a while ago",
        "a little bit ago", "not long ago", "a moment ago", "earlier on",
    ),
    context_heads=frozenset(word_list(
        "at after before with in on during around near by to mid since ever")),
    context_nouns=frozenset(word_list(
        "work office gym home school friends friend family kids wife husband colleagues "
        "coworkers party restaurant cafe park block mall store break meeting beach lake "
        "neighborhood neighbourhood city town morning afternoon evening night weekend "
        "dog partner mom dad mum brother sister game match movies cinema concert airport "
        "train bus car desk hotel bed church class "
        # events one goes to ("at the footy", "with the wedding tonight")
        "footy footie races pub gig barbecue bbq wedding funeral christening festival fair "
        "stadium canteen"
    )),
    splitters=("and then", "and also", "and after that", "after that", "then", "also",
               "plus", "and", "but", "so"),
    follow_ups=(
        "what about", "how about", "and what about", "same for", "do the same for",
        "same with", "the same with", "same goes for", "same again for", "ditto for",
        "and the same for", "same thing with",
        "the same for", "same thing for", "make that", "make it", "change that to",
        "change it to", "actually make that", "too", "as well", "also", "instead", "and",
        "no wait", "wait", "sorry", "i mean", "i meant", "actually", "it was", "correction",
    ),
    dangling=frozenset(word_list(
        "and then or but with of for to the a an some my um uh also plus because so "
        "like"
    )),
    vague=frozenset(word_list(
        "something anything everything whatever stuff things thing it that this them all"
    )),
    cancel=("never mind", "nevermind", "forget it", "cancel", "cancel that", "nothing",
            "no thanks", "stop"),
    irregular={
        "ate": "eat", "eaten": "eat", "had": "have", "has": "have", "having": "have",
        "ran": "run", "running": "run", "went": "go", "gone": "go", "going": "go",
        "swam": "swim", "swum": "swim", "swimming": "swim", "drank": "drink", "drunk": "drink",
        "did": "do", "done": "do", "doing": "do", "rode": "ride", "ridden": "ride",
        "made": "make", "took": "take", "taken": "take", "got": "get", "gotten": "get",
        "forgot": "forget", "forgotten": "forget", "skipped": "skip", "skipping": "skip",
        "grabbed": "grab", "biked": "bike", "biking": "bike", "jogged": "jog",
        "jogging": "jog", "cycled": "cycle", "cycling": "cycle", "walked": "walk",
        "walking": "walk", "hiked": "hike", "hiking": "hike", "missed": "miss",
        "calories": "calorie", "kcal": "calorie", "macros": "macro", "carbs": "carb",
        "left": "leave", "remaining": "remain", "swapped": "swap", "swapping": "swap",
        "replaced": "replace", "substituted": "substitute", "stopped": "stop",
        "mice": "mouse", "children": "child", "people": "person", "men": "man",
        "women": "woman", "feet": "foot", "teeth": "tooth", "bought": "buy", "brought": "bring",
        "thought": "think", "slept": "sleep", "woke": "wake", "spent": "spend", "lost": "lose",
        "set": "set", "sat": "sit", "gave": "give", "fell": "fall", "fallen": "fall",
        "came": "come", "felt": "feel", "kept": "keep", "was": "be", "were": "be",
    },
    concepts=concept_groups({
        "eat": "eat have consume snack munch grab drink finish devour nibble sip chug "
               "meal eaten treat indulge scoff wolf gobble polish smash inhale",
        "skip": "skip miss forget absent without",
        "swap": "swap replace substitute instead switch exchange trade rather sub subbing "
                "subbed",
        "exercise": "exercise workout activity train practice practise run jog walk cycle bike "
                    "swim hike physical burn burned burnt sport",
        "look": "look lookup find search check info information nutrition nutritional "
                "contain",
        "nutrient": "calorie protein carb carbohydrate fat macro fiber fibre sugar salt sodium",
        "summary": "summary overview progress status report recap total totals tally",
        "remain": "remain leave budget balance allowance under over",
        "goal": "goal target aim",
        "log": "log record track note enter jot write save",
        "weight": "weight weigh weighed weighing weighs",
        "sleep": "sleep slept asleep nap napped kip kipped snooze",
    }),
    units={
        "minute": ("min", 1.0), "minutes": ("min", 1.0), "min": ("min", 1.0),
        "mins": ("min", 1.0), "hour": ("min", 60.0), "hours": ("min", 60.0),
        "hr": ("min", 60.0), "hrs": ("min", 60.0), "second": ("min", 1 / 60),
        "seconds": ("min", 1 / 60),
        "kg": ("kg", 1.0), "kilo": ("kg", 1.0), "kilos": ("kg", 1.0),
        "kilogram": ("kg", 1.0), "kilograms": ("kg", 1.0), "kilogrammes": ("kg", 1.0),
        "pound": ("kg", 0.45359237), "pounds": ("kg", 0.45359237), "lb": ("kg", 0.45359237),
        "lbs": ("kg", 0.45359237),
        "ml": ("ml", 1.0), "milliliter": ("ml", 1.0), "milliliters": ("ml", 1.0),
        "millilitre": ("ml", 1.0), "millilitres": ("ml", 1.0), "mls": ("ml", 1.0),
        "liter": ("ml", 1000.0), "liters": ("ml", 1000.0), "litre": ("ml", 1000.0),
        "litres": ("ml", 1000.0),
        "calorie": ("kcal", 1.0), "calories": ("kcal", 1.0), "kcal": ("kcal", 1.0),
        "kilocalories": ("kcal", 1.0), "cal": ("kcal", 1.0), "cals": ("kcal", 1.0),
        "g": ("g", 1.0), "gram": ("g", 1.0), "grams": ("g", 1.0), "grammes": ("g", 1.0),
        "km": ("km", 1.0), "kilometer": ("km", 1.0), "kilometers": ("km", 1.0),
        "kilometre": ("km", 1.0), "kilometres": ("km", 1.0), "k": ("km", 1.0),
        "mile": ("mile", 1.0), "miles": ("mile", 1.0), "step": ("step", 1.0),
        "steps": ("step", 1.0), "glass": ("glass", 1.0), "glasses": ("glass", 1.0),
        "cup": ("cup", 1.0), "cups": ("cup", 1.0), "percent": ("%", 1.0), "%": ("%", 1.0),
    },
    number_units={
        "zero": 0, "nought": 0, "naught": 0, "one": 1, "two": 2, "three": 3, "four": 4,
        "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
        "twelve": 12,
        "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
        "eighteen": 18, "nineteen": 19,
    },
    number_tens={
        "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
        "seventy": 70, "eighty": 80, "ninety": 90,
    },
    number_scales={"hundred": 100, "thousand": 1000},
    number_phrases=(
        (r"\b(?:an?|one) hour and a half\b", "90 minutes"),
        (r"\b(?:one|1) and a half hours?\b", "90 minutes"),
        (r"\b(?:two|2) and a half hours?\b", "150 minutes"),
        (r"\bhalf an hour\b", "30 minutes"),
        (r"\ba half hour\b", "30 minutes"),
        (r"\bhalf hour\b", "30 minutes"),
        (r"\b(?:a|one) quarter of an hour\b", "15 minutes"),
        (r"\bquarter of an hour\b", "15 minutes"),
        (r"\bthree quarters of an hour\b", "45 minutes"),
        (r"\b(?:an|one|1) hour\b", "60 minutes"),
        (r"\bhalf (?:a|one) dozen\b", "6"),
        (r"\b(?:a|one) dozen\b", "12"),
        (r"\ba couple of\b", "2"),
        (r"\ba couple\b", "2"),
        (r"\ba few\b", "3"),
        (r"\bhalf an? (?=[a-z])", "0.5 "),
    ),
    roles_old=frozenset(word_list("original old current planned from source previous existing")),
    roles_new=frozenset(word_list("replacement new substitute to target instead alternative")),
    marks_old=("instead of", "rather than", "in place of", "replace", "swap", "substitute",
               "subbing", "subbed",
               "than",  # "I'd rather have quinoa than couscous"
               "switch", "change", "exchange", "trade", "replaces", "match", "matches",
               "equal", "equals", "equivalent to", "same as",
               # what is not there to be used: "I'm out of rice, can I use barley?"
               "out of", "ran out of", "run out of", "all out of", "don't have any",
               "do not have any", "don't have", "haven't got any", "haven't got", "no more",
               "there's no", "there is no", "can't find", "couldn't find", "can't get",
               "couldn't get", "no", "without", "didn't want", "don't want", "did not want",
               "didn't feel like", "don't feel like", "wasn't in the mood for",
               # what the plan has: "I'm supposed to have the salmon but I've only got ..."
               "supposed to have", "supposed to be having", "meant to have",
               "meant to be having", "planned to have", "was going to have",
               # what is not wanted: "I'd rather not have white bread, can I switch it to ..."
               "rather not have", "rather not eat", "rather not"),
    intentions=("need to", "i need to", "want to", "i want to", "i really want to", "i wanna",
                "i'd like to", "i would like to", "going to", "gonna", "plan to", "planning to",
                "planning on", "trying to", "hoping to", "hope to", "intend to", "i want",
                "i'd like", "i would like", "i'd love to", "i would love to", "about to",
                "supposed to", "ought to", "i'll", "i will", "i should", "should", "i'd"),
    not_things=("blood sugar", "blood sugars", "blood glucose", "sugar level", "sugar levels",
                "sugar crash", "sugar high", "sugar rush", "blood pressure", "cholesterol level",
                "cholesterol levels"),
    figure_words=frozenset(word_list(
        "count counts content contents breakdown numbers figures info information value "
        "values profile total amount")),
    placing_verbs=frozenset(word_list("add adding added put putting stick pop throw include")),
    other_places=frozenset(word_list(
        "list lists basket cart trolley calendar reminders reminder notes wishlist order")),
    decided=("won't", "wont", "will not", "going to", "gonna", "i'll", "i will", "about to"),
    plan_changes=("adjust my plan", "adjust the plan", "change my plan", "change the plan",
                  "update my plan", "update the plan", "fix my plan", "fix the plan",
                  "replan", "re plan", "redo my plan", "rework my plan", "sort my plan",
                  "sort out my plan", "take it out of", "take it off", "remove it from",
                  "out of the plan", "out of my plan", "off the plan", "off my plan",
                  "from the plan", "from my plan", "move the calories", "spread the calories",
                  "adjust my meals", "adjust the rest", "plan around", "account for it",
                  "adjust for it", "adjust for that"),
    opposite_prefixes=("un",),
    particles=frozenset(word_list("down up in out away back over through")),
    noun_negations=frozenset(word_list("no without zero 0 none neither nor")),
    copular_negations=frozenset(word_list("not wasn't weren't isn't aren't ain't")),
    restating=("that's", "that is", "that makes", "which is", "which makes", "it's", "so that's"),
    setting_verbs=frozenset(word_list("set change update adjust raise lower reset")),
    read_verbs=frozenset(word_list(
        "get lookup look find search show list read check what how query fetch describe "
        "count daily summary info status view calculate compute convert estimate"
    )),
    say={
        "nothing": ("Sorry, I can't do that.", "I can't help with that.",
                    "That's beyond me."),
        "abilities": ("I can {abilities}.", "I could {abilities}."),
        "which": ("Which {label}?",),
        "which_of": ("Which {label}: {options}?",),
        "how_many": ("How many {unit}?",),
        "how_much": ("How much {label}?",),
        "what": ("What {label}?",),
        "unknown": ("I don't know {value}. Can you say it another way?",),
        "near_miss": ("I haven't changed anything. Tell me once it has happened and "
                      "I'll {ability}.",),
        "someone_else": ("I only keep your own log, so I haven't changed anything.",
                         "That's someone else's, so I've left your log as it is."),
        "either": ("Do you want me to {first}, or {second}?",),
        "cancelled": ("Okay, never mind.",),
        "offer": ("How can I help? I can {abilities}.", "Sure. I can {abilities}."),
        "empty_tools": ("Sorry, I have no tools to help with that.",),
    },
    unit_names={"min": "minutes", "ml": "millilitres", "kg": "kilograms", "kcal": "calories",
                "g": "grams", "km": "kilometres", "mile": "miles", "step": "steps",
                "glass": "glasses", "cup": "cups", "%": "percent"},
    list_join="or",
    others=frozenset(word_list(
        "he she they he's she's they're he'd she'd they'd his her their everyone everybody "
        "someone somebody nobody"
    )),
    people=frozenset(word_list(
        "friend friends wife husband partner boyfriend girlfriend fiance fiancee son daughter "
        "kid kids child children baby mom mum mother dad father parents brother sister "
        "cousin uncle aunt grandma grandpa grandmother grandfather boss coworker colleague "
        "roommate flatmate neighbor neighbour team teammate dog cat buddy mate family guy "
        "guys man woman people coach trainer"
    )),
    not_values=frozenset(word_list(
        "it its all everything anything something nothing everyone none both each every "
        "either neither lot lots bit bits rest more less least most much many enough plenty "
        "few several other others another same such thing things stuff whatever whichever "
        "time times way ways chance idea point reason mood energy luck day "
        "days week night today tonight yesterday lately while kind sort type bunch ton tons "
        "he she they him them we us you me myself yourself himself herself themselves "
        "mine yours hers ours theirs one ones "
        # when or how often a thing is had says which one, not what it is ("my usual apple")
        "usual usually normal normally morning afternoon evening midday nightly daily"
    )),
    as_no=frozenset(word_list("zero 0")),
    self_words=frozenset(word_list("i me my i'm i've i'd myself mine am")),
    anaphora=frozenset(word_list("it that this them those these one ones")),
    logging_verbs=frozenset(word_list("log record track")),
    naming_verbs=frozenset(word_list(
        "had have having ate eaten eat eating grabbed drank drinking munched scoffed "
        "devoured demolished smashed inhaled")),
    portions=frozenset(word_list("slice slices piece pieces bit bite bites bowl bowlful plate "
                              "plateful serving portion handful couple few spoonful")),
    sizes=frozenset(word_list("big small little large huge tiny medium good whole decent")),
    light_verbs=frozenset(word_list("do doe have be go get make take")),
    marks_new=("substitute", "sub", "sub in", "use", "swap in", "switch in", "switch to",
               "swap to", "change to", "go with"),
    phrase_concepts=(("put down", "log"), ("put me down for", "log"), ("write down", "log"),
                     ("note down", "log"), ("jot down", "log"), ("mark down", "log"),
                     ("wasn't planned", "unplanned"), ("was not planned", "unplanned"),
                     ("not planned", "unplanned"), ("off plan", "unplanned"),
                     ("off the plan", "unplanned"), ("off my plan", "unplanned"),
                     ("not on the plan", "unplanned"), ("not on my plan", "unplanned"),
                     ("wasn't on the plan", "unplanned"), ("wasn't on my plan", "unplanned"),
                     ("not in my plan", "unplanned"), ("not part of the plan", "unplanned"),
                     ("weren't planned", "unplanned"), ("were not planned", "unplanned"),
                     ("weren't on the plan", "unplanned"), ("weren't on my plan", "unplanned"),
                     ("wasn't part of the plan", "unplanned"), ("not in the plan", "unplanned"),
                     ("wasn't in the plan", "unplanned"), ("wasn't in my plan", "unplanned"),
                     ("weren't in the plan", "unplanned"), ("outside the plan", "unplanned"),
                     ("outside my plan", "unplanned"), ("extra", "unplanned"),
                     ("on top of the plan", "unplanned"), ("on top of my plan", "unplanned"),
                     # what the coach said is the plan ("porridge like you said")
                     ("like you said", "plan"), ("as you said", "plan"),
                     ("like you suggested", "plan"), ("as you suggested", "plan"),
                     ("you suggested", "plan"), ("you recommended", "plan"),
                     ("as per the plan", "plan"), ("as per plan", "plan"),
                     ("by the book", "plan"), ("to the letter", "plan"),
                     # where one's day stands: "where do I stand today?"
                     ("where i stand", "status"), ("where do i stand", "status"),
                     ("where i'm at", "status"), ("where am i at", "status"),
                     ("how do i stand", "status"), ("where things stand", "status")),
    ask_openers=("tell me", "can you tell me", "could you tell me", "i want to know",
                 "i'd like to know", "i would like to know", "do you know", "let me know",
                 "i was wondering", "i wonder", "i'm curious", "i am curious", "just curious",
        "out of curiosity", "show me", "read me", "give me",
                 "walk me through", "run me through", "remind me of"),
    taken_back=("but i didn't", "but i did not", "but didn't", "but then i didn't",
                "but i never did", "but i changed my mind", "but said no", "but i said no",
                "but i resisted", "but resisted", "but i passed", "but i held off",
                "but never mind", "didn't eat it after all", "didn't have it after all",
                "did not eat it after all", "in the end i didn't", "but in the end i didn't",
                # a request not to write: "don't mark my lunch yet", "no need to log it"
                "don't log", "don't mark", "don't add", "don't record", "don't put",
                "don't count", "don't write", "do not log", "do not mark", "do not add",
                "do not record", "no need to log", "no need to mark", "no need to add",
                "don't bother logging", "don't bother"),
    subjects=frozenset(word_list("i you it we they he she that this there my it's")),
    fractions=(("three quarters", 0.75), ("a quarter", 0.25), ("a half", 0.5), ("half", 0.5)),
    restatements=("call it", "let's call it", "lets call it"),
    corrections=("call it", "let's call it", "lets call it",
                 "no wait", "no sorry", "no actually", "i mean", "i meant", "or rather",
                 "or actually", "more like", "hang on", "hold on", "so",
                 "sorry i mean", "well actually", "make that", "no", "wait", "sorry", "actually",
                 "oops"),
    request_verbs=frozenset(word_list(
        "log record track note add enter set change update put save mark look check")),
    approximators=frozenset(word_list(
        "maybe perhaps probably about around roughly like almost let's say closer nearer")),
    estimate_verbs=frozenset(word_list("say rate put guess estimate call score give")),
    elaborations=frozenset(word_list("just only except apart besides which the not")),
    handling=frozenset(word_list(
        "buy bought buying purchase purchased shop shopped shopping order ordered ordering "
        "stock stocked prep prepped prepping preparing prepare prepared cook cooked cooking "
        "bake baked baking roast roasted roasting boil boiled boiling fry fried frying grill "
        "grilled grilling steam steamed steaming defrost defrosted defrosting thaw thawed "
        "microwave microwaved marinate marinated marinating pack packed packing store stored "
        "storing freeze froze frozen freezing reheat reheated reheating "
        # arranged, not eaten: "book a table at the curry house", "reserve a spot"
        "book booked booking reserve reserved reserving deliver delivered")),
    storage=("in the fridge", "in my fridge", "in the freezer", "in my freezer",
             "in the cupboard", "in the cupboards", "in my cupboard", "in the pantry",
             "in my pantry", "in the house", "in stock"),
    asks_of_others=frozenset(word_list("who who's whose")),
    same_measure=("same amount", "same size", "same portion", "same again", "same quantity",
                  "as much", "the same of"),
    venues=frozenset(word_list(
        "place places restaurant restaurants joint shop shops cafe cafes takeaway takeaways "
        "diner bistro spot house chippy van truck stand parlour parlor")),
    time_marks=frozenset(word_list("after before until till since")),
    subordinators=frozenset(word_list("while whilst because cos coz since though although")),
    colouring=frozenset(word_list(
        "cheeky sneaky naughty crafty sly guilty wicked sinful secret illicit sneaked snuck "
        "quick quickie lovely nice gorgeous delicious tasty yummy lush decent proper sad "
        "wee little massive giant enormous huge monster tiny cheeky-ish well-earned "
        "celebratory obligatory token random")),
    inserts=frozenset(word_list("actually really even ever properly exactly quite totally just")),
    modifiers=frozenset(word_list("with without")),
    hesitations=frozenset(word_list("um umm uh uhh er erm hmm mm ah")),
    wh_words=frozenset(word_list(
        "what what's whats how how's which where where's when why who")),
    today=("today", "so far", "tonight", "for the day", "this far", "yet", "for today", "left",
           "remaining", "to go"),
    with_me=("and i", "and me", "with me", "me and", "both of us", "we both", "the two of us"),
)
"""English."""
