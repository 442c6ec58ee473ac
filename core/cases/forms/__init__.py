"""Forms of the case register, one module per sub-feature (``register``, ``pendency``,
``digitisation``): they check the shape of input; the services decide."""
