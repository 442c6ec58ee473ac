"""URLs of the e-File: documents."""

urlpatterns = []
