"""Registering webhook endpoints: who may, what is accepted, and retries."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from laneway.webhooks.models import Webhook
from tests.conftest import WorkspaceFixture


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "javascript:alert(1)", "http://a:abc/", "http://a:99999/", "http://exa mple.com/",
    "http://x/\r\nX-Injected: 1", "http://x/\x7f", "http://./", "ftp://example.com/", "http:///path",
    "x" * 3000, "http://user:secret@hooks.example/", "http://token@hooks.example/", "http://hooks.example:0/",
])  # fmt: skip
def test_urls_that_cannot_be_called_are_400(
    client: TestClient, workspace: WorkspaceFixture, url: str
) -> None:
    response = client.post("/api/v1/webhooks", json={"url": url}, headers=workspace.admin.headers)
    assert response.status_code == 400, url
    assert workspace.count(Webhook) == 0


@pytest.mark.parametrize("events", [["nope.nope"], ["thread"], [], ["THREAD.*"]])
def test_event_patterns_must_name_something(
    client: TestClient, workspace: WorkspaceFixture, events: list[str]
) -> None:
    response = client.post(
        "/api/v1/webhooks",
        json={"url": "https://hooks.example/in", "events": events},
        headers=workspace.admin.headers,
    )
    assert response.status_code == 400
    assert workspace.count(Webhook) == 0


def test_internal_hosts_are_allowed_for_self_hosted_networks(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    for url in ("http://localhost:9000/hook", "http://10.0.0.5/hook", "http://[::1]:8080/x"):
        response = client.post(
            "/api/v1/webhooks", json={"url": url, "events": ["thread.*"]}, headers=workspace.admin.headers
        )
        assert response.status_code == 200, (url, response.text)


def test_a_retried_registration_makes_one_webhook(client: TestClient, workspace: WorkspaceFixture) -> None:
    headers = {**workspace.admin.headers, "Idempotency-Key": "hook-1"}
    body = {"url": "https://hooks.example/in", "events": ["*"]}
    first = client.post("/api/v1/webhooks", json=body, headers=headers)
    again = client.post("/api/v1/webhooks", json=body, headers=headers)
    assert first.json() == again.json()
    assert workspace.count(Webhook) == 1


def test_only_admins_manage_webhooks(client: TestClient, workspace: WorkspaceFixture) -> None:
    user = workspace.add_member("plain.user@laneway.example")
    assert (
        client.post("/api/v1/webhooks", json={"url": "https://h.example/"}, headers=user.headers).status_code
        == 403
    )
    assert client.get("/api/v1/webhooks", headers=user.headers).status_code == 403
