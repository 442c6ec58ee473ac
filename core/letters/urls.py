from django.urls import path

from core.letters import views, views_file_up, views_signing

urlpatterns = [
    path("", views.letters_index, name="letters_index"),
    path("verify/", views_signing.verify_page, name="letters_verify"),
    path("dispatch/<int:dispatch_id>/", views_signing.letter_page, name="letters_letter"),
    path("dispatch/<int:dispatch_id>/pdf/", views_signing.letter_pdf_download, name="letters_letter_pdf"),
    path("dispatch/<int:dispatch_id>/send/", views.letter_send_view, name="letters_send"),
    path("dispatch/<int:dispatch_id>/circular/", views.circular_send_view, name="letters_circular_send"),
    path("circulars/<int:circular_id>/", views.circular_view, name="letters_circular"),
    path("sent/<int:outgoing_id>/", views.outgoing_view, name="letters_outgoing"),
    path("received/<int:incoming_id>/", views.incoming_view, name="letters_incoming"),
    path("received/<int:incoming_id>/diarise/", views.incoming_diarise_view, name="letters_incoming_diarise"),
    path(
        "received/<int:incoming_id>/papers/<int:index>/",
        views_file_up.incoming_paper_view,
        name="letters_incoming_paper",
    ),
    path("file/<int:file_id>/send-up/", views_file_up.file_send_up_view, name="letters_file_send_up"),
]
