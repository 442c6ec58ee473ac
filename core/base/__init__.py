"""The foundation every area of the district office stands on; it imports no area.

Who sees what (``access``: the viewer, the sight rules, a registry areas add their kind's rule
to), who acts as which post (``actors``), text as stored (``text``), "item or 404" (``http``).
Areas register what is theirs here (a sight rule, a notice, a counter) instead of the base
importing them. See core/README.md for the map.
"""
