"""OCR of scanned papers (issue 7): Tesseract with Hindi and English data reads every uploaded
document version page by page in the background; officers see the text beside each page, correct
it, and index by hand the pages without text.

- ``engine``: is Tesseract here (``ocr_available``), and reading one image (TSV, confidences);
- ``reader``: a stored version page by page (PDF text layers, pdfium at 300 dpi, Pillow frames);
  ``textlayer``: whether a PDF's Hindi text layer reads wrong (then the page is OCR'd instead);
- ``services``: ``document_ocr``, ``document_page_correct``, ``document_page_index`` and the
  audited reads; ``selectors``: the pages, failures and the manual-indexing queue, permission
  filtered; ``tasks``: ``document_ocr_task``; ``views``/``forms``: the text page and the queue.
"""
