"""Laneway: a self-hosted customer-feedback inbox serving the Productlane v1 REST API."""

__version__ = "0.1.0"
