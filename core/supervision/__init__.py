"""Range and headquarters supervision (issue 22.2).

A range office (e.g. the DIG of Tirhut) and police headquarters are tenants of their own
(``District.kind``), on their own hosts, where the supervising officers hold posts like any
officer. They see the districts under them only through public figures each district's own
schema computes (``figures``, copied by ``rollup``) and through letters the districts send them;
they never read a district's schema.
"""
