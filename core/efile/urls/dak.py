"""URLs of the e-File: dak."""

urlpatterns = []
