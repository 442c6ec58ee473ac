"""Tenancy and identity: districts (one schema each), their domains, and global accounts.

This package knows nothing of offices, posts or files (those are ``core``); it only knows
schemas, hosts and people.
"""
