"""Everything inside one district: offices, posts, postings, and (later) files, dak, cases, RTI."""
