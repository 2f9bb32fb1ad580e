"""The demo's newsroom: sections, tags, bylines and articles, all written for the demo.

Every place, person and outlet here is fictional. Links point at ``.example``
addresses, which can never belong to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import dedent


@dataclass(frozen=True)
class SectionText:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class AuthorText:
    slug: str
    name: str
    bio: str
    # The byline that belongs to the demo editor's login.
    is_editor: bool = False


@dataclass(frozen=True)
class ArticleText:
    slug: str
    title: str
    section: str
    author: str
    tags: tuple[str, ...]
    summary: str
    body: str
    # Hours before the demo is loaded; negative for an article scheduled ahead.
    age_hours: float
    state: str = "published"  # "published", "scheduled" or "draft"
    source_name: str = ""
    source_url: str = ""
    # Editors closed the discussion after it had run for a while.
    closes_comments: bool = False


def md(text: str) -> str:
    return dedent(text).strip()


SITE_NAME = "The Broadsheet Demo"
TAGLINE = "News and argument from Wrenmouth and the Alder Valley (a fictional city)"

SECTIONS = [
    SectionText("city", "City & Council", "The council, housing, the docks and the river."),
    SectionText("transport", "Transport", "Trams, buses, ferries, bicycles and the 7:42."),
    SectionText("science", "Science", "Research from the estuary, the observatory and the field."),
    SectionText("culture", "Culture", "Theatre, books, libraries and food in the Alder Valley."),
    SectionText("opinion", "Opinion", "Editorials and argument. Disagree below the line."),
]

TAGS = {
    "council": "Council",
    "budget": "Budget",
    "housing": "Housing",
    "quay-street": "Quay Street",
    "trams": "Trams",
    "buses": "Buses",
    "cycling": "Cycling",
    "river-alder": "River Alder",
    "climate": "Climate",
    "libraries": "Libraries",
    "theatre": "Theatre",
    "books": "Books",
    "food": "Food",
    "elections": "Elections",
    "local-business": "Local business",
    "citizen-science": "Citizen science",
    "about-us": "About this site",
}

AUTHORS = [
    AuthorText(
        "nell-okafor",
        "Nell Okafor",
        "Editor of the Broadsheet Demo. Writes the editorials and reads every comment queue.",
        is_editor=True,
    ),
    AuthorText(
        "miriam-achterberg",
        "Miriam Achterberg",
        "City hall reporter. Has attended more council meetings than anyone should.",
    ),
    AuthorText(
        "tomas-reyes-whitcombe",
        "Tomás Reyes-Whitcombe",
        "Transport and environment correspondent. Commutes by tram, bicycle and, reluctantly, bus.",
    ),
    AuthorText(
        "priya-lindqvist",
        "Priya Lindqvist",
        "Science and culture writer, formerly a marine biologist at the estuary institute.",
    ),
]

# The article whose discussion runs to 500 comments, so that paging can be seen.
BUSY_ARTICLE = "quay-street-closed-to-cars-on-saturdays"

ARTICLES = [
    ArticleText(
        slug=BUSY_ARTICLE,
        title="Council votes to close Quay Street to cars on Saturdays",
        section="city",
        author="miriam-achterberg",
        tags=("council", "quay-street", "cycling", "local-business"),
        summary=(
            "After four hours of debate, councillors backed a year-long trial that will turn "
            "the city's oldest shopping street over to people on foot every Saturday."
        ),
        age_hours=30,
        body=md("""
            Quay Street will be closed to private cars every Saturday from next month, after
            Wrenmouth City Council voted 23 to 19 on Tuesday night for a twelve-month trial.
            The decision came at the end of a four-hour meeting in which the public gallery was
            full and, for a while, the overflow room was too.

            The trial covers the stretch between the Customs House and the swing bridge, about
            four hundred metres of cobbles, twenty-eight shops and nine cafés. Deliveries will
            still be allowed before ten in the morning, and blue-badge holders will keep access
            to the four disabled bays by the bridge.

            ## What changes on a Saturday

            - No private cars between 10:00 and 18:00.
            - Buses on routes 3 and 11 move to Mill Lane for the day.
            - Tables and chairs may be put out on the carriageway, with a free permit.
            - Cycling is allowed at walking pace; the council says it will "review this if
              needed".

            Councillor Hana Ferreira, who proposed the trial, told the meeting that the street
            had been "a car park with shops attached" for forty years.

            > We are not banning anything. We are lending the street back to the people who
            > already walk it, one day a week, and we will count every one of them.

            Opponents said the council had not done enough to consult traders. Councillor
            Gordon Pike, who voted against, said several shopkeepers had told him they had
            learned about the plan from a leaflet. "If it works, I will say so," he said. "But
            a trial that starts in November is a trial designed to be argued about."

            The full report, including the traffic counts the decision was based on, is in the
            [council papers for the meeting](https://council.wrenmouth.example/meetings/quay-street-trial).
            The council says it will publish footfall figures every month of the trial.
        """),
    ),
    ArticleText(
        slug="budget-library-hours-saved-parking-charges-rise",
        title="Wrenmouth budget: library hours saved, parking charges rise",
        section="city",
        author="miriam-achterberg",
        tags=("council", "budget", "libraries"),
        summary=(
            "The council closed a £4.1m gap without cutting library opening hours, mostly by "
            "raising parking charges and delaying two road schemes."
        ),
        age_hours=4 * 24 + 3,
        body=md("""
            Wrenmouth's branch libraries will keep their opening hours next year after the
            council found the money elsewhere, chiefly from car parks. The budget, approved on
            Thursday, closes a gap of £4.1m that officers had warned about since the spring.

            Short-stay parking in the city centre will go up by 40p an hour. Two road schemes,
            the Northgate roundabout and the widening of Ferry Road, are put back by a year.

            | Where the money comes from        | £m  |
            |-----------------------------------|-----|
            | Parking charges                   | 1.6 |
            | Delayed road schemes              | 1.2 |
            | Reserves                          | 0.8 |
            | Cheaper energy contracts          | 0.5 |

            The leader of the council, Councillor Abena Mensah, said keeping the libraries open
            had been "the one line I was not prepared to cross". The opposition called the use
            of reserves "a bet that next year will be kinder than this one".

            Library users had collected more than six thousand signatures against the proposed
            cuts. Several of them were in the chamber when the vote was taken, and applauded,
            which the mayor allowed "this once".
        """),
    ),
    ArticleText(
        slug="northgate-residents-win-delay-on-demolition",
        title="Northgate residents win a delay on tower block demolition",
        section="city",
        author="miriam-achterberg",
        tags=("housing", "council"),
        summary=(
            "Tenants of Linden Court persuaded the planning committee to wait for an "
            "independent survey before the 1960s block is pulled down."
        ),
        age_hours=6 * 24 + 5,
        body=md("""
            The demolition of Linden Court, the fourteen-storey block that has stood over
            Northgate since 1966, has been postponed for at least six months. The planning
            committee agreed on Monday to commission an independent structural survey, as the
            block's tenants' association had asked.

            The housing company that owns the block says it is beyond economic repair. The
            tenants say it has never been properly looked at. "Nobody has been inside my flat
            to check anything since 2009," said Farida Osei, who has lived on the ninth floor
            for twenty-two years. "They measured the outside and decided about the inside."

            The committee's chair said the delay was not a verdict on either side. The survey
            will be paid for by the council and published in full.
        """),
    ),
    ArticleText(
        slug="docks-flood-barrier-passes-first-test",
        title="Flood barrier at the Docks passes its first real test",
        section="city",
        author="tomas-reyes-whitcombe",
        tags=("river-alder", "climate"),
        summary=(
            "The £38m barrier closed for eleven hours during Sunday's surge tide. Water "
            "reached the highest mark recorded at the Docks since 1953; nothing flooded."
        ),
        age_hours=9 * 24 + 2,
        body=md("""
            For eleven hours on Sunday the gates of the Alder barrier stayed shut while the sea
            pressed against them, and for the first time since it opened two years ago, the
            barrier did the job it was built for.

            The surge tide, driven by a deep low and a north-westerly gale, pushed the water to
            6.2 metres above chart datum at the harbour mouth. The last time the estuary came
            that high, in 1953, the Docks were under a metre of water for two days.

            This time the only water in Cooper's Yard came from the rain. Engineers at the
            control room said the gates closed on schedule at 02:40 and were reopened at 13:50,
            once the tide had turned and the river behind the barrier could drain.

            The barrier has been criticised for its cost and for the two years of roadworks it
            took to build. The harbourmaster, Ruth Calloway, said on Sunday that she had "never
            been so pleased to see a concrete wall".
        """),
    ),
    ArticleText(
        slug="saltby-by-election-the-ferry-question",
        title="Saltby by-election: three candidates, one question, and it is the ferry",
        section="city",
        author="miriam-achterberg",
        tags=("elections", "council"),
        summary="Whoever wins the seat will inherit the argument over the Saltby ferry contract.",
        age_hours=11 * 24 + 8,
        source_name="Saltby Weekly Ledger",
        source_url="https://ledger.saltby.example/2024/by-election-ferry",
        body=md("""
            Saltby votes next week to replace its councillor, and on the doorstep there is only
            one subject. The ferry across the Alder, which carries four hundred people a day to
            Wrenmouth and back, has a contract that ends in March, and nobody yet knows who will
            run it, at what price, or whether the last sailing will still be at 23:15.

            The three candidates agree that the ferry must stay. They disagree about almost
            everything else:

            1. **Joyce Amberley** (Independent) wants the council to buy the two boats and run
               the service itself.
            2. **Dev Rajan** (Valley Alliance) wants a new contract with a fares cap written
               into it.
            3. **Sam Holt** (Residents First) wants the ferry and the number 9 bus to share
               tickets, "so that the crossing is part of a journey, not an adventure".

            Turnout at the last by-election here was 24 per cent. The returning officer says
            postal vote applications are already double that of last time.

            *This article first appeared in the Saltby Weekly Ledger and is republished with
            permission.*
        """),
    ),
    ArticleText(
        slug="tram-line-2-route-cost-questions",
        title="Tram Line 2: the route, the cost and the questions nobody has answered",
        section="transport",
        author="tomas-reyes-whitcombe",
        tags=("trams", "council", "budget"),
        summary=(
            "Everything we know about the proposed second tram line, from the Station to "
            "Fennick Hill, and the five things we still do not."
        ),
        age_hours=8 * 24 + 1,
        body=md("""
            Wrenmouth's first tram line carried 9.3 million passengers last year, three million
            more than forecast. The council now wants a second one, running 6.8 kilometres from
            the Station through the Docks and Millbrook to the top of Fennick Hill. A public
            consultation opens next month. Here is what is on the table.

            ## The route

            Line 2 would share track with Line 1 as far as Customs House, then turn east along
            Ferry Road. The plans show eleven stops, two of them in streets where there is
            currently no bus at all. The climb up Fennick Hill, at a gradient of 7 per cent, is
            close to the limit for the trams the city already owns.

            ## The cost

            The estimate is £212m at today's prices, of which the council hopes two thirds will
            come from the national transport fund. The remainder would be borrowed against
            future fares and a levy on new development near the stops.

            ## What we still do not know

            - Whether the national fund will say yes, and when.
            - How long Ferry Road would be closed during construction.
            - What happens to the number 4 bus, which follows much of the same route.
            - Whether the depot at Millbrook has room for the extra trams.
            - Who pays if the estimate is wrong, as the Line 1 estimate was, by 18 per cent.

            The council's project director, Luis Arrieta, said the consultation was "genuinely
            open". Readers who want to respond can find the documents on the
            [consultation site](https://trams.wrenmouth.example/line-2). We will publish the
            results when they come.
        """),
    ),
    ArticleText(
        slug="night-buses-return-to-the-alder-valley",
        title="Night buses return to the Alder Valley after three years",
        section="transport",
        author="tomas-reyes-whitcombe",
        tags=("buses",),
        summary=(
            "Routes N1 and N7 will run hourly on Friday and Saturday nights from the first "
            "weekend of next month."
        ),
        age_hours=5 * 24 + 6,
        body=md("""
            Night buses are coming back to the Alder Valley. Alder Valley Transit said on
            Wednesday that the N1, from Wrenmouth to Eastmere, and the N7, from Wrenmouth to
            Saltby by way of the hospital, will run every hour between midnight and five on
            Friday and Saturday nights.

            The routes were cut three years ago when the company could not find enough drivers.
            It says it has now recruited forty, and that the night routes will be staffed by
            drivers who asked for them.

            Hospital staff had campaigned for the N7 in particular. "Our night shift finishes at
            half past seven in the morning, but it starts at eight at night, and the last bus
            used to leave at eleven," said a nurse who asked not to be named. "We were paying
            for taxis to go to work."

            Fares will be the same as daytime fares. Day tickets bought on Friday will be valid
            until five on Saturday morning.
        """),
    ),
    ArticleText(
        slug="why-the-742-from-eastmere-is-always-late",
        title="Why the 7:42 from Eastmere is always late",
        section="transport",
        author="tomas-reyes-whitcombe",
        tags=("trams", "buses"),
        summary=(
            "We timed the most complained-about train in the valley for six weeks. The "
            "problem is not where everyone thinks it is."
        ),
        age_hours=12 * 24 + 4,
        source_name="The Eastmere Courier",
        source_url="https://courier.eastmere.example/news/the-742",
        body=md("""
            Every commuter in Eastmere has a theory about the 7:42. It is the drivers, it is the
            signals, it is the cows on the line at Hollin Bridge. For six weeks this autumn a
            team of volunteers stood on four platforms with stopwatches to find out.

            The train was late on 27 of the 30 weekdays we timed, by an average of six minutes.
            But it left Eastmere on time on 24 of them. Almost all of the delay was gained in one
            place: the single-track section between Hollin Bridge and Saltby Junction, where the
            7:42 must wait for the 7:31 from Wrenmouth to clear.

            > When the 7:31 is one minute late, the 7:42 is four minutes late. When it is five
            > minutes late, you may as well go back to bed.

            That was the verdict of one of our volunteers, a retired signal engineer, and the
            numbers bear him out. The rail operator told us a passing loop at Hollin Bridge has
            been "under consideration" since 2011.

            *First published by The Eastmere Courier. Republished with permission.*
        """),
    ),
    ArticleText(
        slug="fennick-hill-cycle-lane-made-permanent",
        title="Cycle lane on Fennick Hill to be made permanent",
        section="transport",
        author="tomas-reyes-whitcombe",
        tags=("cycling", "council"),
        summary=(
            "The temporary lane has become the city's busiest cycle route. The council will "
            "replace its plastic wands with a kerb next spring."
        ),
        age_hours=15 * 24 + 2,
        closes_comments=True,
        body=md("""
            The cycle lane that appeared on Fennick Hill during the roadworks two years ago is
            here to stay. The council's transport committee agreed on Friday to rebuild it with
            a proper kerb, replacing the plastic wands that have been knocked over, replaced and
            knocked over again, 214 times by the council's own count.

            Counters on the hill recorded an average of 1,900 cycle trips a day in September,
            more than on any other road in the city. Motor traffic on the hill has fallen by 12
            per cent over the same period, though some of that has moved to Orchard Road.

            Residents of Orchard Road have asked for a study of the effect on their street. The
            committee agreed to commission one.

            *Editor's note: comments on this article have been closed after the discussion ran
            its course.*
        """),
    ),
    ArticleText(
        slug="seagrass-returns-to-the-alder-estuary",
        title="Seagrass is coming back to the Alder estuary, survey finds",
        section="science",
        author="priya-lindqvist",
        tags=("river-alder", "climate", "citizen-science"),
        summary=(
            "Meadows that vanished in the 1980s now cover 31 hectares of the estuary floor, "
            "according to the Institute for Coastal Research."
        ),
        age_hours=3 * 24 + 2,
        body=md("""
            Seagrass, the flowering plant that once carpeted the shallows of the Alder estuary,
            is recovering faster than anyone expected. A survey by the Wrenmouth Institute for
            Coastal Research found 31 hectares of meadow this summer, up from under two hectares
            a decade ago.

            The meadows matter for more than their looks. Seagrass shelters young fish, holds
            the sediment in place and stores carbon in the mud beneath it, at a rate per
            hectare that rivals a forest.

            ## Why now?

            Dr Oluwaseun Hart, who led the survey, points to three things: cleaner water since
            the sewage works at Millbrook was upgraded, a ban on anchoring in the inner estuary,
            and the planting work of volunteers, who have pushed more than 60,000 seeds into the
            mud by hand since 2017.

            > The volunteers did the part that is hard to fund and impossible to automate.
            > We only counted what they grew.

            The survey used drone photographs checked by divers at 120 points. The institute
            has published the [full data](https://coastal.wrenmouth.example/seagrass-survey)
            and says it will repeat the survey every summer.
        """),
    ),
    ArticleText(
        slug="saltby-observatory-volunteers-spot-variable-star",
        title="Saltby Observatory volunteers spot a new variable star",
        section="science",
        author="priya-lindqvist",
        tags=("citizen-science",),
        summary=(
            "Two amateur astronomers noticed a faint star dimming every 61 hours. Professional "
            "telescopes have now confirmed what they found."
        ),
        age_hours=7 * 24 + 9,
        source_name="Alder Valley Science Notes",
        source_url="https://notes.aldervalley.example/variable-star",
        body=md("""
            The star is too faint to see without a telescope, and until this spring nobody had
            paid it much attention. Then two volunteers at the Saltby Observatory, a retired
            teacher and a nineteen-year-old student, noticed that it dimmed by a few per cent
            every 61 hours, regularly, like a lighthouse with a lazy keeper.

            The pattern suggests an eclipsing binary: two stars orbiting each other, one passing
            in front of the other as seen from Earth. The observatory sent its measurements to
            an international variable-star database, and observers with larger telescopes have
            since confirmed the period to within a minute.

            The discovery was made with the observatory's 40-centimetre telescope, which was
            built by club members in the 1990s from parts bought, borrowed and, according to
            the club's history, "in one case won in a raffle".

            *Republished from Alder Valley Science Notes.*
        """),
    ),
    ArticleText(
        slug="ten-thousand-swifts-bird-count",
        title="Ten thousand swifts: what the citizen bird count found",
        section="science",
        author="priya-lindqvist",
        tags=("citizen-science", "climate"),
        summary=(
            "More than 800 people counted birds across the valley for one weekend in June. "
            "Swifts did better than feared; sparrows did not."
        ),
        age_hours=18 * 24 + 1,
        body=md("""
            For one weekend in June, 812 people across the Alder Valley sat in gardens, parks
            and on balconies and counted birds. The results, published this week, are a mixed
            picture of how the valley's birds are doing.

            The headline species:

            - **Swifts**: 10,240 counted, up a fifth on the last count, helped perhaps by the
              swift bricks now required in new buildings.
            - **House sparrows**: down by a third in the city centre, steady in the villages.
            - **Starlings**: a single murmuration over the Docks made up almost half the total.
            - **Little egrets**: seen at 41 sites. Twenty years ago they were seen at none.

            The organisers caution that a count by volunteers is not a census: more people count
            in sunny places, and starlings are famously hard to number. But repeated every year
            with the same method, it shows the direction of travel.
        """),
    ),
    ArticleText(
        slug="the-quiet-work-of-measuring-a-river",
        title="The quiet work of measuring a river",
        section="science",
        author="priya-lindqvist",
        tags=("river-alder",),
        summary=(
            "Every flood warning in the valley starts with a handful of people in waders. "
            "We spent a wet week with them."
        ),
        age_hours=21 * 24 + 6,
        body=md("""
            At a quarter past six on a Tuesday morning, Agnieszka Wolny is standing up to her
            thighs in the River Alder with a device that looks like a yellow surfboard. It is an
            acoustic current profiler, and it is measuring, to within a few litres a second, how
            much water is passing under the bridge at Hollin.

            Hydrology is a discipline of patience. The valley has nineteen gauging stations, and
            each of them needs its readings checked against a real measurement several times a
            year, in every kind of weather, because rivers change their beds and the
            relationship between the height of the water and its flow drifts with them.

            "People think the flood warnings come from satellites," Wolny says, wading back to
            the bank. "They come from this. From standing in the river when it is high, which
            is exactly when you would rather not be."

            The data from Hollin goes, within the hour, into the model that decides whether the
            barrier at the Docks will close.
        """),
    ),
    ArticleText(
        slug="old-ropeworks-reopens-with-new-plays",
        title="The Old Ropeworks reopens with a festival of new plays",
        section="culture",
        author="priya-lindqvist",
        tags=("theatre",),
        summary=(
            "After a three-year restoration, the 200-metre-long former rope factory is a "
            "theatre again, and its first season is written entirely by local writers."
        ),
        age_hours=5 * 24 + 1,
        body=md("""
            The Old Ropeworks was built to be long. Rope was made by walking backwards, twisting
            as you went, and the building on Tannery Lane stretches two hundred metres so that a
            ropemaker could walk the length of a ship's cable under one roof.

            That length is now a theatre's problem and its delight. The restored building opens
            this weekend with a festival of six new plays, all by writers from the valley, and
            one of them, *The Long Walk*, uses the whole length of the hall: the audience moves
            with the actors from one end to the other over ninety minutes.

            The restoration cost £9m, most of it raised from heritage grants and a public appeal
            that drew donations from more than three thousand people. Their names are painted,
            very small, along the original rope-walk floor.

            Tickets are pay-what-you-can for residents of the valley on opening weekend.
        """),
    ),
    ArticleText(
        slug="central-library-turns-one-hundred",
        title="Central Library turns one hundred, and its readers write back",
        section="culture",
        author="priya-lindqvist",
        tags=("libraries", "books"),
        summary=(
            "We asked readers what the library on Fountain Square has meant to them. More than "
            "four hundred wrote in, in eleven languages."
        ),
        age_hours=10 * 24 + 3,
        body=md("""
            Wrenmouth Central Library opened on Fountain Square a hundred years ago this week,
            with 14,000 books, a reading room for "working men" and a separate, smaller one for
            ladies. It now lends 600,000 items a year, runs homework clubs in four languages and
            has, since last winter, lent out tools, sewing machines and telescopes.

            When we asked readers what the library had meant to them, more than four hundred
            wrote in, in eleven languages. We cannot print them all. This one, from a reader in
            Millbrook, stood for many:

            > I arrived in this city knowing nobody and with very little English. The library
            > gave me a warm room, a desk, a card with my name on it and, after a while, the
            > confidence to ask for things. My daughter now works there.

            The centenary exhibition, *A Hundred Years of Borrowing*, runs in the main hall
            until the spring. Overdue fines were abolished in 2019; the library notes that
            returns went up.
        """),
    ),
    ArticleText(
        slug="review-the-salt-year",
        title="Review: ‘The Salt Year’ is a novel about a town that refuses to change",
        section="culture",
        author="priya-lindqvist",
        tags=("books",),
        summary=(
            "Imogen Tarrant's second novel follows a fishing town through the year its harbour "
            "is sold. It is funny, angry and about twice as long as it needs to be."
        ),
        age_hours=13 * 24 + 7,
        body=md("""
            Imogen Tarrant grew up in Saltby, and her second novel, *The Salt Year*, is set in a
            fishing town that is Saltby in everything but name. Over twelve months its harbour
            is sold to a developer, its last trawler is laid up and its residents, a gallery of
            stubborn, generous and often very funny people, argue about whether any of it
            matters.

            Tarrant is wonderful on the texture of small-town life: the parish council meeting
            that lasts until midnight over a bench, the way news travels faster than the ferry.
            She is less sure about plot, and the middle of the book, in which a subplot about a
            missing accordion takes up a hundred pages, tests even a patient reader.

            But the ending, in which the town gathers on the harbour wall to watch the trawler
            towed away, is as good as anything written about the valley in years. Read it
            slowly, skip the accordion, and then go and buy a fish.

            *The Salt Year* is published by Fenwick & Lowe.
        """),
    ),
    ArticleText(
        slug="wrenmouth-night-market-the-queue-is-the-point",
        title="At Wrenmouth Night Market, the queue is the point",
        section="culture",
        author="tomas-reyes-whitcombe",
        tags=("food", "local-business"),
        summary=(
            "Forty stalls, one car park, and a line for dumplings that has become a Friday "
            "night institution."
        ),
        age_hours=20 * 24 + 2,
        body=md("""
            By half past six on a Friday, the queue for Mrs Liang's dumplings reaches past the
            knife-sharpener, round the falafel van and almost to the pay machine of what is, for
            the rest of the week, the Harbour Road car park. Nobody seems to mind. The queue is
            where people meet.

            The Night Market started four years ago with nine stalls. It now has forty, chosen
            each season by a panel of traders, and a waiting list of more than a hundred. Most
            stalls sell food from the cooking of the people who run them: Ghanaian, Syrian,
            Polish, Filipino, Portuguese and, at the end of the row, a van that sells only
            toasted cheese sandwiches and is never without a line.

            The council, which owns the car park, has agreed to extend the market's licence for
            another three years.
        """),
    ),
    ArticleText(
        slug="editorial-a-street-is-not-a-car-park",
        title="Editorial: A street is not a car park",
        section="opinion",
        author="nell-okafor",
        tags=("quay-street", "council"),
        summary=(
            "The Quay Street trial is modest, temporary and measured. It deserves a fair "
            "test, not a year of shouting."
        ),
        age_hours=22,
        body=md("""
            The council's decision to close Quay Street to cars on Saturdays has produced, in
            our comment section alone, more words than the council's own report. That is as it
            should be. But before the trial has even begun, it is worth saying what it is and
            what it is not.

            It is one day a week. It is one street. It has a date on which it ends, and the
            council has promised to publish, every month, the number of people who walk down
            the street and how much they spend in its shops. If the numbers are bad, the
            trial will end and the cars will come back.

            What it is not is the end of the world, or of shopping, or of the right to drive.
            The traders who are worried have a point: they should have been asked earlier, and
            properly. The council should meet them every month of the trial, not only at the
            end of it.

            Our view is simple. A street is a place before it is a route, and Quay Street is
            the oldest place in the city. Let us see what it is like on a Saturday with room to
            walk in it, and then argue with the numbers in hand.
        """),
    ),
    ArticleText(
        slug="comment-sections-are-worth-keeping",
        title="Comment sections are worth keeping. Here is how we run ours",
        section="opinion",
        author="nell-okafor",
        tags=("about-us",),
        summary=(
            "Many newsrooms have closed their comments. We have not. Here is what you can do "
            "below our articles, and what our moderators do."
        ),
        age_hours=7 * 24 + 2,
        body=md("""
            Plenty of news sites have given up on comments. We understand why: a comment
            section left alone fills with spam, then with abuse, then with nobody. We keep ours
            because our readers often know more than we do, and say so, usefully, below the
            line.

            ## What you can do

            - **Reply** to any comment, and quote it, or a passage of it, so that others can
              see what you are answering.
            - **Write in any language.** Hebrew and Arabic run right to left; emoji are
              welcome; your name can be spelled the way you spell it.
            - **Change your mind.** For fifteen minutes after posting you can edit or delete
              your comment from the same browser.

            ## What our moderators do

            Most comments appear at once. Some wait for a moderator: the software holds back
            comments that look like spam and, at times, we ask it to hold every comment for a
            while. Every automatic decision comes with a reason that our moderators can see,
            and their decisions teach the filter.

            We do not remove comments because we disagree with them. We do remove abuse,
            advertising and personal information about people who are not public figures. If you
            think we got it wrong, [write to us](mailto:editor@broadsheet.example).
        """),
    ),
    ArticleText(
        slug="what-the-estuary-survey-means-for-fishing",
        title="What the estuary survey means for fishing",
        section="science",
        author="priya-lindqvist",
        tags=("river-alder", "food"),
        summary=(
            "The seagrass is back. Will the fish follow, and who will be allowed to catch them?"
        ),
        age_hours=-3 * 24,
        state="scheduled",
        body=md("""
            The return of seagrass to the Alder estuary has raised a question that the
            Institute for Coastal Research's survey did not set out to answer: what it means for
            the valley's last inshore fishermen.

            Young bass, pollack and flatfish all shelter in seagrass, and the fishermen of
            Saltby say they are already seeing more of them. The institute is cautious. "A
            meadow is a nursery," says Dr Oluwaseun Hart. "It takes years for a nursery to
            show up in a catch."
        """),
    ),
    ArticleText(
        slug="ferry-contract-notes",
        title="Ferry contract: who bid, and what they promised",
        section="city",
        author="miriam-achterberg",
        tags=("council", "elections"),
        summary="Three companies want to run the Saltby ferry. We have seen their bids.",
        age_hours=0,
        state="draft",
        body=md("""
            Three companies have bid to run the Saltby ferry from March. We have seen summaries
            of all three bids.

            *To do: confirm the fares figures with the council before publishing.*
        """),
    ),
]
