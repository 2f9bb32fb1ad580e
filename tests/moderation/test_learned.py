"""The learned filter: what it learns from, how it decides, how every process shares it."""

from __future__ import annotations

import itertools
import re

import pytest
from django.core.management import call_command

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions, learned
from broadsheet.moderation.cues import CUES, cues
from broadsheet.moderation.features import (
    META_START,
    N_WORD_FEATURES,
    CommentText,
    clean_markup,
    featurize,
    normalise,
    vectorize,
    word_column,
    word_tokens,
)
from broadsheet.moderation.learned import SpamFilter
from broadsheet.moderation.models import LearnedModel
from broadsheet.newsroom.models import Redirect
from tests.conftest import post
from tests.moderation.conftest import HAM, SPAM, train_site_filter

pytestmark = pytest.mark.django_db
Status = Comment.Status


def tiny_filter() -> SpamFilter:
    spam_filter = SpamFilter()
    items = [CommentText(t) for t in HAM + SPAM]
    labels = [0] * len(HAM) + [1] * len(SPAM)
    learned.train(spam_filter, items, labels, epochs=5)
    return spam_filter


def test_markup_from_imports_is_decoded():
    assert clean_markup("I&#39;m here<br />and&amp;there\ufeff") == "I'm here\nand&there"
    assert "http://x.example/a" in clean_markup('<a href="http://x.example/a">link</a>')


def test_links_numbers_and_emails_become_placeholders():
    n = normalise("Mail me@example.org, see HTTP://Shop.Example.com/x?y=1 for 1,000 deals")
    assert "xemailx" in n.text and "xurlx" in n.text and "xnumx" in n.text
    assert "example" not in n.text
    assert "xlinks1x" in n.shape and "xdomainx" + "example.com" in n.shape


def test_spaced_out_domains_count_as_links():
    assert "xlinks1x" in normalise("visit kidsmediausa . com today").shape


PAGE = ("news.example.org/article/hello-world/",)
SITE = ("news.example.org",)


@pytest.mark.parametrize(
    "link",
    [
        "https://news.example.org/article/hello-world/",
        "http://WWW.News.Example.org/article/hello-world",  # no www., host in any case
        "news.example.org/article/hello-world/#c12.",  # bare, a fragment, a full stop after
        '<a href="https://news.example.org/article/hello-world/?t=2m19s">2:19</a>',
    ],
)
def test_a_link_to_the_page_itself_is_not_counted_as_a_link(link):
    n = normalise(f"Best part: {link} so true", page=PAGE, site=SITE)
    assert "xpagelinkx" in n.text and "xurlx" not in n.text
    assert "xlinks0x" in n.shape and not any(s.startswith("xdomainx") for s in n.shape)


def test_other_pages_of_the_site_and_look_alike_addresses_are_told_apart():
    def reads(link: str) -> str:
        return normalise(f"see {link}", page=PAGE, site=SITE).text.split()[1]

    assert reads("https://news.example.org/article/hello-world-2/") == "xsitelinkx"
    assert reads("https://news.example.org/c/12") == "xsitelinkx"
    assert reads("https://news.example.org.spam.example/article/hello-world/") == "xurlx"
    assert reads("https://spam.example/?next=news.example.org/article/hello-world/") == "xurlx"
    # Without the page and site (a CSV file that does not give them), a link is a link.
    assert normalise("see https://news.example.org/article/hello-world/").text == "see xurlx"
    # ".example.org" in ALLOWED_HOSTS takes the subdomains too.
    sub = normalise("see https://blog.example.org/x", site=(".example.org",))
    assert sub.text == "see xsitelinkx"


def test_the_filter_learns_that_a_link_to_the_article_is_not_advertising():
    spam_filter = SpamFilter()
    page = {"page": PAGE, "site": SITE}
    ham = [
        CommentText("Roar (Official): https://news.example.org/article/hello-world/", **page),
        CommentText("2:19 https://news.example.org/article/hello-world/?t=139 best part", **page),
        CommentText("I agree with the council", **page),
    ]
    spam = [
        CommentText("My new video: https://spam.example/watch?v=1", **page),
        CommentText("Great tune https://cheap.example/buy", **page),
        CommentText("Hot deals https://deals.example/now", **page),
    ]
    learned.train(spam_filter, ham + spam, [0, 0, 0, 1, 1, 1], epochs=10)
    own = spam_filter.judge(
        CommentText("Love this https://news.example.org/article/hello-world/", **page)
    )
    other = spam_filter.score(CommentText("Love this https://elsewhere.example/x", **page))
    assert own.score < 0.5 < other
    assert "a link to this page" in own.features


def test_the_site_reads_comments_on_their_own_page(article, settings):
    settings.ALLOWED_HOSTS = ["news.example.org", ".example.net", "*"]
    Redirect.objects.create(old_path="/2019/05/hello-world/", article=article)
    comment = post(
        article,
        "2:19 https://news.example.org/article/hello-world/?t=139, as said at "
        "http://news.example.org/2019/05/hello-world/#comment-3",
    )
    item = learned.comment_text(comment)
    assert item.page == (
        "news.example.org/article/hello-world/",
        "example.net/article/hello-world/",
        "news.example.org/2019/05/hello-world/",  # the old WordPress permalink
        "example.net/2019/05/hello-world/",
    )
    assert item.site == ("news.example.org", ".example.net")
    text = normalise(item.body, page=item.page, site=item.site).text
    assert text.count("xpagelinkx") == 2 and "xurlx" not in text
    comment.status = Status.APPROVED
    comment.save()
    # The whole history, read in columns, is read on the same pages.
    items, labels = learned.decided_examples()
    assert (items, labels) == ([item], [0])


def test_a_bulk_decision_looks_up_each_articles_page_once(article, django_assert_num_queries):
    for n in range(3):
        post(article, f"Comment number {n} on the council budget")
    comments = list(Comment.objects.select_related("article"))
    with django_assert_num_queries(1):  # the article's old addresses, once
        items = learned.texts_of(comments)
    assert [i.page for i in items] == [learned.comment_text(comments[0]).page] * 3


CUE_CASES = [
    ("likes", "Thumbs up if you agree!", "I like this analysis of the budget"),
    ("likes", "give it a like", "It looks like rain"),
    ("share", "Please share this everywhere", "Shares fell by a tenth"),
    ("subscribe", "sub 4 sub, subscribe to me", "The subsidy was cut"),
    ("visit", "check out my page", "They will check the figures"),
    ("own_work", "listen to my new mixtape", "my neighbour agrees"),
    ("money", "Earn $500 a day from home", "The earnings report was late"),
    ("contact", "text me on +44 7700 900123", "The text of the bill"),
    ("crowd", "hey guys", "They are good guys"),
    ("please", "plz watch", "I was pleased with it"),
]


@pytest.mark.parametrize(("cue", "asks", "discusses"), CUE_CASES)
def test_cues_name_what_spam_asks_of_readers(cue, asks, discusses):
    assert f"xcuex{cue}" in normalise(asks).shape
    assert f"xcuex{cue}" not in normalise(discusses).shape


def test_the_substrings_looked_for_first_never_hide_a_cue():
    # Every text the tests know, and each cue's pattern run on its own, without
    # the cheap look for substrings that normally decides whether it runs.
    texts = [*HAM, *SPAM, "Sub 4 sub! hit me a like, type in ʙᴇsᴛ", "Call +1 (555) 010-9999"]
    texts += [case[1] for case in CUE_CASES] + [case[2] for case in CUE_CASES]
    for text in texts:
        lowered = clean_markup(text).lower()
        ran = [name for name, (_, pattern) in CUES.items() if re.search(pattern, lowered)]
        assert cues(lowered) == ran, text


def test_a_cue_learned_from_some_wordings_carries_to_a_new_one():
    spam_filter = SpamFilter()
    bait = ["like this comment if you agree", "thumbs up if you read it", "like if you care"]
    ham = ["the vote was close", "I read the report", "the council met today"]
    learned.train(spam_filter, [CommentText(t) for t in bait + ham], [1, 1, 1, 0, 0, 0], epochs=10)
    judgement = spam_filter.judge(CommentText("leave me a like"))
    assert "asks for likes" in judgement.features
    assert judgement.score > spam_filter.score(CommentText("leave me a note"))


@pytest.mark.parametrize(
    "disguised",
    [
        "Ch3ck 0ut my ch@nnel and $ubscribe",  # digits and symbols for letters
        "Сheck оut my сhannel and subѕсribe",  # Cyrillic look-alikes
        "C h e c k out my c.h.a.n.n.e.l and s-u-b-s-c-r-i-b-e",  # letters set apart
        "Che\u0336ck out my cha\u200bnnel and su\u2066bscri\u034fbe",  # strokes, invisibles
    ],
)
def test_the_filter_reads_disguised_words_as_the_words_they_spell(disguised):
    plain = "check out my channel and subscribe"
    assert normalise(disguised).text == plain
    assert featurize([CommentText(disguised)]).indices.tolist() == (
        featurize([CommentText(plain)]).indices.tolist()
    )


def test_a_batch_is_featurized_as_each_comment_alone():
    items = [CommentText(t) for t in [*HAM, *SPAM, "", "a", "é 😀 עברית", "ÀB ßß STRASSE"]]
    X = featurize(items)
    for row, item in enumerate(items):
        vector = vectorize(item)
        assert X[row].indices.tolist() == vector.columns.tolist()
        assert X[row].data == pytest.approx(vector.values)
        # The reasons can name every word feature the comment has.
        assert set(vector.words.values()) <= set(vector.columns.tolist())
        # Each word and pair is named by the column word_column gives it, hashed in
        # one batch for speed (shape cues come through meta_column).
        tokens = word_tokens(normalise(item.body))
        for token in [*tokens, *(f"{a} {b}" for a, b in itertools.pairwise(tokens))]:
            assert vector.words[token] == word_column(token), token


def test_it_tells_spam_from_discussion_it_has_not_seen():
    spam_filter = tiny_filter()
    assert spam_filter.score(CommentText("subscribe to my channel http://x.example.com")) > 0.5
    assert spam_filter.score(CommentText("I think the council budget is wrong")) < 0.5


def test_score_matches_scikit_learn_predict_proba():
    spam_filter = tiny_filter()
    items = [CommentText(t) for t in ["check my channel", "the mayor spoke", "é 😀 עברית"]]
    batch = spam_filter.scores(items)
    for item, expected in zip(items, batch, strict=True):
        assert spam_filter.score(item) == pytest.approx(expected)


def test_reasons_name_the_words_that_weighed_most():
    judgement = tiny_filter().judge(CommentText("Subscribe to my channel please"))
    assert judgement.score > 0.5
    assert any("subscribe" in f or "channel" in f for f in judgement.features)


def test_a_filter_survives_storage_and_refuses_other_features():
    spam_filter = tiny_filter()
    item = CommentText("free gift cards on my channel")
    again = SpamFilter.loads(spam_filter.dumps())
    assert again.score(item) == spam_filter.score(item)
    assert again.counts == spam_filter.counts
    assert again.documents == spam_filter.documents > 0
    assert (again.document_counts == spam_filter.document_counts).all()
    spam_filter.features_version = -1
    with pytest.raises(ValueError, match="retrain"):
        SpamFilter.loads(spam_filter.dumps())


def test_learn_from_comments_labels_by_status_and_skips_undecided(article, moderator, monkeypatch):
    monkeypatch.setattr(learned.site, "LEARN_BATCH", 2)
    kept = post(article, "A thoughtful comment about the council")
    spam = post(article, "Buy followers at http://f.example.com")
    rejected = post(article, "You are all idiots")
    waiting = post(article, "Still waiting")
    gone = post(article, "Removed by its author")
    actions.mark_spam(spam, actor=moderator)
    actions.reject(rejected, actor=moderator)
    Comment.objects.filter(pk=waiting.pk).update(status=Status.PENDING)
    Comment.objects.filter(pk=gone.pk).update(status=Status.DELETED)
    learned.forget()
    LearnedModel.objects.all().delete()

    comments = Comment.objects.filter(pk__in=[c.pk for c in (kept, spam, rejected, waiting, gone)])
    assert learned.learn_from_comments(comments) == 3
    row = LearnedModel.objects.get()
    assert (row.published_examples, row.unpublished_examples) == (1, 2)
    assert row.version == 1  # two batches, stored once
    # Comments one by one (as an importer may hand them over) teach the same.
    assert learned.learn_from_comments(iter(list(comments))) == 3
    row = LearnedModel.objects.get()
    assert (row.published_examples, row.unpublished_examples, row.version) == (2, 4, 2)
    assert learned.learn_from_comments(Comment.objects.none()) == 0
    assert LearnedModel.objects.get().version == 2
    # Querysets one after another (the chunks of a large import).
    pks = list(comments.values_list("pk", flat=True))
    chunks = [Comment.objects.filter(pk__in=pks[:2]), Comment.objects.filter(pk__in=pks[2:])]
    assert learned.learn_from_comments(chunks) == 3
    assert LearnedModel.objects.get().unpublished_examples == 6


def test_every_decision_is_stored_with_a_new_version(article, moderator):
    first = post(article, "Check out my channel http://a.example.com")
    second = post(article, "Nice reporting on the election")
    actions.mark_spam(first, actor=moderator)
    assert LearnedModel.objects.get().version == 1
    actions.reject(second, actor=moderator)
    row = LearnedModel.objects.get()
    assert row.version == 2
    assert (row.published_examples, row.unpublished_examples) == (0, 2)


def test_a_moderators_decision_changes_the_next_score(article, moderator, rules):
    train_site_filter()
    text = "Join the reading club at the library on Tuesday evenings"
    before = post(article, text, author_name="A").score
    for n in range(3):
        comment = post(article, f"{text}, number {n}", author_name=f"B{n}")
        actions.mark_spam(comment, actor=moderator)
    after = post(article, text + "!", author_name="C").score
    assert after > before


def test_undoing_a_decision_takes_back_what_the_filter_learned(article, moderator, rules):
    train_site_filter()
    text = "Join the reading club at the library on Tuesday evenings"
    before = learned.site_filter().score(CommentText(text))
    comment = post(article, text + ", all welcome", author_name="B")
    entry = actions.mark_spam(comment, actor=moderator)
    taught = learned.site_filter()
    assert taught.score(CommentText(text)) > before + 0.2
    assert taught.counts[learned.NOT_PUBLISH] == len(SPAM) + 1
    actions.undo(entry, actor=moderator)
    untaught = learned.site_filter()
    assert untaught.score(CommentText(text)) == pytest.approx(before, abs=0.02)
    assert untaught.counts == [len(HAM), len(SPAM)]
    assert untaught.documents == len(HAM) + len(SPAM)
    # Decided again, it is learned again.
    actions.mark_spam(comment, actor=moderator)
    assert learned.site_filter().score(CommentText(text)) > before + 0.2


def test_only_the_latest_decisions_can_be_taken_back():
    spam_filter = tiny_filter()
    for n in range(learned.LESSONS_KEPT + 5):
        spam_filter.learn([CommentText(f"note {n}")], [0], keys=[f"comment:{n}"])
    assert len(spam_filter.lessons) == learned.LESSONS_KEPT
    assert not spam_filter.unlearn("comment:0", 0)  # forgotten: too old
    assert not spam_filter.unlearn(f"comment:{learned.LESSONS_KEPT}", 1)  # not what it learned
    assert spam_filter.unlearn(f"comment:{learned.LESSONS_KEPT}", 0)
    assert not spam_filter.unlearn(f"comment:{learned.LESSONS_KEPT}", 0)  # only once
    again = SpamFilter.loads(spam_filter.dumps())
    assert list(again.lessons) == list(spam_filter.lessons)


def _store_as_older_features(spam_filter: SpamFilter) -> None:
    spam_filter.features_version -= 1
    LearnedModel.objects.update_or_create(pk=1, defaults={"blob": spam_filter.dumps()})


def test_migrate_retrains_a_filter_built_on_older_features(article, moderator):
    for text in HAM[:4]:
        actions.approve(post(article, text), actor=moderator)
    for text in SPAM[:4]:
        actions.mark_spam(post(article, text), actor=moderator)
    _store_as_older_features(learned.site_filter())
    learned.forget()
    assert learned.site_filter() is None  # unusable: scoring is off
    call_command("migrate", verbosity=0)
    learned.forget()
    again = learned.site_filter()
    assert again is not None and again.counts == [4, 4]
    assert again.score(CommentText(SPAM[0])) > again.score(CommentText(HAM[0]))
    # A usable filter is left alone.
    version = LearnedModel.objects.get().version
    call_command("migrate", verbosity=0)
    assert LearnedModel.objects.get().version == version


def test_a_decision_on_an_unusable_filter_relearns_the_history_first(article, moderator):
    for text in HAM[:3]:
        post(article, text)  # published
    actions.mark_spam(post(article, SPAM[0]), actor=moderator)
    _store_as_older_features(learned.site_filter())
    actions.mark_spam(post(article, SPAM[1]), actor=moderator)
    learned.forget()
    # Nothing the site decided is lost: the history is learned again, then the decision.
    assert learned.site_filter().counts[learned.PUBLISH] == 3
    assert learned.site_filter().counts[learned.NOT_PUBLISH] >= 2


def test_another_process_sees_a_new_model_without_a_restart(article, monkeypatch):
    monkeypatch.setattr(learned.site, "RECHECK_SECONDS", 3600)
    train_site_filter()
    mine = learned.site_filter()
    # Another app server learns and stores a new model.
    other = SpamFilter.loads(LearnedModel.objects.get().blob)
    other.learn([CommentText("a new kind of spam")], [1])
    learned.store(other)
    learned.site._memo = (
        learned.site._memo[0],
        mine,
        learned.site._memo[2],
    )  # this process's stale copy
    LearnedModel.objects.filter(pk=1).update(revision="changed-elsewhere")
    assert learned.site_filter() is not mine


def test_too_few_examples_never_decide(article, rules):
    rules.learned_min_examples = 100
    rules.save()
    train_site_filter()
    comment = post(article, "Subscribe to my channel http://sub.example.com for free gifts")
    assert comment.status == Status.APPROVED
    assert comment.score is not None and comment.score > 0.5


def test_thresholds_are_site_settings(article, rules):
    rules.learned_min_examples = 5
    rules.hold_threshold = 0.5
    rules.spam_threshold = 0.999999
    rules.save()
    train_site_filter()
    text = "Subscribe to my channel http://sub.example.com for free gifts"
    held = post(article, text)
    assert held.status == Status.PENDING
    assert held.reasons[0]["check"] == "learned_score"
    assert "Learned score" in held.reasons[0]["reason"]
    rules.spam_threshold = 0.5
    rules.save()
    assert post(article, text + " now").status == Status.SPAM
    assert post(article, "The council meeting was long but useful").status == Status.APPROVED


def test_an_unusable_stored_model_turns_scoring_off_instead_of_failing(article):
    LearnedModel.objects.create(pk=1, version=1, revision="x", blob=b"not a model")
    comment = post(article, "Still works")
    assert comment.status == Status.APPROVED and comment.score is None


def test_character_grams_in_every_comment_weigh_less_than_rare_ones():
    spam_filter = SpamFilter()
    spam_filter.learn(
        [CommentText("the cat"), CommentText("the dog"), CommentText("the eel")], [0, 1, 0]
    )
    assert spam_filter.documents == 3
    vector = spam_filter._vector(CommentText("the cat"))
    chars = (vector.columns >= N_WORD_FEATURES) & (vector.columns < META_START)
    # Unit length still, and " th" (in all three) below " ca" (in one).
    assert float((vector.values[chars] ** 2).sum()) == pytest.approx(1.0)
    assert vector.values[chars].min() < vector.values[chars].max()
    again = spam_filter.documents
    spam_filter.learn([CommentText("the cat")], [0], count=False)
    assert spam_filter.documents == again  # another pass over the same examples
