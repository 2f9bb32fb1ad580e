"""`broadsheet moderation train|evaluate|rebuild|status` (`outcomes`: test_outcomes.py)."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from broadsheet.moderation import actions
from broadsheet.moderation.evaluation import LabelledFileError, read_labelled, thresholds
from broadsheet.moderation.features import normalise
from broadsheet.moderation.learned import SpamFilter
from broadsheet.moderation.models import LearnedModel
from tests.conftest import post
from tests.moderation.conftest import HAM, SPAM

pytestmark = pytest.mark.django_db


def write_csv(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def labelled(tmp_path):
    rows = [(t, "0") for t in HAM] + [(t, "1") for t in SPAM]
    return write_csv(tmp_path / "sample.csv", ["text", "label"], rows)


@pytest.fixture
def youtube_shaped(tmp_path):
    labelled = [(t, "0") for t in HAM] + [(t, "1") for t in SPAM]
    rows = [
        (f"id{i}", "Someone", "2014-01-01T00:00:00", t.replace("'", "&#39;") + "\ufeff", c)
        for i, (t, c) in enumerate(labelled)
    ]
    return write_csv(
        tmp_path / "yt.csv", ["COMMENT_ID", "AUTHOR", "DATE", "CONTENT", "CLASS"], rows
    )


def run(*args) -> str:
    out = StringIO()
    call_command("moderation", *args, stdout=out)
    return out.getvalue()


def test_train_adds_to_the_sites_filter(labelled):
    out = run("train", str(labelled))
    assert "24 comments" in out
    row = LearnedModel.objects.get()
    assert (row.published_examples, row.unpublished_examples) == (12, 12)
    run("train", str(labelled), "--epochs", "1")
    row.refresh_from_db()
    assert (row.published_examples, row.unpublished_examples) == (24, 24)
    assert row.version == 2


def test_several_files_are_learned_as_one_set(tmp_path, labelled, youtube_shaped):
    model = tmp_path / "both.model"
    out = run("train", str(labelled), str(youtube_shaped), "--model", str(model))
    both = SpamFilter.load_file(model)
    assert both.counts[0] + both.counts[1] == 24 + len(read_labelled(youtube_shaped))
    assert f"{both.counts[0] + both.counts[1]} comments" in out


def test_a_bad_file_among_several_teaches_nothing(tmp_path, labelled):
    bad = write_csv(tmp_path / "bad.csv", ["text", "label"], [("x", "maybe")])
    with pytest.raises(CommandError, match="label 'maybe'"):
        run("train", str(labelled), str(bad))
    assert not LearnedModel.objects.exists()


def test_dry_run_saves_nothing(labelled):
    assert "Would teach" in run("train", str(labelled), "--dry-run")
    assert not LearnedModel.objects.exists()


def test_evaluate_prints_the_figures(labelled):
    run("train", str(labelled))
    out = run("evaluate", str(labelled))
    for word in ("precision", "recall", "F1", "ROC AUC", "confusion matrix"):
        assert word in out
    # Other thresholds side by side, for choosing the site's own.
    assert "at other thresholds" in out and "\n  0.95  precision " in out


def test_the_thresholds_table_counts_what_each_threshold_catches():
    rows = {r["threshold"]: r for r in thresholds([1, 1, 0, 0], [0.92, 0.35, 0.55, 0.05])}
    assert (rows[0.3]["precision"], rows[0.3]["recall"]) == (round(2 / 3, 4), 1.0)
    assert (rows[0.5]["precision"], rows[0.5]["recall"]) == (0.5, 0.5)
    assert (rows[0.9]["precision"], rows[0.9]["recall"]) == (1.0, 0.5)
    assert rows[0.95]["precision"] is None and rows[0.95]["recall"] == 0.0


def test_evaluate_json_has_the_documented_keys(labelled):
    run("train", str(labelled))
    result = json.loads(run("evaluate", str(labelled), "--json"))
    assert {"precision", "recall", "f1", "roc_auc", "confusion", "thresholds"} <= set(result)
    assert result["f1"] > 0.9 and result["roc_auc"] > 0.9
    assert sum(map(sum, result["confusion"])) == 24


def test_other_collections_column_names_and_labels_are_read(tmp_path):
    # An abuse collection's shape: its label column says what a 1 means.
    path = write_csv(
        tmp_path / "insults.csv",
        ["Insult", "Date", "comment_text"],
        [("1.0", "20120618192155Z", "you are an idiot"), ("0", "", "I agree with the mayor")],
    )
    data = read_labelled(path)
    assert (data.texts, data.labels) == (["you are an idiot", "I agree with the mayor"], [1, 0])
    beyond = write_csv(tmp_path / "beyond.csv", ["text", "toxic"], [("meh", "1.5")])
    with pytest.raises(LabelledFileError, match=r"line 2: label '1\.5'"):
        read_labelled(beyond)


def test_a_crowds_share_of_raters_reads_from_one_half_as_not_to_publish(tmp_path):
    # Civil Comments' shape: "target" is the share of raters who found it toxic.
    rows = [
        ("1", "0.0", "Thanks for the clear report."),
        ("2", "0.4", "Bit of a stretch, this."),
        ("3", "0.5", "What a moron."),
        ("4", ".8333333", "You absolute idiot."),
        ("5", "1.0", "Idiots, all of you."),
    ]
    path = write_csv(tmp_path / "civil.csv", ["id", "target", "comment_text"], rows)
    data = read_labelled(path)
    assert data.labels == [0, 0, 1, 1, 1]
    assert data.fractions == 3
    err = StringIO()
    model = str(tmp_path / "m.model")
    call_command("moderation", "train", str(path), "--model", model, stdout=StringIO(), stderr=err)
    assert "3 labels are a share of raters between 0 and 1; 0.5 or more" in err.getvalue()


@pytest.mark.parametrize("label", ["1.5", "-0.1", "nan", "0,7"])
def test_a_label_outside_zero_to_one_is_refused_saying_what_a_label_may_be(tmp_path, label):
    rows = [("Thanks for the clear report.", "0.1"), ("What a moron.", label)]
    path = write_csv(tmp_path / "civil.csv", ["comment_text", "target"], rows)
    with pytest.raises(LabelledFileError) as refused:
        read_labelled(path)
    assert f"line 3: label {label!r}" in str(refused.value)
    assert "nor a share of raters between 0 and 1 (written with a point: 0.7)" in str(refused.value)


def test_a_page_column_says_where_each_comment_was_posted(tmp_path):
    page = "https://www.video.example/watch?v=abc https://vid.example.com/abc"
    ham_links = ["https://video.example/watch?v=abc&t=139", "http://vid.example.com/abc"]
    ham_links.append("vid.example.com/abc.")
    spam_links = ["https://video.example/watch?v=xyz", "http://vid.example.com/xyz"]
    spam_links.append("spam.example.com/abc")
    rows = [(f"Best part {link} so good", page, "0") for link in ham_links]
    rows += [(f"My new song {link} so good", page, "1") for link in spam_links]
    path = write_csv(tmp_path / "pages.csv", ["text", "page", "label"], rows)
    data = read_labelled(path)
    assert data.items()[0].page == tuple(page.split())
    texts = [normalise(i.body, page=i.page).text for i in data.items()]
    assert ["xpagelinkx" in t for t in texts] == [True] * 3 + [False] * 3
    assert ["xurlx" in t for t in texts] == [False] * 3 + [True] * 3
    # Without the column, the links to the video are links like any other.
    plain = write_csv(tmp_path / "plain.csv", ["text", "label"], [(r[0], r[2]) for r in rows])
    assert {i.page for i in read_labelled(plain).items()} == {()}
    model = tmp_path / "pages.model"
    run("train", str(path), "--model", str(model), "--epochs", "10")
    result = json.loads(run("evaluate", str(path), "--model", str(model), "--json"))
    assert result["roc_auc"] == 1.0


def test_model_file_instead_of_the_database(tmp_path, labelled, youtube_shaped):
    model = tmp_path / "fresh.model"
    run("train", str(youtube_shaped), "--model", str(model))
    assert model.exists() and not LearnedModel.objects.exists()
    result = json.loads(run("evaluate", str(labelled), "--model", str(model), "--json"))
    assert result["roc_auc"] > 0.9


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        (["body", "verdict"], [("x", "1")], "no label column"),
        (["words", "label"], [("x", "1")], "no text column"),
        (["text", "label"], [("x", "maybe")], "line 2: label 'maybe'"),
        (["text", "label"], [], "no labelled rows"),
    ],
)
def test_user_mistakes_are_command_errors(tmp_path, header, rows, message):
    path = write_csv(tmp_path / "bad.csv", header, rows)
    with pytest.raises(CommandError, match=message):
        run("train", str(path))


def test_missing_file_and_untrained_filter_are_command_errors(tmp_path, labelled):
    with pytest.raises(CommandError, match="No such file"):
        run("train", str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError, match="train it first"):
        run("evaluate", str(labelled))
    with pytest.raises(CommandError, match="no such model file"):
        run("evaluate", str(labelled), "--model", str(tmp_path / "nope.model"))
    (tmp_path / "junk.model").write_bytes(b"junk")
    with pytest.raises(CommandError, match="not a usable"):
        run("evaluate", str(labelled), "--model", str(tmp_path / "junk.model"))


def test_rebuild_learns_from_the_sites_own_decisions(article, moderator):
    for text in HAM[:3]:
        post(article, text)
    for text in SPAM[:2]:
        actions.mark_spam(post(article, text), actor=moderator)
    LearnedModel.objects.all().delete()
    assert "from 5 comments" in run("rebuild")
    row = LearnedModel.objects.get()
    assert (row.published_examples, row.unpublished_examples) == (3, 2)
    assert "3 published and 2 unpublished" in run("status")


def test_status_says_when_the_stored_filter_cannot_score(article, moderator):
    """As after an upgrade that changed the features, before `migrate` retrains it."""
    for text in HAM[:3]:
        post(article, text)
    actions.mark_spam(post(article, SPAM[0]), actor=moderator)
    assert "cannot score" not in run("status")
    old = SpamFilter.loads(LearnedModel.objects.get().blob)
    old.features_version -= 1
    LearnedModel.objects.filter(pk=1).update(blob=old.dumps())
    said = run("status")
    assert "cannot score" in said and "broadsheet migrate" in said
    assert "features v" in said


def test_columns_can_be_named_or_numbered_and_tabs_or_semicolons_separate(tmp_path):
    # A collection with its own column names: named on the command line.
    named = write_csv(
        tmp_path / "named.csv",
        ["id", "words", "verdict"],
        [("1", "WIN a prize now", "Spam"), ("2", "see you at noon", "Not spam")],
    )
    with pytest.raises(LabelledFileError, match=r"no text column .*--text-column"):
        read_labelled(named)
    data = read_labelled(named, text_column="Words", label_column="verdict")
    assert (data.texts, data.labels) == (["WIN a prize now", "see you at noon"], [1, 0])
    # Tab-separated with no header (the SMS Spam Collection's shape): columns by number.
    tsv = tmp_path / "raw.tsv"
    tsv.write_text(
        'spam\tFree entry, text WIN to 8000\nham\t"Keep ur problems in ur heart\n'
        'ham\tOk lar... "joking"\n',
        encoding="utf-8",
    )
    data = read_labelled(tsv, text_column="2", label_column="1")
    # Quote marks are text: an opening quote does not swallow the lines after it.
    assert data.texts == [
        "Free entry, text WIN to 8000",
        '"Keep ur problems in ur heart',
        'Ok lar... "joking"',
    ]
    assert data.labels == [1, 0, 0]
    # A numbered label column under a header: the header is not read as a comment.
    headed = write_csv(tmp_path / "headed.csv", ["kind", "words"], [("ham", "fine, thanks")])
    assert read_labelled(headed, text_column="2", label_column="1").texts == ["fine, thanks"]
    with pytest.raises(LabelledFileError, match="no column 3 for the text"):
        read_labelled(headed, text_column="3", label_column="1")
    # Semicolons, as spreadsheets in many countries write CSV.
    semi = tmp_path / "semi.csv"
    semi.write_text('text;label\n"hello, all";0\nbuy now;1\n', encoding="utf-8")
    assert read_labelled(semi).texts == ["hello, all", "buy now"]
    # Several abuse labels: the broadest ("toxic") is the one read.
    jigsaw = write_csv(
        tmp_path / "abuse.csv",
        ["comment_text", "toxic", "insult"],
        [("you fool", "1", "1"), ("this is rubbish", "1", "0"), ("thanks", "0", "0")],
    )
    assert read_labelled(jigsaw).labels == [1, 1, 0]


def test_train_and_evaluate_take_the_column_options(tmp_path, labelled):
    data = read_labelled(labelled)
    renamed = write_csv(
        tmp_path / "renamed.csv",
        ["words", "verdict"],
        [(t, "spam" if y else "ham") for t, y in zip(data.texts, data.labels, strict=True)],
    )
    model = tmp_path / "renamed.model"
    with pytest.raises(CommandError, match="no text column"):
        run("train", str(renamed), "--model", str(model))
    assert not model.exists()
    columns = ["--text-column", "words", "--label-column", "verdict"]
    run("train", str(renamed), "--model", str(model), *columns)
    result = json.loads(run("evaluate", str(renamed), "--model", str(model), "--json", *columns))
    assert result["examples"] == len(data) and result["roc_auc"] > 0.9


def test_rows_without_text_are_left_out_and_counted(tmp_path, capsys):
    path = write_csv(
        tmp_path / "gaps.csv",
        ["text", "label"],
        [("WIN a prize now", "1"), ("", "0"), ("   ", "1"), ("see you at noon", "0")],
    )
    data = read_labelled(path)
    assert (data.texts, data.labels, data.empty) == (
        ["WIN a prize now", "see you at noon"], [1, 0], 2,
    )  # fmt: skip
    err = StringIO()
    call_command("moderation", "train", str(path), stdout=StringIO(), stderr=err)
    assert "2 rows with no text left out." in err.getvalue()


def test_precision_with_nothing_at_the_threshold_reads_n_a_as_in_the_table(tmp_path, labelled):
    run("train", str(labelled))
    out = run("evaluate", str(labelled), "--threshold", "1")
    assert "precision n/a (nothing at or above it)" in out
    assert (
        json.loads(run("evaluate", str(labelled), "--threshold", "1", "--json"))["precision"] == 0
    )


def test_a_spreadsheets_windows_1252_csv_is_read_and_said_so(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "text,label\n\u201cCaf\u00e9\u201d prices are up,0\nWIN \u20ac500 now,1\n".encode("cp1252")
    )
    data = read_labelled(path)
    assert data.texts == ["\u201cCaf\u00e9\u201d prices are up", "WIN \u20ac500 now"]
    assert data.encoding == "cp1252" and data.labels == [0, 1]
    err = StringIO()
    call_command("moderation", "train", str(path), stdout=StringIO(), stderr=err)
    assert "not UTF-8; read as Windows-1252" in err.getvalue()
    assert (
        read_labelled(write_csv(tmp_path / "plain.csv", ["text", "label"], [("ok", "0")])).encoding
        == "utf-8"
    )
    # Bytes that are neither: a clear error, nothing learned.
    (tmp_path / "bytes.csv").write_bytes(b"text,label\n\x81\xff\xfe,1\n")
    with pytest.raises(LabelledFileError, match="neither UTF-8 nor Windows-1252"):
        read_labelled(tmp_path / "bytes.csv")


def test_a_row_with_more_columns_than_the_header_is_refused_not_misread(tmp_path):
    path = tmp_path / "comma.csv"
    path.write_text('comment_text,target\n"hi there",0.1\n"you idiot",0,7\n', encoding="utf-8")
    with pytest.raises(LabelledFileError, match=r"line 3: 3 columns where the first line has 2"):
        read_labelled(path)
    # A trailing empty cell, as some spreadsheets write, is no such mistake.
    trailing = tmp_path / "trailing.csv"
    trailing.write_text("text,label\nhello there,0,\nbuy now,1,\n", encoding="utf-8")
    assert read_labelled(trailing).labels == [0, 1]
