// Progressive enhancement for the discussion. Without this file every link
// still works: "Reply" and "Quote" open the form on a page of its own.
(function () {
  "use strict";
  // A comment's address as WordPress or Disqus wrote it (/2016/12/hello/#comment-42,
  // which an import keeps working) names no page of the discussion, and Disqus's
  // number is not the comment's own. When this page does not hold the comment, the
  // site says where it is: on this article only.
  var wanted = /^#comment-(\d+)$/.exec(window.location.hash);
  var section = document.getElementById("comments");
  if (!wanted || !section || document.getElementById(wanted[0].slice(1)) || !window.fetch) return;
  var where = section.getAttribute("data-permalink").replace(/0$/, wanted[1]) +
    "?on=" + encodeURIComponent(section.getAttribute("data-article"));
  fetch(where, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (found) {
      if (!found || typeof found.url !== "string") return;
      var target = new URL(found.url, window.location.href);
      var here = window.location;
      if (target.origin === here.origin && target.pathname === here.pathname) {
        here.replace(target.pathname + target.search + target.hash);
      }
    }).catch(function () { /* the page stays as it is */ });
})();

(function () {
  "use strict";
  var form = document.querySelector("#comments .comment-form");
  if (!form) return;
  // The words the script writes, in the site's language: the form carries them.
  function say(name, fallback, values) {
    var text = form.getAttribute("data-" + name) || fallback;
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }
  // The form goes with its heading and the note that comments are held (it holds for
  // replies too), as WordPress moves its #respond: under a comment the heading says whom
  // the form answers, "Leave a Reply to Jane", with the button that cancels it beside it.
  var box = form.closest(".respond");
  var home = box.parentNode, homeNext = box.nextSibling;
  var heading = document.getElementById("respond");
  var parentInput = form.querySelector("input[name=parent_id]");
  var body = form.querySelector("textarea[name=body]");
  var cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "cancel-reply";
  cancel.textContent = say("cancel-reply", "Cancel reply");
  // The page's own "Cancel reply" (a reply sent back to be mended) is a link that loads
  // the article afresh; the button puts the form back and keeps what was typed.
  var served = box.querySelector("a.cancel-reply");
  if (served) served.replaceWith(cancel);
  else heading.after(cancel);
  cancel.hidden = !served;

  // The link that opened the form under a comment: the focus goes back to it on cancel,
  // where it would otherwise fall to the top of the page with the button it was on.
  var opener = null;

  // The comment box is described by the heading while the form answers someone: the
  // focus goes to the box, past the heading, and a screen reader reads it there, after
  // the box's error if it has one (as the page without scripts says it).
  function describedByHeading(on) {
    var ids = (body.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
      return id && id !== heading.id;
    });
    var at = 0;
    while (at < ids.length && /_error$/.test(ids[at])) at++;
    if (on) ids.splice(at, 0, heading.id);
    body.setAttribute("aria-describedby", ids.join(" "));
  }

  // Under a comment the form is a part of the discussion its list belongs to ("5 Comments",
  // an h2): its heading is one level down there, and back at the top an h2 again.
  function headAt(level) {
    if (heading.tagName === "H" + level) return;
    var next = document.createElement("h" + level);
    Array.prototype.forEach.call(heading.attributes, function (a) { next.setAttribute(a.name, a.value); });
    while (heading.firstChild) next.appendChild(heading.firstChild);
    heading.replaceWith(next);
    heading = next;
  }

  // ``author``, when the words name one, is written isolated (<bdi>), as the page without
  // scripts writes it: a name's brackets and digits keep their place in either direction.
  function headWith(words, author) {
    var parts = words.split("{author}");
    heading.textContent = parts[0];
    if (parts.length > 1) {
      var name = document.createElement("bdi");
      name.textContent = author;
      heading.appendChild(name);
      heading.appendChild(document.createTextNode(parts.slice(1).join(author)));
    }
  }

  function replyTo(li, author, id) {
    parentInput.value = id;
    headWith(say("leave-reply-to", "Leave a Reply to {author}"), author);
    headAt(3);
    cancel.hidden = false;
    describedByHeading(true);
    li.querySelector("article").after(box);
  }

  cancel.addEventListener("click", function () {
    parentInput.value = "";
    headWith(say("leave-reply", "Leave a Reply"));
    headAt(2);
    cancel.hidden = true;
    describedByHeading(false);
    home.insertBefore(box, homeNext);
    if (opener && document.contains(opener)) opener.focus();
    else body.focus();
    opener = null;
  });

  // Back with errors: bring the form into view, on the first field to mend (or the message).
  var wrong = form.querySelector(".has-error input, .has-error textarea, .errors");
  if (wrong) {
    window.setTimeout(function () {
      wrong.scrollIntoView({ block: "center" });
      wrong.focus();  // the message for the whole form can take it (tabindex -1)
    }, 0);
  }

  // Back from a reply that failed to post: keep the form under the comment it answers.
  // (Should the comment not be on this page, the heading the page drew names and links it.)
  var answering = parentInput.value && document.getElementById("comment-" + parentInput.value);
  if (answering) {
    replyTo(answering, answering.querySelector(".author").textContent.trim(), parentInput.value);
  }

  function quoted(lines) {
    return lines.map(function (l) { return l ? "> " + l : ">"; });
  }

  // The lines of a comment's text (or of a passage of it), paragraph by paragraph, with
  // the block quotes it holds kept as quotes, as the page without scripts quotes it: the
  // words a comment quotes are not its author's, and must not read as theirs.
  var BLOCK = /^(P|DIV|PRE|UL|OL|LI|H[1-6]|TABLE|THEAD|TBODY|TR|HR)$/;
  function linesOf(node) {
    var blocks = [], text = "";
    function end() {
      var words = text.replace(/^\s+|\s+$/g, "");
      if (words) blocks.push(words.split("\n"));
      text = "";
    }
    Array.prototype.forEach.call(node.childNodes, function (child) {
      if (child.nodeType === Node.TEXT_NODE) {
        // A line break is written "<br>" and a new line: one break, not two.
        var after = child.previousSibling && child.previousSibling.nodeName === "BR";
        text += after ? child.nodeValue.replace(/^\n/, "") : child.nodeValue;
      } else if (child.nodeType !== Node.ELEMENT_NODE) {
        return;
      } else if (child.tagName === "BR") {
        text += "\n";
      } else if (child.tagName === "BLOCKQUOTE") {
        end();
        var inner = linesOf(child);
        if (inner.length) blocks.push(quoted(inner));
      } else if (BLOCK.test(child.tagName)) {
        end();
        var lines = linesOf(child);
        if (lines.length) blocks.push(lines);
      } else {
        text += child.textContent;
      }
    });
    end();
    return blocks.reduce(function (all, block) { return all.length ? all.concat([""], block) : block; }, []);
  }

  function quoteOf(li, link) {
    var selection = window.getSelection();
    var bodyEl = li.querySelector(".comment-body");
    var lines;
    if (selection && !selection.isCollapsed && bodyEl.contains(selection.anchorNode)) {
      // Only what lies inside this comment's text, however far the selection ran.
      var range = selection.getRangeAt(0).cloneRange();
      if (!bodyEl.contains(range.startContainer)) range.setStart(bodyEl, 0);
      if (!bodyEl.contains(range.endContainer)) range.setEnd(bodyEl, bodyEl.childNodes.length);
      var holder = document.createElement("div");
      holder.appendChild(range.cloneContents());
      lines = linesOf(holder);
      // A passage from inside a quote the comment holds stays that deep in quotes.
      for (var at = range.commonAncestorContainer; at && at !== bodyEl; at = at.parentNode) {
        if (at.nodeName === "BLOCKQUOTE") lines = quoted(lines);
      }
    } else {
      lines = linesOf(bodyEl);
    }
    var author = li.querySelector(".author").textContent.trim();
    lines = quoted(lines);
    // The name shown as it is, on one line: no Markdown in it can make a link or end the quote.
    var name = author.replace(/\s+/g, " ").replace(/[!-\/:-@\[-`{-~]/g, "\\$&");
    return "> [" + say("wrote", "{name} wrote:", { name: name }) + "](" + link + ")\n>\n" + lines.join("\n");
  }

  // A quote goes where the reader's cursor is in the comment box, once they have put it
  // there (typed, clicked, moved it), and otherwise after what the box holds: never over
  // words selected in the box. It stands on lines of its own, a blank line either side
  // (run into a sentence, Markdown would take the sentence into the quote), and the
  // cursor waits after it for the answer.
  var placed = false;
  ["input", "keyup", "mouseup"].forEach(function (type) {
    body.addEventListener(type, function (event) {
      // Tabbing into the box puts no cursor anywhere the reader chose.
      if (event.key !== "Tab" && event.key !== "Shift") placed = true;
    });
  });
  function insertQuote(quote) {
    var at = placed ? body.selectionEnd : body.value.length;
    var before = body.value.slice(0, at).replace(/[ \t]+$/, "");
    var after = body.value.slice(at).replace(/^[ \t]*\n*/, "");
    if (before) before += /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    body.value = before + quote + "\n\n" + after;
    body.focus();
    var caret = before.length + quote.length + 2;
    body.setSelectionRange(caret, caret);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.reply-link, a.quote-link");
    if (!link) return;
    var li = link.closest("li.comment");
    var id = li.id.replace("comment-", "");
    var author = li.querySelector(".author").textContent.trim();
    var quoting = link.classList.contains("quote-link");
    event.preventDefault();
    // Quoting a second comment in a reply already under way adds its quote (which links
    // to it) and leaves the reply answering the comment it answered, where it is: the
    // form does not jump away from what the reader is writing. A form that answers no
    // one yet, or whose box is empty, answers the comment quoted, as Reply would.
    var underWay = parentInput.value && parentInput.value !== id && body.value.trim();
    if (!(quoting && underWay)) {
      replyTo(li, author, id);
      opener = link;
    }
    if (quoting) insertQuote(quoteOf(li, li.querySelector("a.permalink").getAttribute("href")));
    body.focus();
  });

  // Quoting a passage of the article: select it, then press the button. Selecting text
  // is hard without a mouse, so the button pressed with nothing selected offers the
  // article's paragraphs to choose from instead (shown only then: no clutter for the
  // readers who select).
  var storyBody = document.querySelector(".story .body");
  if (storyBody) {
    var quoteButton = document.createElement("button");
    quoteButton.type = "button";
    quoteButton.className = "quote-article";
    quoteButton.textContent = say("quote-article", "Quote the selected passage of the article");
    // Pressed with nothing selected, the button says so in a live region beside it: its
    // own name, changed under the focus, is not read out again, and stays its name.
    var hint = document.createElement("span");
    hint.className = "quote-hint";
    hint.setAttribute("role", "status");
    var picker = null;
    quoteButton.addEventListener("mousedown", function (event) { event.preventDefault(); });
    quoteButton.addEventListener("click", function () {
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed || !storyBody.contains(selection.anchorNode)) {
        hint.textContent = say("select-first", "No passage of the article is selected: choose a paragraph to quote, or select a passage and press again.");
        if (!picker) picker = paragraphPicker();
        picker.hidden = false;
        picker.querySelector("select").focus();
        return;
      }
      hint.textContent = "";
      insertQuote(quoted(selection.toString().trim().split("\n")).join("\n"));
    });
    var submitRow = form.querySelector("button[type=submit]").parentNode;
    submitRow.insertBefore(quoteButton, submitRow.firstChild);
    quoteButton.after(hint);
  }

  // A list of the article's paragraphs (and list items), each by its first words, and a
  // button that quotes the one chosen whole, without its footnotes' numbers.
  function paragraphPicker() {
    var blocks = Array.prototype.filter.call(storyBody.querySelectorAll("p, li"), function (block) {
      return !block.closest(".footnotes") && !block.querySelector("p") && block.textContent.trim();
    });
    var picker = document.createElement("span");
    picker.className = "quote-picker";
    var label = document.createElement("label");
    label.htmlFor = "quote-paragraph";
    label.textContent = say("paragraph-to-quote", "Paragraph to quote");
    var choice = document.createElement("select");
    choice.id = "quote-paragraph";
    // The list reads in the article's direction (an English article on a Hebrew site),
    // each paragraph's first words in their own.
    choice.dir = window.getComputedStyle(storyBody).direction;
    blocks.forEach(function (block, at) {
      var words = block.textContent.trim().replace(/\s+/g, " ");
      var option = document.createElement("option");
      option.dir = "auto";
      option.value = String(at);
      option.textContent = (at + 1) + ". " + (words.length > 70 ? words.slice(0, 70).replace(/\s\S*$/, "") + " …" : words);
      choice.appendChild(option);
    });
    var quote = document.createElement("button");
    quote.type = "button";
    quote.textContent = say("quote-paragraph", "Quote this paragraph");
    quote.addEventListener("click", function () {
      var copy = blocks[Number(choice.value)].cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll(".footnote-ref, .footnote-backref"), function (mark) {
        mark.remove();
      });
      var holder = document.createElement("div");
      holder.appendChild(copy);
      hint.textContent = "";
      insertQuote(quoted(linesOf(holder)).join("\n"));
    });
    picker.appendChild(label);
    picker.appendChild(document.createTextNode(" "));
    picker.appendChild(choice);
    picker.appendChild(document.createTextNode(" "));
    picker.appendChild(quote);
    hint.after(picker);
    return picker;
  }
})();
