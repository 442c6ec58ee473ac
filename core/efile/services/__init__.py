"""Every write of the paperless office: one function per use case, each atomic, each appending
its audit event in the same transaction and sending notifications on commit.

Callers run these under the district's schema (a request on the district's host, or a task under
``district_task``) and pass the acting person and an ``Actor`` for the audit trail; each service
checks itself that the person may do what is asked (views check too, to answer 404 early).
"""
