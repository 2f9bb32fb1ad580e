"""The busy article's 500 comments, put together from sentence pieces written for the demo.

Each commenter takes a side on the Quay Street trial ("for" or "against"); a
reply agrees with its parent, argues with it or says something beside the
point, and picks its sentences to match. A fixed seed makes every load the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from broadsheet.demo.discussions import MAI, ZOE, Talk

NAMES = [
    "Ada Pennington", "Barnaby Cole", "Chioma Eze", "Declan Moss", "Elif Demir", "Fergus Lyle",
    "Gwen Parry", "Hamza Qureshi", "Isla McBride", "Jakub Nowak", "Kirsty Fairbairn",
    "Lars Eriksen", "Mbali Dlamini", "Niamh Brennan", "Owen Tallis", "Paulina Wrobel",
    "Quentin Ash", "Rhiannon Evans", "Stellan Berg", "Tamsin Hale", "Uchenna Obi",
    "Viv Rowntree", "Wen Li", "Xavier Duarte", "Yasmin Karim", "Zeb Harlow", "Quay Resident",
    "Saturday Shopper", "Mill Lane Mum", "Old Docker", "Eastmere Commuter", "Cobble Watcher",
    "Ruth from Saltby", "bikedad_77", "Café Owner (Quay St)", ZOE, MAI, "دانة", "עומר",
    "Björn Åkesson", "Siân Llywelyn", "Łukasz Żuraw",
]  # fmt: skip

SITES = [
    "https://quaywatch.example.org/",
    "https://saturdays.example.net/",
    "https://www.example.com/~owen",
    "https://cobbles.example.org/blog",
]

# Who the commenter is; said by either side.
OPENERS = [
    "Long-time reader, first comment.", "I've lived on the quay for thirty years.",
    "I run a shop two doors from the swing bridge.", "Speaking as a bus driver on route 11:",
    "I walk down Quay Street every Saturday with a pushchair.", "Here's the thing.",
    "I drive in from Saltby for the market.", "Some context from someone who was there:",
    "As a wheelchair user:", "Honestly?", "I was in the overflow room on Tuesday.",
    "Devil's advocate here.", "Delivery driver here.",
]  # fmt: skip

STANCES = {
    "for": [
        "Closing the street on Saturdays is the best decision this council has made in years.",
        "I can't see what the fuss is about: it's one day a week.",
        "My kids will finally be able to walk to the bakery without me gripping their hands.",
        "Every city that has tried this has ended up keeping it.",
        "I'll spend more time and money on the quay if I'm not breathing exhaust fumes.",
        "Twelve months is long enough to learn something and short enough to undo.",
        "It's a trial, not a ban, and people should read the report before shouting.",
        "Shops on the quay have been closing for years with the cars there.",
        "Saturday is the one day people are not in a hurry, so it's the right day to try.",
        "If this works they'll want to do Sundays too, and I'm fine with that.",
        "The street is lovely when it's quiet and miserable when it's not.",
        "I never drive there anyway; the car park is always full.",
    ],
    "against": [
        "This will empty the independent shops on the quay by Easter.",
        "The buses will simply get stuck on Mill Lane instead.",
        "A trial that starts in November looks designed to fail.",
        "Nobody asked the traders, and that should worry everyone, whatever side they're on.",
        "Where exactly are people who drive in from Saltby supposed to park?",
        "This is a solution looking for a problem.",
        "The four disabled bays by the bridge are not enough, and everyone knows it.",
        "It's the cafés who win here and the hardware shop who loses.",
        "I'd rather they fixed the potholes on Ferry Road first.",
        "Route 3 on Mill Lane is going to be chaos at school pick-up, trial or not.",
        "Counting footfall is easy; counting the customers who stayed away is not.",
        "A street full of tables and chairs looks great in July and sad in sleet.",
    ],
}

REASONS = {
    "for": [
        "Eastmere did the same with Market Row two summers ago and footfall went up by a fifth.",
        "Half the people on Quay Street on a Saturday already arrive by bus.",
        "The car park by the Customs House is never more than half full.",
        "The report on page 12 shows only a third of visitors come by car.",
        "The same arguments were made about the footbridge, and now everyone loves it.",
        "People sit outside in Copenhagen in February; blankets exist.",
        "The tram stop is four minutes' walk from the bridge.",
        "Cars were only allowed on the quay from the 1950s anyway.",
        "Shops in the Arcade did fine when it went car-free in 2016.",
        "The monthly figures will settle this one way or the other.",
        # Readers cite their sources: a link is not spam in itself (the filter learns
        # from these as well as from the history's spam, which is full of links).
        "The BBC looked at towns that tried it: https://www.bbc.co.uk/news/uk-england-64218822",
        "The national figures on town-centre footfall are here: https://www.ons.gov.uk/",
        "Worth reading before deciding: https://www.theguardian.com/cities",
    ],
    "against": [
        "Delivery vans will still block the street until ten, so mornings won't change at all.",
        "Mill Lane is barely wide enough for two buses to pass.",
        "My shop takes most of its money on Saturdays, so I'm the one carrying the risk.",
        "My mother can't walk far and the nearest bays are a long way from the baker's.",
        "Nobody has explained how the fish van is supposed to get to the market.",
        "Half my customers are over seventy and they come by car.",
        "The traffic counts were done in August, when the quay is full of tourists anyway.",
        "Without a bus lane on Mill Lane, route 11 will lose ten minutes each way.",
        "I counted seven empty units on the quay last week, and this won't fill them.",
        "The government's own guidance on blue badge parking says otherwise: "
        "https://www.gov.uk/government/publications/the-blue-badge-scheme-rights-and-responsibilities-in-england",
        "The Guardian ran a piece on what happened to shops elsewhere: "
        "https://www.theguardian.com/business/high-street",
    ],
}

CLOSERS = {
    "for": ["Give it a chance.", "Count me in.", "See you on the cobbles. 🙂", "🚶‍♀️🚲☕"],
    "against": ["Not holding my breath.", "Rant over.", "Happy to be proven wrong."],
    "either": ["Let's see the numbers in a year.", "We'll see.", "Just my two pence.", "🤷"],
}

# How a reply begins: agreeing keeps the parent's side, arguing takes the other.
REPLY_OPENERS = {
    "agree": [
        "I agree, mostly.", "Exactly this.", "This is the comment I came here to write.",
        "Ha, I said the same to my neighbour.", "Well put.", "👍 Yes.",
    ],
    "argue": [
        "That's simply not true.", "Respectfully, no.", "Not sure that follows.",
        "Counterpoint:", "I see where you're coming from, but no.", "Source? Because",
    ],
    "aside": ["You're both right, in a way.", "Slightly off topic, but", "Fair point."],
}  # fmt: skip

# Whole comments in other languages, each with who says it and on which side.
ELSEWHERE = [
    ("עומר", "for", "סוף סוף! אני הולך לשם כל שבת עם הילדים. 🎉"),
    ("נועה", "against", "אני בעד ניסוי, אבל מישהו חשב על החנויות הקטנות?"),
    ("دانة", "for", "أتمنى أن تنجح التجربة، فالشارع جميل عندما يكون هادئاً."),
    ("Yasmin Karim", "against", "محلي في شارع الرصيف، وأنا قلق قليلاً، لكن سنرى. 🤞"),
    ("Élodie Marchand", "for", "Ça va être très bien pour les cafés, et pour les enfants aussi."),
    ("Jürgen Weiß", "for", "Endlich! In unserer Partnerstadt funktioniert das seit Jahren."),
]

SIDES = ("for", "against")


@dataclass
class _Said:
    """A comment as generated: its Talk, its side, its depth and the sentences worth quoting."""

    talk: Talk
    side: str
    depth: int
    quotable: list[str]


def _compose(rng: random.Random, side: str, mood: str | None) -> tuple[str, list[str]]:
    """A comment's text for ``side``, and the sentences of it a reply could quote."""
    stance = rng.choice(STANCES[side])
    quotable = [stance]
    parts = []
    if mood is not None:
        parts.append(rng.choice(REPLY_OPENERS[mood]))
    elif rng.random() < 0.5:
        parts.append(rng.choice(OPENERS))
    parts.append(stance)
    if rng.random() < 0.7:
        reason = rng.choice(REASONS[side])
        parts.append(reason)
        quotable.append(reason)
    if rng.random() < 0.4:
        parts.append(rng.choice(CLOSERS[rng.choice((side, "either"))]))
    if parts[0].endswith(("but", "Because")) and not parts[1].startswith(("I ", "I'")):
        parts[1] = parts[1][0].lower() + parts[1][1:]
    # Now and then the last sentence becomes a paragraph of its own.
    if len(parts) > 2 and rng.random() < 0.25:
        return " ".join(parts[:-1]) + "\n\n" + parts[-1], quotable
    return " ".join(parts), quotable


def crowd(total: int, *, seed: int = 1917) -> list[Talk]:
    """``total`` distinct comments as threads: top-level comments and replies up to 7 deep."""
    rng = random.Random(seed)
    roots: list[Talk] = []
    said: list[_Said] = []
    seen: set[str] = set()
    while len(said) < total:
        parent = None
        if said and rng.random() < 0.62:
            options = [s for s in said[-25:] if s.depth < 7]
            parent = rng.choice(options) if options else None
        mood = None
        if parent is None:
            side = rng.choice(SIDES)
        else:
            mood = rng.choices(("agree", "argue", "aside"), weights=(3, 5, 2))[0]
            other = SIDES[1 - SIDES.index(parent.side)]
            side = {"agree": parent.side, "argue": other}.get(mood, rng.choice(SIDES))
        if rng.random() < 0.04:
            name, side, body = rng.choice(ELSEWHERE)
            quotable = [body]
        else:
            name = rng.choice(NAMES)
            body, quotable = _compose(rng, side, mood)
        if body in seen or (parent is not None and name == parent.talk.name):
            continue
        seen.add(body)
        talk = Talk(name=name, body=body, url=rng.choice(SITES) if rng.random() < 0.12 else "")
        if parent is None:
            roots.append(talk)
            said.append(_Said(talk, side, 0, quotable))
            continue
        if rng.random() < 0.15:
            # Quote one sentence of the parent, the way the Quote link does.
            talk.quote = rng.choice(parent.quotable)
        parent.talk.replies.append(talk)
        said.append(_Said(talk, side, parent.depth + 1, quotable))
    return roots
