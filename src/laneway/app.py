"""create_app(): the ASGI application."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import anyio.abc
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse

from laneway import __version__
from laneway.companies.router import router as companies_router
from laneway.config import Settings
from laneway.contacts.router import router as contacts_router
from laneway.idempotency.service import purge_expired
from laneway.issues.router import router as issues_router
from laneway.kit import tablestats
from laneway.kit.body import BodyLimitMiddleware
from laneway.kit.db import Database, make_engine
from laneway.kit.errors import install_error_handlers
from laneway.kit.limits import RequestGuardMiddleware
from laneway.kit.openapi import install_openapi
from laneway.kit.periodic import every
from laneway.kit.time import utcnow
from laneway.members.router import router as members_router
from laneway.outbox.metrics import router as metrics_router
from laneway.outbox.service import WRITTEN
from laneway.outbox.worker import Worker
from laneway.projects.router import router as projects_router
from laneway.threads.router import router as threads_router
from laneway.threads.triage import wake_snoozed
from laneway.webhooks.router import router as webhooks_router
from laneway.workspaces.router import router as workspaces_router

API = "/api/v1"


def start_clock_jobs(jobs: anyio.abc.TaskGroup, database: Database, settings: Settings) -> None:
    """Snoozed threads wake when their time is up; old idempotency keys are forgotten; SQLite's
    table statistics are refreshed at start and every six hours. Every server process runs
    these; the statements are safe to run concurrently."""

    async def wake() -> None:
        await database.run(lambda session: wake_snoozed(session, utcnow()))

    async def purge() -> None:
        await database.run(purge_expired)

    async def refresh_statistics() -> None:
        await database.run(tablestats.refresh)

    jobs.start_soon(every, settings.snooze_check_seconds, wake, "wake-snoozed")
    jobs.start_soon(every, 3600, purge, "purge-idempotency-keys")
    if database.dialect == "sqlite":  # PostgreSQL's autovacuum keeps its own statistics
        jobs.start_soon(every, 6 * 3600, refresh_statistics, "refresh-statistics")


async def run_worker(database: Database, settings: Settings) -> None:
    """The outbox delivery loop, woken at once by commits of this process that queue work."""
    worker = Worker(database, settings)
    loop = asyncio.get_running_loop()
    stop_waking = database.on_commit_of(WRITTEN, lambda: loop.call_soon_threadsafe(worker.wake))
    try:
        await worker.run()
    finally:
        stop_waking()


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    """The Laneway API. Migrations are applied by the CLI before serving, not here."""
    settings = settings or Settings()
    database = database or Database(
        make_engine(
            settings.database_url,
            sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms,
            pool_size=settings.db_concurrency,
        ),
        concurrency=settings.db_concurrency,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with anyio.create_task_group() as jobs:
            if settings.run_clock_jobs:
                start_clock_jobs(jobs, database, settings)
            if settings.run_worker:
                jobs.start_soon(run_worker, database, settings)
            yield
            jobs.cancel_scope.cancel()
        database.dispose()

    app = FastAPI(
        title="Laneway",
        version=__version__,
        description="Self-hosted customer-feedback inbox serving the Productlane v1 REST API.",
        lifespan=lifespan,
        redirect_slashes=False,  # trailing slashes are dropped before routing instead
    )
    app.state.settings = settings
    app.state.database = database
    install_error_handlers(app)
    install_openapi(app)

    @app.api_route("/healthz", methods=["GET", "HEAD"], include_in_schema=False)
    async def healthz() -> JSONResponse:
        # Liveness only: touches no database, so it measures the HTTP stack alone.
        return JSONResponse({"ok": True})

    app.include_router(metrics_router)
    for prefix in ("/threads", "/insights"):
        app.include_router(threads_router, prefix=API + prefix, tags=["threads"])
    app.include_router(contacts_router, prefix=API + "/contacts", tags=["contacts"])
    app.include_router(companies_router, prefix=API + "/companies", tags=["companies"])
    app.include_router(members_router, prefix=API + "/users", tags=["members"])
    app.include_router(workspaces_router, prefix=API + "/workspaces", tags=["workspace"])
    app.include_router(projects_router, prefix=API + "/projects", tags=["portal"])
    app.include_router(issues_router, prefix=API + "/issues", tags=["portal"])
    app.include_router(webhooks_router, prefix=API + "/webhooks", tags=["webhooks"])

    # Outermost first: CORS answers preflights before anything else looks at the request.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestGuardMiddleware)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
        # Clients add their own headers (tracing, SDK versions): allow whatever a preflight asks
        # for. The answer names each one, `authorization` included, as browsers require.
        allow_headers=["*"],
        max_age=600,
    )
    return app
