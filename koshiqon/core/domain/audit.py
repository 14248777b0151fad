"""The audit chain: each event's hash covers its content and the previous event's hash.

Editing or deleting an event breaks the chain at that point, which `verify_chain` reports as the first broken
link. The canonical form is JSON with sorted keys, so the hash does not depend on dict order or the database.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(content: Mapping[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def chain_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(content)).hexdigest()


@dataclass(frozen=True)
class ChainLink:
    seq: int
    prev_hash: str
    hash: str
    content: Mapping[str, Any]


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    reason: str
    lane: int = 1


def verify_chain(links: Iterable[ChainLink], *, start_hash: str = GENESIS, start_seq: int = 0) -> BrokenLink | None:
    """Walk the links in sequence order and return the first broken one, or None when the chain holds.

    Three things break a link: its content no longer matches its hash (edited), its `prev_hash` is not the
    hash of the event before it (an event was deleted or inserted), or its sequence skips a number (deleted).
    """
    expected_prev, expected_seq = start_hash, start_seq + 1
    for link in links:
        if link.seq != expected_seq:
            return BrokenLink(expected_seq, f"event {expected_seq} is missing (next present is {link.seq})")
        if link.prev_hash != expected_prev:
            return BrokenLink(link.seq, "previous-hash does not match the event before it")
        if chain_hash(link.prev_hash, link.content) != link.hash:
            return BrokenLink(link.seq, "content does not match its hash (edited)")
        expected_prev, expected_seq = link.hash, link.seq + 1
    return None
