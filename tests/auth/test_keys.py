from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from laneway.auth.models import ApiKey
from laneway.auth.service import hash_key, revoke_key
from tests.conftest import WorkspaceFixture
from tests.threads.helpers import post_thread


def test_keys_start_with_pl_and_only_their_hash_is_stored(workspace: WorkspaceFixture) -> None:
    assert workspace.admin.key.startswith("pl_")
    assert len(workspace.admin.key) > 40
    with workspace.database.unit_of_work(write=False) as session:
        stored = session.scalars(select(ApiKey).where(ApiKey.workspace_id == workspace.id)).all()
    assert [k.key_hash for k in stored] == [hash_key(workspace.admin.key)]
    assert all(workspace.admin.key not in (k.key_hash, k.prefix) for k in stored)


def test_a_revoked_key_is_401_and_others_keep_working(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    second = workspace.add_member("second@laneway.example")
    assert post_thread(client, second).status_code == 200
    with workspace.database.unit_of_work() as session:
        key_id = session.scalar(select(ApiKey.id).where(ApiKey.key_hash == hash_key(second.key)))
        assert key_id is not None
        revoke_key(session, key_id)
    answer = post_thread(client, second)
    assert answer.status_code == 401
    assert answer.json()["code"] == "UNAUTHORIZED"
    assert post_thread(client, workspace.admin).status_code == 200


def test_a_key_acts_on_its_own_workspace_only(
    client: TestClient, workspace: WorkspaceFixture, other_workspace: WorkspaceFixture
) -> None:
    mine = post_thread(client, workspace.admin).json()
    theirs = post_thread(client, other_workspace.admin).json()
    assert (mine["workspaceId"], theirs["workspaceId"]) == (workspace.id, other_workspace.id)
