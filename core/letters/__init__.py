"""Letters between districts (issue 22.1) and signed outward letters (issue 22.4).

directory.py   the public list of live districts' offices (published by each district)
files.py       a letter's PDF and its copies in this district's storage
send.py        letter_send: a dispatch sent to another district's office (outbox row)
relay.py       outbox → public exchange → the receiving district (idempotent steps)
diarise.py     the receiving dak clerk diarises a delivered letter into a receipt
signing.py     the district's certification authority, officers' certificates, PAdES
verify.py      checking a signed PDF (the public verification page)
"""
