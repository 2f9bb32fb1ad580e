"""Who wrote a comment, as keyed hashes: blocks and reports never store an e-mail or IP in clear."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.utils.crypto import salted_hmac

_SALT = "broadsheet.moderation.identity"


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 of ``kind:value`` keyed with SECRET_KEY (64 hex characters)."""
    return salted_hmac(_SALT, f"{kind}:{value}", algorithm="sha256").hexdigest()


def normal_email(email: str) -> str:
    return email.strip().lower()


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


def author_keys(*, user: Any = None, email: str = "", ip: str | None = None) -> dict[str, str]:
    """The hashes an author can be blocked by: account, e-mail and address, when known."""
    keys = {}
    if getattr(user, "is_authenticated", False) or isinstance(user, int):
        keys["user"] = account_hashes(getattr(user, "pk", user))["user"]
    if email:
        keys["email"] = keyed_hash("email", normal_email(email))
    if ip:
        keys["ip"] = keyed_hash("ip", normal_ip(ip))
    return keys


def account_hashes(pk: int) -> dict[str, str]:
    """Every hash made from an account's id, by kind: its block (``user``) and the
    reports it made (``reporter-user``). An account that comes back under another id
    (a JSON restore) needs each made anew."""
    return {kind: keyed_hash(kind, str(pk)) for kind in ("user", "reporter-user")}
