from django.urls import path

from core.uploads import tus

urlpatterns = [
    path("", tus.collection, name="uploads_tus"),
    path("<str:upload_id>/", tus.item, name="uploads_tus_item"),
]
