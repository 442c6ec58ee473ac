"""The police glossary expanded at index time (issue 15: search p95 under 100 ms for every role).

A query word that is a glossary term ("जमानत", "land dispute") matched the union of its own forms
(stems, plain word, other-script forms) and the other language's terms ("bail"): several posting
lists walked and OR-ed into each kind's bitmap for every search. ``core_searchglossary`` holds, for
each term, that union as PostgreSQL writes it (``definition``, a tsquery's text), the lexemes it
names (to find the candidate terms of a row quickly) and a token, a lexeme no text can produce (it
holds a space). Each index row's vector carries the token of every term whose definition it
matches (``core.search.index``), so the search asks for one lexeme where it asked for the union,
and only where the definition it would ask equals the stored one (``core.search.query``): a
glossary or code change that the rows were not re-tokenized for finds as before, never less.

The table starts empty (the search then ORs as before); ``core.search.glossary_index`` fills it
and tokenizes the rows: ``manage.py search_rebuild`` (a whole rebuild) or ``manage.py
search_rebuild --glossary`` (the tokens only, after the glossary's data changes).
"""

from django.db import migrations

SQL = """
CREATE TABLE IF NOT EXISTS core_searchglossary (
    token text PRIMARY KEY,
    definition text NOT NULL,
    lexemes text[] NOT NULL
);
CREATE INDEX IF NOT EXISTS core_searchglossary_definition ON core_searchglossary (definition);
CREATE INDEX IF NOT EXISTS core_searchglossary_lexemes ON core_searchglossary USING gin (lexemes);
"""

REVERSE = "DROP TABLE IF EXISTS core_searchglossary"


class Migration(migrations.Migration):
    dependencies = [("core", "0027_account_keys_without_constraint")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
