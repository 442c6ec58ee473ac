"""URLs of the e-File: inbox."""

urlpatterns = []
