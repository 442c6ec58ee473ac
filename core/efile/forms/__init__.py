"""Forms of the e-File pages: they check the shape of input; services decide."""
