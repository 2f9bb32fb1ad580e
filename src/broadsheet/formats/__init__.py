"""Date and time formats where Broadsheet's differ from Django's for a language
(``FORMAT_MODULE_PATH``); every other language keeps Django's own."""
