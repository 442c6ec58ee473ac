from django.urls import path

from state_admin.views import office_templates as views

urlpatterns = [
    path("templates/", views.template_list, name="state_office_templates"),
    path("templates/new/", views.template_new, name="state_office_template_new"),
    path("templates/<slug:slug>/", views.template_detail, name="state_office_template"),
    path("templates/<slug:slug>/edit/", views.template_edit, name="state_office_template_edit"),
    path("templates/<slug:slug>/apply/", views.template_apply, name="state_office_template_apply"),
]
