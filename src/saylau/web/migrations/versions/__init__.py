"""Revisions of the web app's tables."""
