"""The RTI replies pages (core.rti.replies); included by core.rti.urls."""

urlpatterns = []
