"""One-click search of a district: dak, files with their notes, documents with the text of their
pages, cases, RTI applications and the people posted there (``core.people``), in Devanagari or
Latin script.

- ``script``: names transliterated between the scripts ("महुआ" ~ "mahua");
- ``index``: one ``SearchEntry`` row per record, built from the record, kept current on commit
  (``hook`` collects what the audit trail says was written; ``tasks`` indexes it) and rebuilt
  from scratch by ``manage.py search_rebuild``;
- ``query``: the search itself, filtered through the same permission rules as the lists before
  anything is ranked, counted or highlighted; ``highlight`` marks the matched words safely;
- ``views``: the page at ``/search/``.
"""
