"""Reusable Dash UI units; each owns its component ids (All-in-One style)."""
