"""Forms of the RTI register, one module per sub-feature (``applications``, ``replies``,
``report``): they check the shape of input; the services decide."""
