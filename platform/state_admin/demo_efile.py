"""The demo's paperless office in Vaishali: dak diarised in the SP office, files opened, noted and
moved between posts, as they would be in the first week after go-live. Subjects come from the news
report the product is modelled on (Prabhat Khabar, 20 March 2025); names are invented.

Run inside Vaishali's schema by ``demo_seed``; it adds nothing when the district already has dak.
"""

import datetime

from django.utils import timezone

from core.base.audit import Actor
from core.efile.services.files import file_create
from core.efile.services.movement import file_receive, file_send
from core.efile.services.notes import note_add
from core.efile.services.receipts import receipt_attach, receipt_diarise, receipt_send
from core.models import EFile, FileHead, Office, Post, Posting, Receipt

# Short codes that begin each phase 1 office's diary and file numbers.
ABBREVIATIONS = {
    "sp-office": "SPVAI",
    "police-line-hajipur": "PCHJP",
    "sdpo-mahua": "SDPOMAHUA",
    "sdpo-mahnar": "SDPOMAHNAR",
    "sdpo-lalganj": "SDPOLALGANJ",
}


def _holder(post_code: str) -> tuple[Actor, Post]:
    post = Post.objects.select_related("office").get(code=post_code)
    posting = Posting.objects.filter(post=post, ends_on__isnull=True).select_related("person").first()
    return Actor(person=posting.person, ip="127.0.0.1"), post


def demo_efile_seed() -> None:
    for code, abbr in ABBREVIATIONS.items():
        Office.objects.filter(code=code, abbr="").update(abbr=abbr)
    if Receipt.objects.exists():
        return
    clerk, clerk_post = _holder("dak-clerk")
    dsp, dsp_post = _holder("dsp-hq")
    sp, sp_post = _holder("sp")
    sdpo, sdpo_post = _holder("sdpo-mahua")
    gen = FileHead.objects.get(code="GEN", office=None)
    crime = FileHead.objects.get(code="CRIME", office=None)

    ig_letter = receipt_diarise(
        actor=clerk,
        post=clerk_post,
        mode=Receipt.Mode.POST,
        sender="पुलिस महानिरीक्षक, तिरहुत क्षेत्र, मुजफ्फरपुर",
        sender_address="कार्यालय पुलिस महानिरीक्षक, तिरहुत क्षेत्र, मुजफ्फरपुर",
        subject="इ-ऑफिस डिजिटल पोर्टल पर प्रथम फेज में कार्य प्रारंभ करने के संबंध में",
        received_on=datetime.date(2025, 3, 18),
        letter_date=datetime.date(2025, 3, 15),
        letter_reference="IG/Tirhut/e-Office/112",
    )
    it_letter = receipt_diarise(
        actor=clerk,
        post=clerk_post,
        mode=Receipt.Mode.EMAIL,
        sender="सूचना एवं प्रौद्योगिकी विभाग, बिहार सरकार",
        subject="सभी कार्यालयों को कंप्यूटर एवं इंटरनेट से लैस करने की योजना",
        received_on=datetime.date(2025, 3, 19),
        letter_date=datetime.date(2025, 3, 19),
    )
    receipt_send(actor=clerk, receipt=it_letter, to_post=dsp_post, remarks="For necessary action, please.")
    records = receipt_diarise(
        actor=clerk,
        post=clerk_post,
        mode=Receipt.Mode.HAND,
        sender="SHO Mahua",
        subject="Digitisation of old case records of Mahua thana (2015–2020)",
        received_on=datetime.date(2025, 3, 20),
    )
    receipt_send(
        actor=clerk,
        receipt=records,
        to_post=sdpo_post,
        remarks="Please review the list of old case papers.",
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )

    # The rollout file: opened by the dak clerk, noted by the DSP (HQ), now with the SP.
    rollout = file_create(
        actor=clerk,
        post=clerk_post,
        head=gen,
        subject="इ-ऑफिस परियोजना: प्रथम फेज में एसपी कार्यालय, पुलिस केंद्र एवं एसडीपीओ कार्यालयों में क्रियान्वयन",
        category=EFile.Category.ADMINISTRATION,
        priority=EFile.Priority.URGENT,
    )
    receipt_attach(actor=clerk, receipt=ig_letter, file=rollout)
    note_add(
        actor=clerk,
        file=rollout,
        body=(
            "पुलिस महानिरीक्षक, तिरहुत क्षेत्र का पत्र पत्राचार भाग में संलग्न है। प्रथम फेज में एसपी कार्यालय, "
            "पुलिस केंद्र हाजीपुर तथा एसडीपीओ कार्यालय महुआ, महनार एवं लालगंज में इ-ऑफिस पर कार्य "
            "प्रारंभ किया जाना है। अवलोकनार्थ एवं आदेशार्थ प्रस्तुत।"
        ),
    )
    file_send(actor=clerk, file=rollout, to_post=dsp_post, remarks="अवलोकनार्थ")
    file_receive(actor=dsp, file=rollout)
    note_add(
        actor=dsp,
        file=rollout,
        body=(
            "सभी कर्मियों का प्रशिक्षण 12 मार्च को पुलिस केंद्र में हो चुका है। कार्यालयों में कंप्यूटर, "
            "इंटरनेट एवं पावर बैकअप की व्यवस्था पूर्ण है। 20 मार्च से कार्य प्रारंभ करने हेतु आदेशार्थ।"
        ),
    )
    file_send(
        actor=dsp,
        file=rollout,
        to_post=sp_post,
        remarks="आदेशार्थ",
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )

    # A confidential crime-review file, sent to the SDPO Mahua by the SP.
    review = file_create(
        actor=sp,
        post=sp_post,
        head=crime,
        subject="Monthly crime review, Mahua sub-division, March 2025",
        category=EFile.Category.CRIME,
        confidentiality=EFile.Confidentiality.CONFIDENTIAL,
    )
    note_add(
        actor=sp,
        file=review,
        body="SDPO Mahua to put up the pendency of cases older than 90 days, thana-wise, before the meeting.",
    )
    file_send(actor=sp, file=review, to_post=sdpo_post, remarks="Put up before the meeting")
