"""Outage continuity on paper (issue 18, point 5): the district admin or the SP declares an outage
for an office or the whole district, prints paper registers carrying numbers reserved for it, and
afterwards officers back-enter the dak, notes and movements with their true times through the
e-File's own services (``occurred_at``), marked back-entered everywhere they show."""
