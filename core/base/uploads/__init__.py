"""Uploads as every area takes them: size limits and temporary places (``limits``), what a file
really is and whether it may be kept (``filecheck``, ``pdf_active``), scrubbing images
(``sanitise``) and first-page previews (``previews``). Resumable (tus) uploads are ``core.uploads``."""
