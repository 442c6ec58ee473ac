"""The e-File pages, one module per area; each view is short and calls one service or selector."""
