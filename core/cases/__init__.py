"""The case register (issue 6): cases registered at thanas and the custody of their papers."""
