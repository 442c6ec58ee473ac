"""The organisation of a district: offices, posts, postings, officers and their imports."""
