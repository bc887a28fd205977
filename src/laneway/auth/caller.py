from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: the member behind the API key, and the workspace it acts on."""

    workspace_id: str
    user_id: str
    membership_id: str
    role: str
    key_id: str
