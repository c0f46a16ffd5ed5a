"""The science of MI Dashboard: plain Python with no Dash import, usable from a notebook or the CLI."""
