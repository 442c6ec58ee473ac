"""Settings of the server that tests/test_page_weight_browser.py measures: the test settings, with the
static files as a production build serves them (collectstatic's hashed names and their gzip and
brotli copies, by WhiteNoise, from KARYALAY_STATIC_ROOT) and the pages gzipped as nginx gzips them in
production (deploy/nginx; here Django's GZipMiddleware, behind WhiteNoise so that it compresses the
pages only). DEBUG is off, as Django names static files by their hash only then; everything the
settings derive from DEBUG (plain http, cookies without Secure) stays as for the tests."""

from config.settings_test import *  # noqa: F403
from config.settings_test import MIDDLEWARE, STORAGES

DEBUG = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = False
WHITENOISE_USE_FINDERS = False
_after = MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
MIDDLEWARE = [*MIDDLEWARE[:_after], "django.middleware.gzip.GZipMiddleware", *MIDDLEWARE[_after:]]
