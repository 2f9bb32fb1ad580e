"""Benchmark: how precisely the search finds Hebrew words with and without prefixes.

    .venv/bin/python bench/hebrew_prefixes.py [--src DIR ...]

Writes one article a sentence of news-like Hebrew made up here (below), each sentence
labelled with the words it means (its lexemes: שמים "sky" is not מים "water"), into a
fresh SQLite site, and searches each query as a reader would (``Results``, as the
search page does). For each query, the articles it should find are those labelled
with its lexeme; it prints what each code (``--src``, default this checkout's
``src/``; several to compare) finds: precision (the share of the articles found that
mean the word), recall (the share of the articles meaning it that were found), and
the articles found wrongly.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each sentence, and after | the lexemes it holds among those searched for below. Words
# that begin with a prefix letter of their own (שמים, בקשה, מספר, בחירות, משפט, מדינה, ועדה,
# משטרה, מלחמה) are written bare and with prefixes, as a newspaper writes them.
SENTENCES = [
    (sentence.strip(), set(lexemes.split()))
    for sentence, lexemes in (
        line.split("|")
        for line in """
השמים היו כחולים מעל ירושלים כל הבוקר | שמים ירושלים
בשמים נראו עננים כבדים לקראת הערב | שמים
שמים אפורים צפויים מחר בצפון | שמים
הטייסים תיארו שמים נקיים לאורך כל הטיסה | שמים
חברת המים הודיעה על הפסקת מים בשכונה | מים
התושבים קיבלו בקבוקי מים מהעירייה | מים
במים הרדודים נמצאו דגים רבים | מים
מחיר המים יעלה בחודש הבא | מים
אחרי הגשם, ומים רבים זרמו ברחובות, נסגרו הכבישים | מים
הבקשה של התושבים נדחתה על ידי הוועדה | בקשה ועדה
בקשה חדשה הוגשה לבית המשפט | בקשה משפט
לבקשה צורפו מסמכים רבים | בקשה
זה היה יום קשה לכל תושבי העיר | קשה
המצב הכלכלי קשה מאוד השנה | קשה
היה קשה לעבור בכביש הראשי | קשה
מספר הנפגעים עלה הלילה | מספר
במספר ערים נפתחו מרכזי סיוע | מספר
המספר הרשמי יפורסם מחר | מספר
הסופרת הציגה את הספר החדש שלה | ספר
בספר מתוארת ההיסטוריה של העיר | ספר
ספר על ירושלים זכה בפרס | ספר ירושלים
הבחירות לכנסת ייערכו בסתיו | בחירות כנסת
בבחירות האחרונות השתתפו רבים | בחירות
בחירות מוקדמות אינן צפויות | בחירות
החירות היא ערך מרכזי בחברה | חירות
הם נאבקו על חירות הביטוי | חירות
המשפט נמשך שלוש שנים | משפט
במשפט העיד שר לשעבר | משפט שר
השופט שפט את הנאשם בחומרה | שפט
המדינה תשלם פיצוי לנפגעים | מדינה
במדינה כולה נרשמה עלייה במחירים | מדינה
דינה כהן נבחרה לראשות המועצה | דינה
הוועדה תתכנס שוב בשבוע הבא | ועדה
בוועדה נשמעו דעות שונות | ועדה
ועדה מיוחדת תבדוק את האירוע | ועדה
עדה קטנה שמרה על מנהגיה במשך דורות | עדה
בני העדה התכנסו לתפילה | עדה
הממשלה אישרה את התקציב | ממשלה
בממשלה יש מחלוקת על המס | ממשלה
ראש הממשלה ביקר בירושלים | ממשלה ירושלים
המשטרה פתחה בחקירה | משטרה
למשטרה הוגשו תלונות רבות | משטרה
לירושלים הגיעו אלפי מבקרים | ירושלים
ומירושלים יצאה השיירה צפונה | ירושלים
ירושלים מתכוננת לחג | ירושלים
הכנסת התכנסה לישיבה מיוחדת | כנסת
בכנסת נערך דיון סוער | כנסת
המלחמה הסתיימה לפני שנה | מלחמה
במלחמה נפגעו בתים רבים | מלחמה
השר הודיע על תוכנית חדשה | שר
לשר נשלח מכתב מהתושבים | שר
מחיר הבשר עלה שוב | בשר
המטבח הכשר נפתח בבית החולים | כשר
הם הלכו לים בשבת | ים
הים היה סוער | ים
מלך הולנד ביקר בארץ | מלך
השחקן הלך הביתה מוקדם | הלך
אמרתי לך שזה יקרה | לך
""".strip().splitlines()
    )
]

# Each query, and the lexeme it means.
QUERIES = {
    "מים": "מים",
    "המים": "מים",
    "שמים": "שמים",
    "בשמים": "שמים",
    "קשה": "קשה",
    "בקשה": "בקשה",
    "ספר": "ספר",
    "מספר": "מספר",
    "חירות": "חירות",
    "בחירות": "בחירות",
    "שפט": "שפט",
    "משפט": "משפט",
    "דינה": "דינה",
    "מדינה": "מדינה",
    "עדה": "עדה",
    "ועדה": "ועדה",
    "ממשלה": "ממשלה",
    "בממשלה": "ממשלה",
    "משטרה": "משטרה",
    "ירושלים": "ירושלים",
    "בירושלים": "ירושלים",
    "כנסת": "כנסת",
    "מלחמה": "מלחמה",
    "שר": "שר",
    "ים": "ים",
    # No text here writes מלך or הלך after a prefix that shows it a word; לך is a
    # function word, which takes no ה nor מ (prefixes.FUNCTION_WORDS).
    "לך": "לך",
}


def child() -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from broadsheet.newsroom import actions
    from broadsheet.newsroom.models import Article, SiteSettings
    from broadsheet.search.query import Query, Results

    call_command("migrate", verbosity=0)
    site = SiteSettings.load()
    site.language = "he"
    actions.save_site_settings(site)
    now = timezone.now()
    for n, (sentence, _lexemes) in enumerate(SENTENCES):
        actions.save_article(
            Article(
                title=f"{n}", slug=f"s{n}", body=sentence,
                status=Article.Status.PUBLISHED, published_at=now - timezone.timedelta(minutes=n),
            )
        )  # fmt: skip
    found = {}
    for q in QUERIES:
        results = Results(Query.parse(q), "he")
        found[q] = sorted(int(a.title) for a in results[0 : len(SENTENCES)])
    return found


def measure(src: Path) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "BROADSHEET_DATA_DIR": tempfile.mkdtemp(prefix="bench-hebrew-"),
        "BROADSHEET_RATE_LIMIT": "off",
    }
    env.pop("BROADSHEET_DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(src: Path, found: dict) -> None:
    print(f"\n== {src}")
    print(f"  {'query':<10}{'found':>6}{'right':>6}{'meant':>6}  wrongly found")
    totals = [0, 0, 0]
    for q, lexeme in QUERIES.items():
        meant = {n for n, (_s, lexemes) in enumerate(SENTENCES) if lexeme in lexemes}
        got = set(found[q])
        right = got & meant
        wrong = " / ".join(SENTENCES[n][0].split()[0] + "…" for n in sorted(got - meant))
        print(f"  {q:<10}{len(got):>6}{len(right):>6}{len(meant):>6}  {wrong}")
        totals[0] += len(got)
        totals[1] += len(right)
        totals[2] += len(meant)
    found_all, right_all, meant_all = totals
    print(
        f"  all {len(QUERIES)} queries: precision {right_all}/{found_all} = "
        f"{right_all / found_all:.0%}, recall {right_all}/{meant_all} = "
        f"{right_all / meant_all:.0%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, action="append")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child()))
        return
    for src in args.src or [ROOT / "src"]:
        report(src, measure(src))


if __name__ == "__main__":
    main()
