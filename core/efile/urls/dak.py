"""URLs of the e-File: dak (inward receipts, the registers, outward entries)."""

from django.urls import path

from core.efile.views import dak, dak_registers

urlpatterns = [
    path("new/", dak.diarise, name="efile_dak_diarise"),
    path("<int:receipt_id>/", dak.receipt, name="efile_receipt"),
    path("<int:receipt_id>/receive/", dak.receive, name="efile_receipt_receive"),
    path("<int:receipt_id>/mark/", dak.mark, name="efile_receipt_mark"),
    path("<int:receipt_id>/attach/", dak.attach, name="efile_receipt_attach"),
    path("<int:receipt_id>/new-file/", dak.file_open, name="efile_receipt_file_open"),
    path("<int:receipt_id>/close/", dak.close, name="efile_receipt_close"),
    path("register/inward/", dak_registers.inward, name="efile_inward_register"),
    path("register/outward/", dak_registers.outward, name="efile_outward_register"),
    path("outward/new/", dak.dispatch_new, name="efile_dispatch_new"),
]
