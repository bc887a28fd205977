"""The HTTP edges every route shares: health, CORS, unknown routes and methods."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import WorkspaceFixture


def test_healthz_answers_without_a_key(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_cors_preflight_names_authorization(client: TestClient) -> None:
    response = client.options(
        "/api/v1/threads",
        headers={
            "Origin": "chrome-extension://abcdefghijklmnop",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert 200 <= response.status_code < 300
    assert response.headers["access-control-allow-origin"] == "*"
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert "POST" in response.headers["access-control-allow-methods"]


def test_cors_header_on_answers_to_browsers(client: TestClient, workspace: WorkspaceFixture) -> None:
    response = client.post(
        "/api/v1/threads", json={}, headers={**workspace.admin.headers, "Origin": "https://x.example"}
    )
    assert response.status_code == 400
    assert response.headers["access-control-allow-origin"] == "*"


def test_unknown_route_is_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


def test_wrong_method_is_json_405(client: TestClient, workspace: WorkspaceFixture) -> None:
    response = client.put("/api/v1/threads", json={}, headers=workspace.admin.headers)
    assert response.status_code == 405
    assert response.json()["code"] == "METHOD_NOT_SUPPORTED"
