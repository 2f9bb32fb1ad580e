/* The slug the admin writes from a title, its letters composed first (NFKC, as the
   server's slugify composes them): "Cafe" followed by a combining acute accent, as
   some keyboards and pasted text give it, makes "café", as "Café" does, where Django's
   URLify dropped the accent as a mark that is not a letter and made "cafe". */
"use strict";
{
    const urlify = window.URLify;
    if (typeof urlify === "function") {
        window.URLify = (text, length, allowUnicode) =>
            urlify(String(text).normalize("NFKC"), length, allowUnicode);
    }
}
