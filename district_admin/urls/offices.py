from django.urls import path

from district_admin.views import offices, posts

urlpatterns = [
    path("offices/", offices.offices, name="offices"),
    path("offices/new/", offices.office_create, name="office_create"),
    path("offices/<int:office_id>/", offices.office_detail, name="office"),
    path("offices/<int:office_id>/edit/", offices.office_edit, name="office_edit"),
    path("offices/<int:office_id>/move/", offices.office_move, name="office_move"),
    path("offices/<int:office_id>/close/", offices.office_close, name="office_close"),
    path("offices/<int:office_id>/posts/new/", posts.post_create, name="post_create"),
    path("posts/<int:post_id>/", posts.post_detail, name="post"),
    path("posts/<int:post_id>/edit/", posts.post_edit, name="post_edit"),
    path("posts/<int:post_id>/close/", posts.post_close, name="post_close"),
    path("posts/<int:post_id>/postings/new/", posts.posting_start, name="posting_start"),
    path("postings/<int:posting_id>/end/", posts.posting_end, name="posting_end"),
    path("postings/<int:posting_id>/transfer/", posts.posting_transfer, name="posting_transfer"),
    path("postings/of/<str:login_id>/", posts.person_postings, name="person_postings"),
]
