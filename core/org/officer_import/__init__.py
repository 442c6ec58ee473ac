"""Officer imports from CSV/XLSX: one pipeline for a district's admin and the state console.

- ``parse``: a file read into a table (CSV or XLSX), or ``ImportFileError`` in the user's language;
- ``check``: every row judged against the platform in bulk, saying what the import does with it;
- ``write``: accounts, postings and transfers written for checked rows;
- ``services``: the pipeline (dry run, queued run in chunks, progress, error report, prune of
  kept files), parameterised by a ``scope``;
- ``scope``: what a scope decides (its jobs, folder, audit trail, task, what a chunk audits);
- ``district``: one district's scope and its task; ``prune``: the nightly prune of every district;
- ``forms``, ``views``, ``urls``: the screens both consoles show, wired by each console's URLconf
  behind its own access check. The state console's scope is
  ``state_admin.services.officer_import.StateScope`` (its jobs live in the public schema).
"""
