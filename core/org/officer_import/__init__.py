"""Officer imports from CSV/XLSX: reading a file (``parse``), judging its rows (``check``) and
writing accounts and postings (``write``), shared by the state console and a district's admin;
``district`` is a district admin's import into their own district."""
