"""The demo's RTI register in Vaishali: applications to the SP office in every state of their
life, entered by the dak clerk and decided by the PIO, with dates counted back from today so the
statutory clocks show something to act on. Applicants are invented.

Run inside Vaishali's schema by ``demo_seed`` after the demo cases; it adds nothing when the
register has applications already.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from core.base.audit import Actor
from core.models import Case, Office, Post, Posting, RtiApplication
from core.rti.services.appeals import rti_appeal_receive, rti_deemed_refusals_mark
from core.rti.services.applications import rti_receive, rti_update
from core.rti.services.decisions import rti_fee_ask, rti_third_party_notify, rti_transfer
from core.rti.services.replies import rti_reply

APPELLATE_AUTHORITY = "पुलिस अधीक्षक, वैशाली (प्रथम अपीलीय प्राधिकार)"


def _holder(post_code: str) -> Actor:
    posting = (
        Posting.objects.filter(post__code=post_code, ends_on__isnull=True).select_related("person").first()
    )
    return Actor(person=posting.person, ip="127.0.0.1")


def demo_rti_seed() -> list[RtiApplication]:
    """Eight applications: received, further fee pending, third party notified, transferred,
    replied (with the FIR copy disclosed), rejected under s.8(1)(h) and appealed, deemed refused,
    and one through the APIO at SDPO Lalganj concerning a person's liberty."""
    if RtiApplication.objects.exists():
        return []
    today = timezone.localdate()
    clerk, pio = _holder("dak-clerk"), _holder("pio")
    sp_office = Office.objects.get(code="sp-office")
    pio_post = Post.objects.get(code="pio")

    def receive(days_ago: int, applicant: str, address: str, subject: str, **extra) -> RtiApplication:
        return rti_receive(
            actor=extra.pop("actor", clerk),
            office=extra.pop("office", sp_office),
            received_on=today - datetime.timedelta(days=days_ago),
            mode=extra.pop("mode", RtiApplication.Mode.POST),
            applicant_name=applicant,
            applicant_address=address,
            subject=subject,
            pio_post=pio_post,
            **extra,
        )

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    received = receive(
        3,
        "सुरेश प्रसाद",
        "ग्राम-पोस्ट बिदुपुर, वैशाली",
        "जिले में वर्ष 2025 में दर्ज चोरी के कांडों की थानावार संख्या।",
        mode=RtiApplication.Mode.BY_HAND,
    )
    fee = receive(
        14,
        "Ajay Kumar Singh",
        "Ward 7, Hajipur, Vaishali",
        "Copies of the log book of police vehicles of the police centre Hajipur, January–March 2025.",
    )
    rti_fee_ask(actor=pio, application=fee, amount=Decimal("120.00"), asked_on=ago(9))
    third_party = receive(
        16,
        "रीना देवी",
        "मोहल्ला बागमली, हाजीपुर",
        "महनार थाना में पदस्थापित पुलिस पदाधिकारियों के सेवा अभिलेख की प्रति।",
    )
    rti_third_party_notify(actor=pio, application=third_party, notified_on=ago(12))
    transferred = receive(
        22,
        "Md. Irfan",
        "Lalganj Bazar, Vaishali",
        "Land records of plot no. 412, mauza Lalganj, and the mutation orders.",
    )
    rti_transfer(
        actor=pio,
        application=transferred,
        transferred_to="अंचल अधिकारी, लालगंज (राजस्व एवं भूमि सुधार विभाग)",
        transferred_on=ago(19),
    )
    replied = receive(
        40,
        "रामबाबू सिंह",
        "महुआ बाजार, वैशाली",
        "महुआ थाना कांड संख्या 45/2025 की प्राथमिकी की सत्यापित प्रति।",
        helper_posts=[Post.objects.get(code="sho-mahua")],
    )
    # The SHO Mahua, whose help was sought, links the case and its FIR copy; the PIO discloses it.
    theft = Case.objects.get(thana__code="thana-mahua", year=2025, fir_number=45)
    rti_update(
        actor=_holder("sho-mahua"),
        application=replied,
        applicant_name=replied.applicant_name,
        applicant_address=replied.applicant_address,
        subject=replied.subject,
        pio_post=pio_post,
        fee=replied.fee,
        helper_posts=list(replied.helper_posts.all()),
        cases=[theft],
        documents=list(theft.documents.all()),
    )
    rti_reply(
        actor=pio,
        application=replied,
        kind="information",
        language="hi",
        replied_on=ago(18),
        body=(
            "आपके आवेदन के आलोक में महुआ थाना कांड संख्या 45/2025 की प्राथमिकी की सत्यापित प्रति संलग्न कर भेजी जा रही है।"
        ),
        documents=list(theft.documents.all()),
    )
    rejected = receive(
        35,
        "Vinod Rai",
        "Mahua, Vaishali",
        "Case diary and statements of witnesses recorded in Lalganj PS kidnapping case under investigation.",
    )
    rti_reply(
        actor=pio,
        application=rejected,
        kind="rejection",
        language="en",
        replied_on=ago(20),
        body=(
            "The case is under investigation. Disclosure of the case diary and the statements of "
            "witnesses at this stage would impede the investigation and the prosecution of offenders."
        ),
        rejection_section="8(1)(h)",
        appeal_authority=APPELLATE_AUTHORITY,
    )
    rti_appeal_receive(actor=pio, application=rejected, received_on=ago(6))
    deemed = receive(
        45,
        "शिवशंकर पासवान",
        "ग्राम सहदेई बुजुर्ग, वैशाली",
        "पुलिस केंद्र हाजीपुर में वर्ष 2024-25 में खरीदे गए कंप्यूटर एवं इन्वर्टर का विवरण एवं व्यय।",
    )
    liberty = receive(
        1,
        "गीता देवी",
        "ग्राम लालगंज, वैशाली",
        "मेरे पुत्र को थाना में रोके जाने का आधार एवं उसकी गिरफ्तारी का ज्ञापन।",
        actor=_holder("sdpo-lalganj"),
        office=Office.objects.get(code="sdpo-lalganj"),
        mode=RtiApplication.Mode.APIO,
        life_or_liberty=True,
    )
    rti_deemed_refusals_mark(today)
    return [received, fee, third_party, transferred, replied, rejected, deemed, liberty]
