"""The thread enums of the reference page; values are exact and upper case."""

from __future__ import annotations

from typing import Literal, get_args

PainLevel = Literal["UNKNOWN", "LOW", "MEDIUM", "HIGH"]
State = Literal["NEW", "PROCESSED", "COMPLETED", "SNOOZED", "UNSNOOZED"]
Origin = Literal[
    "INAPP",
    "PORTAL",
    "SUPPORT_PORTAL",
    "API",
    "SLACK",
    "SLACK_CONNECT",
    "INTERCOM",
    "INTERCOM_ATTACHMENT",
    "ZENDESK_ATTACHMENT",
    "ZENDESK",
    "FRONT_ATTACHMENT",
    "EMAIL",
    "ZAPIER",
    "HUBSPOT",
    "PLAIN",
    "CALENDAR",
    "WIDGET",
    "AI_CHAT",
    "UPVOTE",
    "LIVE_CHAT",
    # Not on the reference page, but sent by clients in the wild.
    "API_KEY_USER",
    "PRODUCTBOARD",
]

PAIN_LEVELS: tuple[str, ...] = get_args(PainLevel)
STATES: tuple[str, ...] = get_args(State)
ORIGINS: tuple[str, ...] = get_args(Origin)
