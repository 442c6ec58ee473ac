"""(filled by its issue-3 area)."""
