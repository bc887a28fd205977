"""All of Laneway's settings, read once from LANEWAY_* environment variables (or `.env`)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LANEWAY_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///laneway.db"
    slack_api_url: str = "https://slack.com/api"
    smtp_url: str | None = None
    email_from: str = "Laneway <noreply@localhost>"
    max_body_bytes: int = Field(default=1_048_576, ge=1)
    cors_origins: list[str] = ["*"]
    # v1 bodies carry no snooze end: SNOOZED set through v1 lasts this long.
    snooze_hours: float = Field(default=24.0, gt=0)
    # How often a server looks for snoozed threads whose time is up.
    snooze_check_seconds: float = Field(default=10.0, gt=0)
    # The outbox delivery worker (inside `laneway serve` unless --no-worker).
    run_worker: bool = True
    outbox_max_attempts: int = Field(default=10, ge=1)
    outbox_backoff_seconds: float = Field(default=2.0, gt=0)
    outbox_backoff_cap_seconds: float = Field(default=3600.0, gt=0)
    outbox_lease_seconds: float = Field(default=120.0, gt=0)
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    outbox_batch: int = Field(default=32, ge=1, le=1000)
    outbox_concurrency: int = Field(default=8, ge=1, le=256)
    # The server's clock jobs (snooze expiry, clean-ups); tests may turn them off.
    run_clock_jobs: bool = True
    # A thread whose sent createdAt is older than this is an import and notifies nobody.
    import_threshold_seconds: int = Field(default=600, ge=0)
    sqlite_busy_timeout_ms: int = Field(default=30_000, ge=0)
    # Transactions one server process runs at once (and its connection pool size); more
    # requests wait their turn without holding a thread or a connection. Each runs on a thread
    # of its own, and threads of one process contend for Python's GIL: on two cores, 2 served
    # more than 4 or 8 (bench/README.md). Scale with --workers (processes) instead.
    db_concurrency: int = Field(default=2, ge=1, le=200)
    public_url: str = "http://127.0.0.1:8000"

    @property
    def import_threshold(self) -> timedelta:
        return timedelta(seconds=self.import_threshold_seconds)

    @property
    def snooze_period(self) -> timedelta:
        return timedelta(hours=self.snooze_hours)
