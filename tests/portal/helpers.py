from __future__ import annotations

from laneway.auth.service import create_key, revoke_key
from laneway.members.models import Membership
from tests.conftest import WorkspaceFixture

GARBAGE_KEY = {"Authorization": "Bearer pl_this-key-does-not-exist"}
MALFORMED = {"Authorization": "Basic dXNlcjpwYXNz"}


def revoked_key_headers(workspace: WorkspaceFixture) -> dict[str, str]:
    with workspace.database.unit_of_work() as session:
        membership = session.get(Membership, workspace.admin.membership_id)
        assert membership is not None
        key, clear = create_key(session, membership)
        revoke_key(session, key.id)
    return {"Authorization": f"Bearer {clear}"}


def key_variants(workspace: WorkspaceFixture, other: WorkspaceFixture) -> list[dict[str, str]]:
    """Every kind of Authorization a public route must ignore: none, its own workspace's key,
    another workspace's key, an unknown key, a revoked key and a malformed header."""
    return [
        {},
        workspace.admin.headers,
        other.admin.headers,
        GARBAGE_KEY,
        revoked_key_headers(workspace),
        MALFORMED,
    ]
