from django.urls import path

from state_admin.views import rollouts as views

urlpatterns = [
    path("rollouts/", views.rollout_list, name="state_rollouts"),
    path("rollouts/new/", views.rollout_create, name="state_rollout_create"),
    path("rollouts/<int:pk>/", views.rollout_detail, name="state_rollout"),
    path("rollouts/<int:pk>/phases/<int:number>/", views.phase_edit, name="state_rollout_phase"),
    path("rollouts/<int:pk>/targets/", views.target_set, name="state_rollout_target_set"),
    path("rollouts/targets/<int:pk>/go-live/", views.target_go_live, name="state_rollout_go_live"),
    path("rollouts/targets/<int:pk>/override/", views.office_override, name="state_rollout_override"),
]
