"""URLs of the e-File: files."""

urlpatterns = []
