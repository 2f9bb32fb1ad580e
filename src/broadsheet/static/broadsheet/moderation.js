// Keyboard for the moderation queue. Without this file every button still
// works: each decision is a plain form button, and bulk actions use the
// checkboxes. j/k move, x selects, a/r/s decide on the current comment, u undoes.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".queue-item"));
  var undoForm = document.getElementById("undo-form");
  if (!items.length && !undoForm) return;
  var current = -1;

  function focus(i) {
    if (!items.length) return;
    current = Math.max(0, Math.min(items.length - 1, i));
    items.forEach(function (li, n) { li.classList.toggle("current", n === current); });
    items[current].focus();
    items[current].scrollIntoView({ block: "nearest" });
  }

  function press(key) {
    if (current < 0) return false;
    var button = items[current].querySelector("button[data-key='" + key + "']");
    if (!button) return false;
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
        if (undoForm) undoForm.submit(); else handled = false;
        break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });

  items.forEach(function (li, n) {
    li.addEventListener("click", function () { current = n; focus(n); });
  });
  // After a decision the page reloads on the same tab: start on the first comment.
  if (items.length) focus(0);
})();
