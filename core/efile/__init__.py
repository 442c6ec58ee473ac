"""The paperless office inside one district: dak, files, notes, drafts, movements, documents
and notifications.

- ``access``: who may see what (``Viewer``, the visibility filters every read goes through).
- ``numbering``: diary, dispatch and file numbers, per office per year, gapless under concurrency.
- ``services``: every write, one function per use case, each audited in its own transaction.
- ``selectors``: reads for pages, registers and counts, always through ``access``.
- ``views`` and ``urls``: the officer's pages on the district's host.
"""
