"""Plumbing every feature uses: database, errors, request bodies, time, ids."""
