"""The organisation's forms that both consoles use: ``transfers`` (deciding a transfer between
districts)."""
