"""bench/upload.py's baseline: the project's settings with Django's in-memory upload handler
allowed to hold a whole upload in memory (what it does for every file under
FILE_UPLOAD_MAX_MEMORY_SIZE with Django's default handler list)."""

from config.settings import *  # noqa: F403

FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2**40
DATA_UPLOAD_MAX_MEMORY_SIZE = None
