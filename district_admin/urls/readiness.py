from django.urls import path

from district_admin.views import readiness

urlpatterns = [
    path("readiness/", readiness.overview, name="readiness"),
    path("offices/<int:office_id>/readiness/", readiness.office, name="readiness_office"),
    path("offices/<int:office_id>/readiness/<slug:item>/", readiness.item_record, name="readiness_item"),
    path("offices/<int:office_id>/go-live/", readiness.go_live, name="office_go_live"),
]
