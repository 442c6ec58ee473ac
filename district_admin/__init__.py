"""District admins' screens over core: offices, posts, officers, training, readiness."""
