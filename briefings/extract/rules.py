"""Extraction rules as data: cue verbs, number words, qualifiers, kinds and noun classes.

Every table here is a plain mapping or set so a new rule is a new row, not a new branch.
Words are lower-case lemmas unless a table says otherwise.
"""

from __future__ import annotations

from briefings.topics import TITLE_WORDS  # noqa: F401  (re-exported for extract/)

# fmt: off

# Verbs that introduce a direct quote ("said", "told Nordpress", "tweeted", "wrote on his blog").
SPEECH_VERBS = frozenset(
    {
        "say", "tell", "tweet", "write", "post", "add", "state", "announce", "declare", "insist",
        "claim", "warn", "explain", "note", "report", "confirm", "deny", "acknowledge", "admit",
        "answer", "reply", "respond", "ask", "urge", "call", "describe", "promise", "vow",
        "pledge", "stress", "emphasise", "emphasize", "argue", "recall", "continue", "conclude",
        "comment", "remark", "predict", "assert", "allege", "testify", "shout", "cry", "scream",
        "whisper", "address", "plead", "appeal", "charge", "accuse", "boast", "joke", "quip",
        "lament", "complain", "demand", "speak", "caution", "observe", "recount", "exclaim",
        "retort", "concede", "mutter", "sob", "beg", "message", "advise", "instruct",
    }
)

# Verbs whose subject claims the figures in their complement (a superset of SPEECH_VERBS).
CLAIM_VERBS = SPEECH_VERBS | frozenset(
    {
        "estimate", "believe", "put", "publish", "cite", "count", "record", "register", "release",
        "see", "witness", "find", "document", "verify", "tally", "calculate", "show", "list",
        "quote", "update", "revise", "raise", "lower", "issue", "think", "suggest", "indicate",
        "reckon", "assess", "project", "expect", "give",
    }
)

# Channels that complete a cue: "said in an interview", "wrote on his blog", "told Valdorian radio".
CUE_CHANNELS = frozenset(
    {
        "twitter", "telegram", "facebook", "instagram", "x", "tiktok", "youtube", "television",
        "tv", "radio", "website", "statement", "post", "video", "address", "interview",
        "briefing", "update", "message", "conference", "speech", "broadcast", "blog", "channel",
    }
)

# Who a source speaks to, as part of its cue: "told reporters", "told the Courier".
ADDRESSEES = frozenset(
    {"reporter", "journalist", "media", "television", "press", "broadcaster", "radio",
     "newspaper", "agency", "parliament", "lawmaker", "crowd", "audience", "meeting"}
)

# Nouns and verbs before a quotation mark that make the quoted words a title or a label.
TITLE_CUES = frozenset(
    {
        "series", "show", "programme", "program", "essay", "book", "film", "movie", "title",
        "titled", "entitled", "headline", "headlined", "operation", "song", "album", "novel",
        "documentary", "campaign", "slogan", "motto", "hashtag", "banner", "sign", "signs",
        "dubbed", "nicknamed", "codenamed", "named", "branded", "labelled", "labeled", "so",
        "article", "column", "report", "newspaper", "magazine", "play", "poem", "podcast", "word",
        "words", "term", "phrase", "called",
    }
)

QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("in excess of", "more than"),
    ("as many as", "up to"),
    ("upwards of", "more than"),
    ("an estimated", "about"),
    ("at least", "at least"),
    ("more than", "more than"),
    ("fewer than", "less than"),
    ("less than", "less than"),
    ("close to", "nearly"),
    ("at most", "up to"),
    ("up to", "up to"),
    ("approximately", "about"),
    ("approaching", "approaching"),
    ("estimated", "about"),
    ("roughly", "about"),
    ("nearly", "nearly"),
    ("almost", "almost"),
    ("around", "around"),
    ("about", "about"),
    ("over", "over"),
    ("some", "some"),
    ("under", "less than"),
    ("just", "exact"),
    ("another", "exact"),
    ("a further", "exact"),
    ("further", "exact"),
)

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "a": 1, "an": 1,
}

SCALES = {
    "dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
    "billion": 1_000_000_000, "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000,
    "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000,
    "tn": 1_000_000_000_000,
}

# Plural amounts that name no number: the figure keeps its words and gets no value.
VAGUE_WORDS = frozenset(
    {"dozens", "scores", "hundreds", "thousands", "millions", "tens", "billions"}
)

CURRENCIES = {
    "$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "dollars": "USD", "euros": "EUR",
    "pounds": "GBP", "sterling": "GBP", "hryvnias": "UAH", "roubles": "RUB", "rubles": "RUB",
}
# Lemmas of currency nouns ("40 million euros").
CURRENCY_NOUNS = frozenset({"dollar", "euro", "pound", "sterling", "hryvnia", "rouble", "ruble"})

# Words that make a count a running toll rather than one incident.
RUNNING_WORDS = frozenset({"since", "overall", "cumulative", "altogether", "total"})
RUNNING_PHRASES = ("so far", "in total", "to date", "in all", "over the course of the war")
# Words that tie a count to one incident or one day.
INCIDENT_WORDS = frozenset({"overnight", "yesterday", "today", "tonight", "single"})
# Words that mark a restated past count ("an earlier toll of 173", "had previously said 150").
EARLIER_WORDS = frozenset({"earlier", "previously", "previous", "initial", "initially", "prior"})

# Prepositions that take a subset of a counted group: "14 people, including three children".
SUBSET_PREPS = frozenset({"including", "among"})
# Verbs that list the members of a counted group: "the dead included 63 fighters".
GROUP_VERBS = frozenset({"include", "comprise", "number", "be"})

# Words before an amount that add to an earlier one; not part of what is counted.
ADDING_WORDS = frozenset({"further", "additional", "extra", "another", "new", "more", "fresh"})

# Nouns for attacks and forces: a place that owns one is the attacker ("Kestria's strikes").
ATTACK_NOUNS = frozenset(
    {
        "strike", "airstrike", "attack", "offensive", "assault", "bombardment", "bombing",
        "shelling", "raid", "invasion", "incursion", "missile", "drone", "rocket", "shell",
        "operation", "campaign", "war", "troop", "force", "soldier", "army", "military",
        "jet", "warplane", "aircraft", "artillery", "fire", "blockade", "siege", "barrage",
    }
)

# A country that names a border is a landmark, not where something happened.
BOUNDARY_NOUNS = frozenset({"border", "frontier", "boundary", "crossing"})

# Places after these are where people went, not where they were ("fled to Lunmark").
DESTINATION_PREPS = frozenset({"to", "into", "towards", "toward", "for"})
MOVEMENT_KINDS = frozenset({"fled", "displaced", "evacuated", "deported", "vehicles"})

LOCATIVE_PREPS = frozenset({"in", "on", "near", "around", "outside", "at", "towards", "across"})

# Features named after a place ("the Ostrovel river"): the figure is about the feature.
FEATURE_NOUNS = frozenset({"river", "sea", "lake", "bay", "strait", "canal", "reservoir"})

# A number followed by one of these is a time, duration, share or rank, never a key figure.
EXCLUDED_UNITS = frozenset(
    {
        "percent", "per", "%", "pc", "percentage", "day", "week", "month", "year", "hour",
        "minute", "second", "decade", "century", "time", "storey", "story", "floor", "o'clock",
        "am", "pm", "a.m.", "p.m.", "gmt", "utc", "degree", "vote", "seat", "point", "th", "st",
        "nd", "rd", "mm", "calibre", "caliber", "night", "morning", "evening", "afternoon",
        "weekend", "version", "edition", "anniversary", "tonne-km", "square", "sq", "hectare",
        "acre",
    }
)

DISTANCE_UNITS = {
    "kilometre": "km", "kilometer": "km", "km": "km", "mile": "miles", "metre": "m", "meter": "m",
    "kms": "km",
}

# Words that make a number a count of an event; the value is the kind.
KIND_TRIGGERS = {
    "kill": "killed", "die": "killed", "dead": "killed", "death": "killed", "victim": "killed",
    "body": "killed", "bury": "killed", "slay": "killed", "massacre": "killed",
    "execute": "killed", "perish": "killed", "fatality": "killed", "toll": "killed",
    "casualty": "casualties", "wound": "wounded", "wounded": "wounded", "injure": "wounded",
    "injured": "wounded", "injury": "wounded", "hurt": "wounded", "flee": "fled", "leave": "fled",
    "escape": "fled", "refugee": "fled", "cross": "fled", "exodus": "fled",
    "displace": "displaced", "displaced": "displaced", "evacuate": "evacuated",
    "evacuation": "evacuated", "evacuee": "evacuated", "rescue": "evacuated", "trap": "trapped",
    "strand": "trapped", "stranded": "trapped", "besiege": "trapped", "encircle": "trapped",
    "shelter": "sheltering", "hide": "sheltering", "suffer": "affected", "remain": "remaining",
    "stay": "remaining", "wait": "waiting", "capture": "captured", "detain": "detained",
    "abduct": "detained", "deport": "deported", "missing": "missing", "reach": "arrived",
    "arrive": "arrived", "destroy": "killed", "eliminate": "killed", "neutralise": "killed",
    "neutralize": "killed", "lose": "killed", "loss": "killed", "provide": "aid",
    "deliver": "aid", "send": "aid", "supply": "aid", "include": "aid", "pledge": "aid",
    "donate": "aid", "ship": "aid", "transfer": "aid", "give": "aid", "uproot": "displaced",
    "surrender": "captured", "burn": "wounded", "commit": "aid", "lend": "aid",
    "allocate": "aid", "disburse": "aid", "fund": "aid",
    "relocate": "evacuated", "move": "evacuated", "prisoner": "detained",
    "captive": "detained", "hostage": "detained", "hold": "detained", "arrest": "detained",
    "imprison": "detained", "swap": "released", "exchange": "released", "free": "released",
    "release": "released", "return": "released", "repatriate": "released", "enter": "arrived",
}

# Triggers whose counted people are their object ("killed 9 civilians", "9 were killed"); a
# count in their active subject is the actors ("three men who lost relatives", "4 gunmen
# killed 6").
OBJECT_TRIGGERS = frozenset(
    {
        "kill", "wound", "injure", "lose", "evacuate", "capture", "detain", "destroy",
        "eliminate", "neutralise", "neutralize", "displace", "rescue", "deport", "abduct",
        "execute", "slay", "massacre", "hurt", "free", "release", "swap", "exchange", "hold",
        "arrest", "imprison", "bury", "relocate", "uproot", "strand", "trap",
    }
)

# Triggers that only count people when the counted noun says so ("destroyed 240 tanks" is not).
PERSON_ONLY_TRIGGERS = frozenset(
    {
        "destroy", "eliminate", "neutralise", "neutralize", "reach", "arrive", "cross", "lose",
        "loss", "remain", "stay", "hide", "leave", "wait", "capture", "suffer", "move",
        "relocate", "hold", "return", "exchange", "release", "free", "enter", "swap",
    }
)

# "The death toll rose to 21": the number is the new value of a toll named earlier.
TOLL_VERBS = frozenset(
    {"rise", "climb", "reach", "increase", "jump", "stand", "hit", "grow", "mount", "put",
     "bring", "raise", "take", "push", "lift", "revise", "fall", "drop"}
)
# Institutions named after their place without a possessive ("Verkhnia city council").
LOCAL_INSTITUTIONS = frozenset(
    {"council", "administration", "authority", "government", "office", "police", "hall"}
)
# Authorities that report on their own ground: their place places what they count.
LOCAL_AUTHORITIES = frozenset(
    {"council", "administration", "mayor", "governor", "hall", "municipality", "police",
     "authority", "authorities", "prefect", "governorate"}
)
TOLL_NOUNS = frozenset({"toll", "death", "casualty", "fatality", "victim", "dead"})
# Nouns for one side's losses ("the Kestrian toll", "Valdorian losses").
LOSS_NOUNS = frozenset({"toll", "loss", "casualty", "death", "dead", "fatality"})

# How a kind reads after the counted noun in `what` ("civilians killed").
KIND_WORDS = {
    "killed": "killed", "wounded": "wounded", "fled": "fled", "displaced": "displaced",
    "evacuated": "evacuated", "trapped": "trapped", "sheltering": "sheltering",
    "affected": "affected", "remaining": "remaining", "waiting": "waiting to leave",
    "captured": "captured", "detained": "detained", "deported": "deported", "missing": "missing",
    "arrived": "arrived", "casualties": "casualties", "released": "released",
}

TROOP_NOUNS = frozenset(
    {
        "soldier", "troop", "serviceman", "servicemen", "servicewoman", "fighter", "mercenary",
        "personnel", "marine", "paratrooper", "conscript", "reservist", "militant", "nationalist",
        "combatant", "officer", "commander", "sailor", "pilot", "trooper", "infantryman",
        "guardsman", "sniper", "crewman", "rebel", "insurgent", "jihadist", "extremist",
        "terrorist", "gunman", "militiaman", "militiamen", "paramilitary", "loyalist",
        "peacekeeper", "policeman", "policemen", "recruit", "operative",
    }
)

PERSON_NOUNS = TROOP_NOUNS | frozenset(
    {
        "people", "person", "civilian", "resident", "child", "kid", "woman", "man", "men", "baby",
        "infant", "girl", "boy", "student", "citizen", "refugee", "evacuee", "patient", "worker",
        "journalist", "inhabitant", "family", "adult", "teenager", "volunteer", "doctor", "nurse",
        "national", "ukrainian", "russian", "victim", "dead", "body", "corpse", "wounded",
        "injured", "passenger", "prisoner", "hostage", "pensioner", "villager", "local", "member",
        "employee", "staff", "miner", "farmer", "foreigner", "migrant", "asylum", "individual",
        "minor", "orphan", "elderly", "survivor", "casualty", "detainee", "deportee", "displaced",
        "other", "teacher", "engineer", "driver", "mother", "father", "grandmother",
        "grandfather", "palestinian", "sudanese", "israeli", "rescuer", "medic", "paramedic",
        "source", "witness", "analyst", "expert", "activist", "relative", "neighbour",
        "neighbor", "researcher", "operator", "shopkeeper", "trader", "fisherman",
        "elder", "priest", "imam", "pastor", "monk", "nun", "cleric", "surgeon", "pharmacist",
        "midwife", "labourer", "vendor", "mechanic", "guard", "lawyer", "judge", "son",
        "daughter", "brother", "sister", "husband", "wife", "uncle", "aunt", "cousin", "nephew",
        "niece", "mourner", "worshipper", "protester", "demonstrator", "crew", "captive",
        "pilgrim", "returnee", "arrival", "household",
    }
)

VEHICLE_NOUNS = frozenset({"car", "vehicle", "bus", "train", "convoy", "truck", "minibus"})

AID_ITEM_NOUNS = frozenset(
    {
        "system", "weapon", "round", "missile", "launcher", "drone", "rifle", "arm", "gun",
        "tank", "howitzer", "helmet", "vest", "tonne", "ton", "meal", "kit", "generator",
        "ration", "dose", "munition", "shell", "grenade", "javelin", "stinger", "vehicle",
        "ammunition", "mine", "radar", "aircraft", "helicopter", "jet", "boat", "piece",
        "battery", "interceptor", "warplane",
    }
)

AID_NOUNS = frozenset(
    {
        "aid", "assistance", "package", "support", "commitment", "funding", "fund", "loan",
        "grant", "pledge", "donation", "contribution", "help", "relief", "security",
    }
)

# Military losses claimed against the other side: "destroyed 240 tanks".
EQUIPMENT_NOUNS = frozenset(
    {
        "tank", "aircraft", "helicopter", "drone", "jet", "plane", "warship", "ship", "armoured",
        "vehicle", "artillery", "howitzer",
    }
)

# Heads of institutions that may stand alone as a claimant ("the city council said").
INSTITUTION_NOUNS = frozenset(
    {
        "council", "ministry", "office", "embassy", "agency", "government", "administration",
        "army", "police", "military", "service", "services", "parliament", "court", "committee",
        "commission", "department", "authority", "authorities", "staff", "command",
        "headquarters", "prosecutor", "kremlin", "presidency", "cabinet", "mission", "bureau",
        "directorate", "inspectorate", "organization", "organisation", "delegation", "guard",
        "forces", "force", "company", "hospital", "watchdog", "body", "regime",
        "state", "spokesperson", "observatory", "group", "monitor", "network",
        "alliance", "coalition", "movement", "militia", "union", "broadcaster", "media",
        "outlet", "charity", "programme", "program", "fund", "institute", "centre", "center",
        "television", "radio", "newspaper", "station", "channel", "tv", "daily", "website",
    }
)

# Institution heads too general to name one ("the agency", "the group"): a description only,
# to be resolved to the institution named before.
GENERIC_INSTITUTIONS = frozenset(
    {"agency", "organisation", "organization", "group", "body", "mission", "movement", "force",
     "alliance", "coalition", "network", "monitor", "watchdog", "charity", "outlet", "broadcaster"}
)

# Heads that name a person's office; "the regional governor" must resolve to a named person.
ROLE_NOUNS = frozenset(
    {
        "president", "governor", "mayor", "minister", "spokesman", "spokeswoman", "spokesperson",
        "adviser", "advisor", "chief", "head", "official", "commander", "general", "secretary",
        "ambassador", "envoy", "negotiator", "prosecutor", "premier", "chancellor", "leader",
        "director", "chairman", "chairwoman", "chair", "speaker", "lawmaker", "senator", "deputy",
        "commissioner", "coordinator", "representative", "aide", "colonel", "lieutenant", "major",
        "captain", "admiral", "marshal", "king", "queen", "pope", "patriarch", "ombudsman",
        "ombudswoman", "prime", "foreign", "defence", "defense", "interior", "mp",
        "administrator", "rapporteur", "investigator", "inspector", "mediator", "delegate",
    }
)

# A description by one role may name someone introduced by another ("the Valdorian leader" is
# the one named "President …"); each head lists the roles it may stand for.
_HEADS_OF_STATE = frozenset(
    {"president", "leader", "premier", "chancellor", "king", "queen", "prime", "emir", "monarch",
     "sultan"}
)
ROLE_SYNONYMS = {
    "leader": _HEADS_OF_STATE | {"head", "chief", "commander"},
    "president": frozenset({"president"}),
    "premier": frozenset({"premier", "prime"}),
    "chief": frozenset({"chief", "head", "director", "commander"}),
    "head": frozenset({"head", "chief", "director"}),
}

# Descriptions of a person that behave like a pronoun ("the former actor", "the veteran").
EPITHET_NOUNS = frozenset(
    {
        "comedian", "actor", "politician", "diplomat", "veteran", "lawyer", "businessman",
        "businesswoman", "billionaire", "oligarch", "tycoon", "former", "leader",
    }
)

# Title words stripped from a person's name: `briefings.topics.TITLE_WORDS` (topics strip them
# from what users type too).

GENDER_WORDS = {
    "man": "m", "men": "m", "boy": "m", "father": "m", "son": "m", "husband": "m", "brother": "m",
    "grandfather": "m", "mr": "m", "he": "m", "him": "m", "his": "m", "himself": "m", "king": "m",
    "prince": "m", "spokesman": "m", "businessman": "m", "chairman": "m", "woman": "f",
    "women": "f", "girl": "f", "mother": "f", "daughter": "f", "wife": "f", "sister": "f",
    "grandmother": "f", "mrs": "f", "ms": "f", "miss": "f", "she": "f", "her": "f", "hers": "f",
    "herself": "f", "queen": "f", "princess": "f", "spokeswoman": "f", "businesswoman": "f",
    "chairwoman": "f", "widow": "f", "lady": "f",
}

# Nouns for places that name their place in an "of" phrase ("the port city of Verkhnia").
PLACE_NOUNS = frozenset(
    {
        "city", "town", "port", "village", "country", "region", "capital", "province", "state",
        "district", "oblast", "republic", "nation", "municipality", "settlement", "suburb",
        "camp", "neighbourhood", "neighborhood", "township", "governorate", "county", "enclave",
        "territory", "strip", "zone", "area", "island", "peninsula", "valley", "coast",
    }
)

PERSON_PRONOUNS = {"he": "m", "she": "f"}
THING_PRONOUNS = frozenset({"it"})
PLURAL_PRONOUNS = frozenset({"they"})

ENT_PERSON = "PERSON"
ENT_AGENTS = frozenset({"ORG", "GPE", "NORP"})
ENT_PLACES = frozenset({"GPE", "LOC", "FAC"})
ENT_NOT_FIGURES = frozenset({"DATE", "TIME", "PERCENT", "ORDINAL"})
