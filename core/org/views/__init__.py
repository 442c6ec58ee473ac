"""The organisation's screens that both consoles show, each console wiring them with its own
access check, services and templates: ``transfers`` (proposals of a transfer between districts)."""
