"""The demo's readers and what they say, written for the demo: trees of ``Talk``.

The busy article's 500 comments are put together in ``broadsheet.demo.crowd``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Spelled with combining marks on purpose (e + U+0308, and so on): the demo shows
# that such text survives the trip to the page untouched.
ZOE = "Zoe\u0308 Castellano"
MAI = "Mai Nguye\u0302\u0303n"
AMELIE = "Ame\u0301lie Durand"


@dataclass
class Talk:
    """A comment to post, and the replies to post under it."""

    name: str
    body: str
    url: str = ""
    email: str = ""
    # Quote the comment replied to: True for all of it, or a passage of it.
    quote: bool | str = False
    # Posted while the site holds every comment: it waits in the moderation queue.
    held: bool = False
    # Fills in the field hidden from people: the spam check files it, with its reason.
    spam: bool = False
    # Posted by the signed-in demo editor (staff comments skip the hold and spam checks).
    staff: bool = False
    # What the author changed the text to, within the edit window (shown as edited).
    edited: str = ""
    # One of its story's editors' picks, which lead the discussion.
    featured: bool = False
    replies: list[Talk] = field(default_factory=list)


NELL = "Nell Okafor (editor)"

DISCUSSIONS: dict[str, list[Talk]] = {
    "budget-library-hours-saved-parking-charges-rise": [
        Talk(
            "Ken Marlow",
            "40p an hour is a lot if you work in town and have no choice but to drive. The "
            "libraries matter, but so do the people who staff the shops.",
            replies=[
                Talk(
                    "Lisa Thornbury",
                    "Agreed, which is why the park-and-ride price should have been frozen. It "
                    "wasn't even mentioned.",
                    url="https://readinglist.example.org/",
                    quote="The libraries matter, but so do the people who staff the shops.",
                    replies=[
                        Talk(
                            "Ken Marlow",
                            "It was, on page 41 of the report. Frozen until April, then "
                            "*reviewed*. Which we all know means going up.",
                            replies=[
                                Talk(
                                    "Dilys Pryce",
                                    "Page 41! You read the whole report? Respect. 🙇",
                                    replies=[
                                        Talk(
                                            "Ken Marlow",
                                            "I was on the night shift. It was that or the "
                                            "crossword.",
                                            replies=[
                                                Talk(
                                                    "Lisa Thornbury",
                                                    "The best comment section on the "
                                                    "internet is still the one under a "
                                                    "council budget story.",
                                                    url="https://readinglist.example.org/",
                                                )
                                            ],
                                        )
                                    ],
                                )
                            ],
                        )
                    ],
                )
            ],
        ),
        Talk(
            "Ahmed Rahimi",
            "Using £0.8m of reserves for day-to-day spending is how councils end up in "
            "trouble. Nobody will remember the library hours when the reserves are gone.",
            featured=True,
            replies=[
                Talk(
                    "Marguerite Oyelaran",
                    "The reserves are there for bad years. If this is not a bad year I don't "
                    "know what is.",
                    quote=True,
                    replies=[
                        Talk(
                            "Ahmed Rahimi",
                            "It's the third bad year in a row. At some point it isn't weather, "
                            "it's climate.",
                        )
                    ],
                )
            ],
        ),
        Talk(
            "Oskar Nyberg",
            "Cheaper energy contracts saving half a million is the line I'd like to know more "
            "about. Who negotiated that, and can they do my gas bill?",
            url="https://oskar.example.net/",
        ),
    ],
    "tram-line-2-route-cost-questions": [
        Talk(
            "يوسف الحداد",
            "أسكن في ميلبروك وأنتظر هذا الخط منذ سنوات. أرجو ألا يتأخر المشروع كما تأخر الخط "
            "الأول.",
            replies=[
                Talk(
                    "Hannah Whitlock",
                    "For those who don't read Arabic: Yusuf lives in Millbrook, has been "
                    "waiting for this line for years, and hopes it won't be late like Line 1 "
                    "was. Same, Yusuf, same.",
                    featured=True,
                    replies=[Talk("يوسف الحداد", "Thank you Hannah! شكراً 🙏")],
                )
            ],
        ),
        Talk(
            "Gary Munro",
            "7 per cent on Fennick Hill is going to be fun in January. Line 1 trams already "
            "struggle on the 5 per cent bit by the cathedral when it's icy.",
            url="https://hillclimb.example.org/",
            replies=[
                Talk(
                    "Petra Kovač",
                    "They struggled once, in 2021, when the sand hoppers hadn't been filled. "
                    "Modern trams manage 8 or 9 per cent without trouble.",
                    quote="Line 1 trams already struggle on the 5 per cent bit by the "
                    "cathedral when it's icy.",
                    replies=[
                        Talk(
                            "Gary Munro",
                            "Fair. I'll believe it when I see one go up in the snow.",
                            url="https://hillclimb.example.org/",
                            replies=[
                                Talk(
                                    "Petra Kovač",
                                    "Deal. First snow day after it opens, I'll buy the coffee "
                                    "at the top. ☕",
                                    replies=[
                                        Talk("Hannah Whitlock", "I'm holding you both to this.")
                                    ],
                                )
                            ],
                        )
                    ],
                )
            ],
        ),
        Talk(
            "Miles Okonjo",
            "What happens to the number 4 is the real question. If Line 2 replaces it, people "
            "on Orchard Road lose their bus and get a tram stop 800 metres away.",
            replies=[
                Talk(
                    NELL,
                    "We have asked Alder Valley Transit exactly this, and will update the "
                    "article when they answer.",
                    staff=True,
                )
            ],
        ),
    ],
    "fennick-hill-cycle-lane-made-permanent": [
        Talk(
            "Rosa Delgado",
            "I cycle up this hill every day with a child seat on the back. The wands made me "
            "*feel* safe; a kerb will make me **be** safe.",
            replies=[
                Talk(
                    "Derek Hargreaves",
                    "And Orchard Road gets the traffic instead. Nobody asked us.",
                    replies=[
                        Talk(
                            "Rosa Delgado",
                            "That's fair, and the study is the right call. I hope they look at "
                            "a filter at the top of Orchard Road too.",
                            quote=True,
                        )
                    ],
                )
            ],
        ),
        Talk(
            "Tobias Brandt",
            "214 wands knocked over. That's one every three days. Says everything about the "
            "driving on that hill.",
        ),
    ],
    "seagrass-returns-to-the-alder-estuary": [
        Talk(
            ZOE,
            "Planted about two hundred of those seeds with my kids in 2019. They still talk "
            "about the mud. 🌱🐟 So happy to see this.",
            replies=[
                Talk(
                    MAI,
                    "Thank you for doing it! For anyone wondering, the seeds go into the mud "
                    "in little hessian bags of sand, which is why it's so muddy. 👩🏽‍🔬",
                    url="https://seagrass-lab.example.org/",
                )
            ],
        ),
        Talk(
            "Ivo Marek",
            "Is there a map of where the meadows are? I'd like to keep clear of them when I "
            "take the boat out.",
            url="https://sailing-ivo.example.com/",
            replies=[
                Talk(
                    ZOE,
                    "The data link in the article has a map layer, and the no-anchoring zone "
                    "is marked with yellow buoys. ⚓",
                )
            ],
        ),
        Talk(
            "Bart Visser",
            "Interesting, but I'd want to see the same survey done by someone independent "
            "before getting too excited.",
            email="bart.visser@mail.example",
            held=True,
        ),
    ],
    "central-library-turns-one-hundred": [
        Talk(
            "נועה בן־דוד",
            "הספרייה הזאת הצילה אותי בשנה הראשונה שלי בעיר. תודה לכל הספרנים! 📚",
            replies=[
                Talk(
                    "Leah Morgenstern",
                    "For everyone else: “This library saved me in my first year in the city. "
                    "Thanks to all the librarians!” And מַזָּל טוֹב לַסִּפְרִיָּה from me too.",
                    quote=True,
                )
            ],
        ),
        Talk(
            "سلمى العلي",
            "تعلّمت الإنجليزية في قاعة المطالعة في الطابق الثاني. مئة عام أخرى! 🎉",
            replies=[
                Talk(
                    "Samir Al-Khouri",
                    "Salma learned English in the second-floor reading room. So did my father, "
                    "in 1974. شُكْرًا لِلْمَكْتَبَةِ",
                )
            ],
        ),
        Talk(
            "Ananya Rao",
            "पुस्तकालय को सौ साल की बधाई! The Saturday Hindi story hour is the only reason my "
            "son reads at all.",
        ),
        Talk(
            "Harold Bexley",
            "Abolishing fines was the best thing they ever did. I returned a book from 1998. "
            "Nobody said a word; the librarian just smiled.",
        ),
    ],
    "editorial-a-street-is-not-a-car-park": [
        Talk(
            "Carol Ashdown",
            "> It is one day a week. It is one street.\n\n"
            "And next year it will be two days, and two streets. That's how these things go.",
            replies=[
                Talk(
                    "Lukas Brenner",
                    "Would that be so bad, if the numbers are good?",
                    replies=[
                        Talk(
                            "Carol Ashdown",
                            "If the numbers are good, no. My worry is who decides what "
                            "*good* means.",
                            replies=[
                                Talk(
                                    NELL,
                                    "It's a fair worry. The council has named footfall and "
                                    "takings; we will publish both every month, next to what "
                                    "the traders tell us.",
                                    staff=True,
                                )
                            ],
                        )
                    ],
                )
            ],
        ),
        Talk(
            "Trader on the quay",
            "Easy to write an editorial from an office. Come and stand in my shop on a "
            "Saturday in December.",
            email="quayshop@mail.example",
            held=True,
        ),
    ],
    "comment-sections-are-worth-keeping": [
        Talk(
            "יעל שפירא",
            "אני כותבת בעברית, ואני שמחה שאפשר. 🙂",
            replies=[
                Talk(
                    "كريم نصار",
                    "وأنا أكتب بالعربية. أهلاً يا جارتي! 👋",
                    replies=[Talk("יעל שפירא", "أهلاً كريم! 🤝 (and hello in English too)")],
                )
            ],
        ),
        Talk(
            AMELIE,
            "Testing whether my name survives: Amélie, with the accent typed as a combining "
            "mark. Looks right to me! ✅",
        ),
        Talk(
            "Finn O'Rourke",
            "Fifteen minutes to edit is generous. I usually spot my typo about ninety seconds "
            "after postign. 😅",
            edited="Fifteen minutes to edit is generous. I usually spot my typo about ninety "
            "seconds after posting. 😅 (Edited to fix a typo, naturally.)",
            replies=[
                Talk(
                    "Grace Achebe",
                    "Ninety seconds? Lucky. Mine show up the moment someone replies quoting them.",
                    url="https://grace-writes.example.net/",
                    quote="I usually spot my typo about ninety seconds after posting.",
                )
            ],
        ),
        Talk(
            "Maya Lindgren",
            "Does the filter learn from my comments too, or only from what the moderators decide?",
            email="maya.l@mail.example",
            held=True,
        ),
        Talk(
            "Best Deals 4U",
            "CHEAP coach tickets!!! 90% off all travel, today only, visit our site now",
            url="https://deals.example.com/coach",
            spam=True,
        ),
    ],
    "night-buses-return-to-the-alder-valley": [
        Talk(
            "Siobhan Kelleher",
            "Finally. I've spent about £40 a month on taxis home from the hospital since they "
            "cut the N7.",
            replies=[Talk("Arturo Pinheiro", "Same. Now do Sundays please, AVT! 🚌🌙")],
        ),
        Talk(
            "Dennis Wray",
            "An hourly bus is not a service, it's a gesture. Every thirty minutes or don't bother.",
            email="d.wray@mail.example",
            held=True,
        ),
        Talk(
            "Valley Coach Deals",
            "Hey everyone, forget the night bus! Cheap coach tickets with free wifi, book now "
            "at https://valleycoachdeals.example.com/offer and save 30% today!!",
            email="offers@valleycoachdeals.example.com",
            held=True,
        ),
        Talk(
            "Fast Cabs Now",
            "Why wait for the bus?? Book a cab in 60 seconds, best prices in the valley",
            url="https://fastcabs.example.com/",
            spam=True,
        ),
    ],
    "old-ropeworks-reopens-with-new-plays": [
        Talk(
            "Imke de Vries",
            "Saw *The Long Walk* on Saturday. Wear comfortable shoes. Best thing I've seen in "
            "this city in years.",
            replies=[
                Talk(
                    "Jonah Feld",
                    "Did you find your name on the floor? Mine is near the stage door, tiny. ❤️",
                )
            ],
        ),
    ],
    "wrenmouth-night-market-the-queue-is-the-point": [
        Talk("Lin Chen", "Mrs Liang's pork and chive dumplings are worth every minute. 🥟"),
    ],
    "why-the-742-from-eastmere-is-always-late": [
        Talk(
            "Harriet Ings",
            "As a 7:42 regular: thank you for doing this. I had always blamed the cows.",
            replies=[Talk("Colin Pratt", "The cows are innocent! 🐄")],
        ),
    ],
}
