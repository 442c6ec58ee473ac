"""Every read of the organisation, one module per subject: ``offices`` (the list and tree),
``postings`` (posts, postings, who holds what, who is a district admin), ``officers`` (the
officers' list and CSV), ``readiness`` (the go-live checklist), ``training``, ``transfers``,
``adoption`` (weekly figures; areas register their counters), ``audit`` (the district's trail)
and ``request_access`` (the signed-in person's posts here, read once per request).
Run under the district's schema."""
