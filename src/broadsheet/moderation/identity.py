"""Who wrote a comment, as keyed hashes: blocks and reports never store an e-mail or IP in clear."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from typing import Any

from django.utils.crypto import salted_hmac

_SALT = "broadsheet.moderation.identity"


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 of ``kind:value`` keyed with SECRET_KEY (64 hex characters)."""
    return salted_hmac(_SALT, f"{kind}:{value}", algorithm="sha256").hexdigest()


def normal_email(email: str) -> str:
    return email.strip().lower()


# Domains whose mailboxes ignore dots in the name: "j.doe@" and "jdoe@" are one inbox.
_DOTLESS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


# What a name can hold only between quotes.
_NEEDS_QUOTES = re.compile(r'[\s"\\(),:;<>@\[\]]')


def mailbox(email: str) -> str:
    """The inbox ``email`` reaches, as its spelling tells: in lower case, without a
    "+tag" after the name (RFC 5233 subaddressing, which Gmail, Outlook, iCloud, Fastmail
    and Proton deliver to the untagged inbox), and for Gmail without dots in the name.

    Reply e-mail keeps one state per inbox, not per spelling: otherwise a bot posting
    with "jane+1@", "jane+2@" ... would have the site send Jane a confirmation for each
    spelling each day, where she is to get one; and her "stop all e-mail" would stop
    one spelling only. Blocks and rate limits count an author by inbox too, so that a
    blocked "troll@" cannot come back as "troll+2@". Two inboxes merged by mistake (a
    server that takes "+" as part of a name) share one confirmation a day, one stop and
    one block, which costs little."""
    address = normal_email(email)
    name, at, domain = address.rpartition("@")
    if not at or not name:
        return address
    domain = _unicode_domain(domain)
    if len(name) > 2 and name[0] == name[-1] == '"':
        # A quoted name is the same name unquoted (RFC 5322 3.4.1): "troll+2"@ is troll@;
        # one that needs its quotes (a space, an "@" in it) is kept whole.
        if _NEEDS_QUOTES.search(name[1:-1]):
            return f"{name}@{domain}"
        name = name[1:-1]
    name = name.split("+", 1)[0] or name
    if domain in _DOTLESS:
        name, domain = name.replace(".", "") or name, _DOTLESS[domain]
    return f"{name}@{domain}"


def _unicode_domain(domain: str) -> str:
    """An internationalised domain as its letters spell it: the ASCII form a mail
    program may send (``xn--bcher-kva.de``) read back to ``bücher.de``, and letters
    composed alike (NFKC, as IDNA's mapping composes them), so that one domain is one
    key however it is written. A label that is no valid ASCII form is kept as written."""
    labels = unicodedata.normalize("NFKC", domain).lower().split(".")
    for n, label in enumerate(labels):
        if label.startswith("xn--") and label.isascii():
            try:
                # Punycode itself, not the idna codec, which gives back IDNA 2003's
                # reading only (xn--strae-oqa, straße, would stay as sent).
                read = label[4:].encode("ascii").decode("punycode")
            except UnicodeError:
                continue
            if read:
                labels[n] = unicodedata.normalize("NFKC", read).lower()
    return ".".join(labels)


def normal_ip(ip: str) -> str:
    """The address, or for IPv6 its /64: one household or phone gets one key.

    An IPv4 address seen through IPv6 (``::ffff:192.0.2.7``, from a dual-stack
    server or an import) is that IPv4 address: its /64 is ``::`` for every such
    address, and one block would have blocked them all.
    """
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip.strip()
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def inbox_key(email: str) -> str:
    """What blocks, rate limits and reply e-mail know an e-mail address by: its inbox's
    keyed hash (``mailbox``)."""
    return keyed_hash("email", mailbox(email))


def spelling_key(email: str) -> str:
    """What an e-mail address was known by before 2026-11-27: its spelling in lower case,
    hashed; blocks and reply e-mail states made then are kept under it."""
    return keyed_hash("email", normal_email(email))


def author_keys(*, user: Any = None, email: str = "", ip: str | None = None) -> dict[str, str]:
    """The hashes an author can be blocked by: account, e-mail and address, when known."""
    keys = {}
    if getattr(user, "is_authenticated", False) or isinstance(user, int):
        keys["user"] = account_hashes(getattr(user, "pk", user))["user"]
    if email:
        keys["email"] = inbox_key(email)
    if ip:
        keys["ip"] = keyed_hash("ip", normal_ip(ip))
    return keys


def block_keys(*, user: Any = None, email: str = "", ip: str | None = None) -> list[str]:
    """The keys a block of this author may be stored under: ``author_keys``, and the
    e-mail address as spelled, which blocks made before 2026-11-27 were keyed by (one of
    "troll+1@" blocks that spelling still; one of "troll@" now blocks every tag of it)."""
    keys = list(author_keys(user=user, email=email, ip=ip).values())
    if email:
        keys.append(spelling_key(email))
    return keys


def account_hashes(pk: int) -> dict[str, str]:
    """Every hash made from an account's id, by kind: its block (``user``) and the
    reports it made (``reporter-user``). An account that comes back under another id
    (a JSON restore) needs each made anew."""
    return {kind: keyed_hash(kind, str(pk)) for kind in ("user", "reporter-user")}
