"""Every write of the case register, one module per sub-feature: ``register`` (register a case,
change it, move its papers, record a read), ``progress`` (progress reports, reviews, directions
complied with), ``pendency`` (a read of the pendency report, recorded) and ``digitisation``
(old-case digitisation). Each is atomic and appends its audit event in the same transaction."""
