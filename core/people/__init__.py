"""The district's staff directory: a read-only card for each person posted in the district today,
at ``/people/<person id>/``, and the search's "Officers" kind that leads to it (a service number
jumps straight to its card).

Identity is global, postings are local: the card shows the person's name and service number from
their account, and only this district's postings. Officers look each other up, so anyone posted
here may open the card of anyone else posted here (``access``); a person not posted here today has
no card in this district, whoever asks.
"""
