"""A closed receipt's closing time is the time of the closing step on its track (one clock reading,
as for a file), so the receipt page and the track never disagree."""

from core.efile.services.receipts import receipt_close
from core.models import Movement, Receipt
from tenants.context import district_context
from tests.core.efile.test_receipts import diarise


def test_closed_at_is_the_closing_movements_time(ef):
    with district_context("vaishali"):
        receipt = diarise(ef)
        closed = receipt_close(actor=ef.actor("clerk"), receipt=receipt, remark="No action needed")
        closing = Movement.objects.get(receipt=receipt, action=Movement.Action.CLOSED)
        stored = Receipt.objects.get(pk=receipt.pk)
        assert stored.status == Receipt.Status.CLOSED
        assert stored.closed_at == closing.at == closed.closed_at
