"""Every read of the case register, always through ``core.cases.access``: ``register`` (the list,
the thana choices, a case's custody, progress and reviews), ``papers`` (a case's papers),
``pendency`` (the pendency report) and ``digitisation`` (targets, queue and batches)."""
