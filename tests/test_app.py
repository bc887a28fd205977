"""The HTTP edges every route shares: health, CORS, unknown routes and methods."""

from __future__ import annotations

from fastapi.testclient import TestClient

from laneway.app import create_app
from laneway.config import Settings
from laneway.kit.db import Database
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


def test_cors_preflight_allows_custom_client_headers(client: TestClient) -> None:
    response = client.options(
        "/api/v1/threads",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, x-client-version, sentry-trace",
        },
    )
    assert response.status_code == 200
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "x-client-version", "sentry-trace"} <= allowed


def test_a_bug_answers_the_json_error_shape(settings: Settings, database: Database) -> None:
    app = create_app(settings, database)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("bug")

    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"message": "Internal server error", "code": "INTERNAL_SERVER_ERROR"}


def test_nul_characters_in_paths_and_queries_are_refused(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    assert client.get("/api/v1/threads/%00", headers=workspace.admin.headers).status_code == 404
    assert client.get("/api/v1/contacts/a%00b", headers=workspace.admin.headers).status_code == 404
    response = client.get("/api/v1/threads", params={"projectId": "a\x00b"}, headers=workspace.admin.headers)
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_REQUEST"


def test_trailing_slashes_are_served_without_a_redirect(
    client: TestClient, workspace: WorkspaceFixture
) -> None:
    response = client.get(
        "/api/v1/threads/",
        headers={**workspace.admin.headers, "Host": "evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 200
    assert "threads" in response.json()


def test_healthz_answers_head(client: TestClient) -> None:
    assert client.head("/healthz").status_code == 200
