"""Content hashes: a version changes when the meaning changes, not when whitespace or key order does."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def version_of(parsed: Any, body: str = "") -> str:
    """Hash of a canonical JSON of the parsed YAML (sorted keys) plus the Markdown body."""
    try:
        canonical = json.dumps(
            {"data": parsed, "body": body},
            sort_keys=True,
            default=str,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    except TypeError:  # keys of mixed types cannot be sorted; still deterministic
        canonical = repr((parsed, body))
    return digest(canonical.encode("utf-8"))[:16]
