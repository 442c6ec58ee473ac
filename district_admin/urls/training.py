from django.urls import path

from district_admin.views import training

urlpatterns = [
    path("training/", training.sessions, name="training"),
    path("training/new/", training.session_create, name="training_create"),
    path("training/officers/", training.officers, name="training_officers"),
    path("training/<int:session_id>/", training.session, name="training_session"),
    path("training/<int:session_id>/edit/", training.session_edit, name="training_edit"),
    path("training/<int:session_id>/invite/", training.invite, name="training_invite"),
    path("training/<int:session_id>/attendance/", training.attendance, name="training_attendance"),
]
