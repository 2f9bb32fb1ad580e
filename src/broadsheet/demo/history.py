"""What the demo's moderators turned away before today: spam and rejected comments.

A real comment section has a history of decisions, and the learned filter is
trained on it; without one the demo's filter would know nothing, and its score
would decide nothing. These comments are posted to the demo's older articles,
marked spam or rejected by the editor some days ago (so they are in the audit
log and the Spam tab, never on a page), and the filter then learns from every
decided comment of the site, as a site moving in with its history does.

Written for the demo; every address is on a reserved example domain.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Turned:
    name: str
    body: str
    verdict: str  # "spam" or "reject", the moderator's action
    email: str = ""
    url: str = ""


SPAM = [
    Turned(
        "Promo Deals",
        "Cheap designer watches, 80% off today only: https://watches.example.com",
        "spam",
    ),
    Turned(
        "Jenny",
        "Hey guys check out my new channel, I post every day! Subscribe and I sub back",
        "spam",
    ),
    Turned(
        "Work From Home",
        "I earn $350 a day working from home. Visit https://cash.example.net to start",
        "spam",
    ),
    Turned(
        "crypto_kid",
        "Bitcoin doubled my savings in a week. Message me on WhatsApp +44 7700 900456",
        "spam",
    ),
    Turned(
        "Lucy B", "Please visit my blog for more news like this: https://lucy.example.org", "spam"
    ),
    Turned(
        "SEO Pro",
        "Need more visitors? We rank your site first on every search engine. https://rank.example.com",
        "spam",
    ),
    Turned(
        "Free Gifts",
        "Get free gift cards here, no survey, 100% working: https://gifts.example.net/free",
        "spam",
    ),
    Turned(
        "Music Man",
        "Check out my latest track on my page, like and share if you enjoy it!!",
        "spam",
    ),
    Turned(
        "Dr. Amos",
        "I was cured by a herbal doctor, contact him on dramos@example.com for your problem",
        "spam",
    ),
    Turned(
        "Loans Fast",
        "Instant loans with no credit check, approval in 5 minutes. Call now +1 555 010 7788",
        "spam",
    ),
    Turned(
        "casino_vip",
        "Best online casino bonus 500% first deposit https://spin.example.com/bonus",
        "spam",
    ),
    Turned(
        "Kim", "Hi everyone!! Follow me on my page, I follow back everyone who follows me", "spam"
    ),
    Turned(
        "Travel Deals",
        "Cheap flights and hotels, best prices guaranteed www.trips.example.com",
        "spam",
    ),
    Turned(
        "Anna",
        "Hello, I am looking for serious man for friendship. Write to me anna@example.net",
        "spam",
    ),
    Turned("Gamer HD", "Sub to my gaming channel pls, almost at 1000 subs!! Thank you all", "spam"),
    Turned(
        "Weight Loss",
        "Lost 15 kg in a month with this one trick, doctors hate it https://slim.example.org",
        "spam",
    ),
    Turned(
        "Replica Bags",
        "Buy replica bags cheap, free shipping worldwide https://bags.example.com/sale",
        "spam",
    ),
    Turned("Nice post", "Very informative. https://essays.example.net/buy-essay-online", "spam"),
    Turned(
        "Investor",
        "Join my investment group and earn 30% every week, message me for details",
        "spam",
    ),
    Turned(
        "Followers",
        "Buy real followers and likes for your account, instant delivery https://likes.example.com",
        "spam",
    ),
    Turned(
        "Shop Online",
        "Discount codes for every store, save money today!!! https://codes.example.org",
        "spam",
    ),
    Turned(
        "Lottery Office",
        "Congratulations, your email won our prize draw. Send your details to claim it",
        "spam",
    ),
    Turned("Pills", "Cheap pills online without prescription https://pharmacy.example.net", "spam"),
    Turned(
        "Best VPN",
        "Watch anything anywhere with our VPN, click here for 3 months free https://vpn.example.com",
        "spam",
    ),
    Turned(
        "Rapper J", "yo everybody listen to my new mixtape and share it, link in my profile", "spam"
    ),
    Turned(
        "Jobs Today",
        "We are hiring!! Work 2 hours a day and get paid weekly, no experience needed",
        "spam",
    ),
    Turned(
        "Essay Help",
        "Struggling with homework? We write your essays cheap and fast https://essays.example.com",
        "spam",
    ),
    Turned(
        "Forex Signals",
        "Forex signals with 95% win rate, join our group today and start making money",
        "spam",
    ),
    Turned(
        "Dating",
        "Hot singles in your area are waiting, click here https://date.example.net",
        "spam",
    ),
    Turned("Tom", "First! Like this comment if you agree, and check out my channel", "spam"),
]

REJECTED = [
    Turned(
        "Angry Reader",
        "Only an idiot would write this. You are all morons at this paper.",
        "reject",
    ),
    Turned("anon", "Shut up, nobody cares what you think. Go back where you came from.", "reject"),
    Turned(
        "Truth Seeker",
        "The moon landing was faked and this paper is part of the cover-up. Wake up!",
        "reject",
    ),
    Turned(
        "Keyboard",
        "Whoever wrote this should be fired, what a pathetic excuse for a journalist.",
        "reject",
    ),
    Turned("XX", "asdfghjkl qwerty lol lol lol", "reject"),
    Turned(
        "Offtopic Bob",
        "Does anyone know a good plumber? My sink has been leaking for a week.",
        "reject",
    ),
    Turned(
        "Rude",
        "You people are a disgrace and the councillors are crooks, every single one of them.",
        "reject",
    ),
    Turned("Capslock", "THIS IS ALL LIES!!!! DO NOT BELIEVE A WORD OF IT!!!!", "reject"),
]

TURNED_AWAY = SPAM + REJECTED
