// Keyboard for the moderation queue. Without this file every button still
// works: each decision is a plain form button, and bulk actions use the
// checkboxes. j/k move, x selects, a/r/s decide on the current comment, u undoes.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".queue-item"));
  var undoForm = document.getElementById("undo-form");
  if (!items.length && !undoForm) return;
  var current = -1;

  // The comment the keys act on, marked.
  function mark(i) {
    current = Math.max(0, Math.min(items.length - 1, i));
    items.forEach(function (li, n) { li.classList.toggle("current", n === current); });
  }

  // "quiet": mark it only, neither scrolling to it nor moving the focus there: a page
  // just opened starts at its top, its heading and tabs in view (on a phone too), and
  // its first Tab is the page's first link ("Skip to content"), not a comment's box.
  function focus(i, quiet) {
    if (!items.length) return;
    mark(i);
    if (quiet) return;
    items[current].focus({ preventScroll: true });
    items[current].scrollIntoView({ block: "nearest" });
  }

  function keepPlace() {
    try { window.sessionStorage.setItem(PLACE, String(current)); } catch (e) { /* private mode */ }
  }

  // The place in the list is kept across the reload a decision causes: the decided
  // comment leaves the tab, so the one after it is then where it was.
  var PLACE = "broadsheet-queue-place:" + window.location.pathname + window.location.search;

  function press(key) {
    if (current < 0) return false;
    var button = items[current].querySelector("button[data-key='" + key + "']");
    if (!button) return false;
    keepPlace();
    button.click();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) &&
        target.type !== "checkbox")) return;
    var handled = true;
    switch (event.key) {
      case "j": focus(current + 1); break;
      case "k": focus(current - 1); break;
      case "x":
        if (current >= 0) {
          var box = items[current].querySelector("input[type=checkbox]");
          if (box) box.checked = !box.checked;
        }
        break;
      case "a": case "r": case "s": handled = press(event.key); break;
      case "u":
        if (undoForm) { keepPlace(); undoForm.submit(); } else handled = false;
        break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });

  items.forEach(function (li, n) {
    li.addEventListener("click", function () { current = n; focus(n); });
    // Reached with Tab, a comment is the one the keys act on: a/r/s pressed on its
    // buttons decide it, not the comment marked before.
    li.addEventListener("focusin", function () { if (current !== n) mark(n); });
  });
  // A comment's own button, clicked, keeps the place as its key does.
  var queueForm = document.getElementById("queue-form");
  if (queueForm) {
    queueForm.addEventListener("submit", function (event) {
      var item = event.submitter && event.submitter.closest(".queue-item");
      if (item && items.indexOf(item) >= 0) { current = items.indexOf(item); keepPlace(); }
    });
  }
  var place = null;
  try {
    place = window.sessionStorage.getItem(PLACE);
    window.sessionStorage.removeItem(PLACE);
  } catch (e) { /* private mode: start at the top */ }
  // No place kept (the Undo button of a message was clicked, say): the server drew the
  // message in the comment it is about, and the page opened there (#said).
  var drawnIn = document.getElementById("said");
  drawnIn = drawnIn && drawnIn.closest(".queue-item");
  if (place === null && drawnIn && items.indexOf(drawnIn) >= 0) place = String(items.indexOf(drawnIn));
  if (items.length) focus(parseInt(place || "0", 10) || 0, place === null);
  if (place !== null) bringMessages();

  // Back where the moderator was after a decision or an undo, the message saying what
  // was done (drawn at the top of the page, out of sight far down the list) moves to a
  // status line held at the bottom of the window. The line is put in the page empty
  // and filled a moment later: screen readers announce a live region's changes, not
  // what it held when the page loaded. The focus stays on the comment.
  function bringMessages() {
    var drawn = document.querySelector(".messages");
    if (!drawn || !queueForm) return;
    var said = document.createElement("div");
    said.className = "queue-said";
    said.setAttribute("role", "status");
    said.setAttribute("aria-live", "polite");
    queueForm.parentNode.insertBefore(said, queueForm.nextSibling);
    drawn.parentNode.removeChild(drawn);
    window.setTimeout(function () {
      while (drawn.firstChild) said.appendChild(drawn.firstChild);
      said.classList.add("messages");
      // The line covers the window's foot: the comment in hand stays clear of it.
      document.documentElement.style.scrollPaddingBottom = said.offsetHeight + "px";
      if (current >= 0) items[current].scrollIntoView({ block: "nearest" });
    }, 150);
  }

  // Bulk decisions: tick every comment of the page at once.
  var bulk = document.querySelector("fieldset.bulk");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=ids]"));
  if (bulk && boxes.length) {
    var label = document.createElement("label");
    var all = document.createElement("input");
    all.type = "checkbox";
    all.className = "pick-all";
    label.appendChild(all);
    // In the site's language: the page names it (as its own link says it) on the fieldset.
    var words = bulk.getAttribute("data-select-all") || "Select all " + boxes.length + " on this page";
    label.appendChild(document.createTextNode(" " + words));
    all.checked = boxes.every(function (box) { return box.checked; });
    // The page's own link does the same without JavaScript; the box replaces it.
    var link = bulk.querySelector("a.pick-all-link");
    if (link) { bulk.removeChild(link); }
    bulk.insertBefore(label, bulk.querySelector("button"));
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  }
})();
