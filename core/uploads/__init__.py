"""Resumable uploads (tus 1.0) for every form that uploads a document: partial uploads on the
district's disk (``partials``), the protocol's endpoint (``tus``), handing a finished upload to
the form it was chosen in (``claim``), and the expiry of unfinished ones (``tasks``)."""
