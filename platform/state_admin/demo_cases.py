"""The demo's case register in Vaishali: cases of Mahua, Mahnar and Lalganj thanas with their
papers' custody, the IOs' progress reports, the SDPOs' and the SP's reviews with directions.

Names and facts are invented; sections are those of the BNS (and of the IPC for a case of 2024,
before the BNS came into force). Registration dates are partly fixed (2024, 2025) and partly
counted back from today, so the pendency report always has cases in every age bucket.

Run inside Vaishali's schema by ``demo_seed``; it adds nothing when the district already has cases.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.base.audit import Actor
from core.cases.services.digitisation.actions import (
    case_digitisation_check,
    case_digitisation_mark,
    case_digitisation_send_back,
    digitisation_target_set,
)
from core.cases.services.progress import case_direction_comply, case_progress_add, case_review_add
from core.cases.services.register import case_custody_move, case_register, case_update
from core.efile.services.documents import document_upload
from core.models import Case, Office, PapersPlace, Post, Posting
from core.org import services as core_services
from state_admin.demo_papers import fir_copy
from tenants.services import person_get_or_create

# thana slug, login ID, name, name_hi: the SHO of each thana, the IO of its cases.
THANA_OFFICERS = [
    ("mahua", "sho.mahua", "Manoj Kumar Singh", "मनोज कुमार सिंह"),
    ("mahnar", "sho.mahnar", "Shabnam Parveen", "शबनम परवीन"),
    ("lalganj", "sho.lalganj", "Vikas Chandra Jha", "विकास चंद्र झा"),
]


@dataclass(frozen=True)
class DemoCase:
    thana: str
    fir_number: int
    registered: datetime.date | int  # a date, or days before today
    sections: str
    facts: str
    complainant: str
    accused: str
    status: str = Case.Status.INVESTIGATING
    progress: tuple[tuple[int, str, str], ...] = ()  # (days after registration, done, next steps)
    papers_at: str = ""
    fir_scanned: bool = True  # a scanned FIR copy among its papers


CASES = [
    DemoCase(
        "mahua",
        45,
        datetime.date(2025, 2, 14),
        "BNS 303(2)",
        "महुआ बाजार से वादी की मोटरसाइकिल (BR31AB 4521) दिन के समय चोरी कर ली गई।",
        "रामबाबू सिंह",
        "अज्ञात",
        progress=(
            (
                3,
                "घटनास्थल का निरीक्षण किया गया; बाजार के दो दुकानों के सीसीटीवी फुटेज सुरक्षित किए गए।",
                "फुटेज में दिखे संदिग्धों की पहचान।",
            ),
            (
                40,
                "एक संदिग्ध की पहचान हुई; वाहन का इंजन नंबर सभी थानों को भेजा गया।",
                "संदिग्ध की गिरफ्तारी हेतु छापेमारी।",
            ),
        ),
    ),
    DemoCase(
        "mahua",
        112,
        datetime.date(2025, 5, 9),
        "BNS 115(2), 352, 351(2), 3(5)",
        "जमीन के विवाद में वादी एवं उनके भाई के साथ मारपीट एवं जान से मारने की धमकी।",
        "सुरेश पासवान",
        "रामाशंकर राय, विनोद राय",
        status=Case.Status.CHARGE_SHEETED,
        progress=((10, "जख्म प्रतिवेदन प्राप्त; गवाहों के बयान दर्ज।", "आरोप पत्र हेतु प्रस्तुत करना।"),),
        papers_at=PapersPlace.SDPO_OFFICE,
    ),
    DemoCase(
        "mahua",
        0,
        20,
        "BNS 331(4), 305",
        "रात में बंद घर का ताला तोड़कर नकद एवं जेवरात की चोरी।",
        "कमला देवी",
        "अज्ञात",
        status=Case.Status.REGISTERED,
    ),
    DemoCase(
        "mahnar",
        78,
        datetime.date(2025, 8, 22),
        "BNS 318(4); IT Act 66D",
        "बैंक अधिकारी बनकर फोन पर ओटीपी लेकर वादी के खाते से ₹48,500 की निकासी।",
        "अजय कुमार",
        "अज्ञात मोबाइल धारक",
        progress=(
            (5, "बैंक से लेन-देन का विवरण मांगा गया; साइबर सेल को सूचना दी गई।", "मोबाइल नंबर का सीडीआर प्राप्त करना।"),
        ),
    ),
    DemoCase(
        "mahnar",
        0,
        100,
        "Bihar Prohibition and Excise Act, 2016, s.30(a)",
        "वाहन जांच के दौरान एक कार से 48 लीटर विदेशी शराब बरामद।",
        "थानाध्यक्ष महनार (स्वतः)",
        "मुकेश साह",
        progress=((2, "जब्ती सूची तैयार; अभियुक्त न्यायिक हिरासत में।", "रासायनिक परीक्षण प्रतिवेदन।"),),
    ),
    DemoCase(
        "lalganj",
        23,
        datetime.date(2024, 3, 4),
        "IPC 379",
        "लालगंज बाजार में एक दुकान से इन्वर्टर बैटरी की चोरी।",
        "दिलीप गुप्ता",
        "अज्ञात",
        status=Case.Status.FINAL_REPORT,
        papers_at=PapersPlace.COURT,
    ),
    DemoCase(
        "lalganj",
        0,
        200,
        "BNS 137(2), 87",
        "वादी की 17 वर्षीय पुत्री के अपहरण का आरोप।",
        "शिवनाथ महतो",
        "राजू कुमार",
        progress=(
            (1, "वादी का फर्द बयान; संभावित ठिकानों पर छापेमारी।", "मोबाइल लोकेशन प्राप्त करना।"),
            (30, "पीड़िता बरामद; न्यायालय में बयान हेतु प्रार्थना पत्र।", "अभियुक्त की गिरफ्तारी।"),
        ),
    ),
    DemoCase(
        "lalganj",
        0,
        75,
        "BNS 281, 106(1)",
        "तेज गति से चल रहे ट्रक की टक्कर से एक साइकिल सवार की मृत्यु।",
        "गीता देवी",
        "ट्रक चालक (अज्ञात)",
        progress=((4, "ट्रक जब्त; पोस्टमार्टम प्रतिवेदन प्राप्त।", "चालक की पहचान।"),),
    ),
]


# Old cases whose papers were digitised from the record room (issue 6: old case digitisation).
OLD_CASES = [
    DemoCase(
        "mahua",
        12,
        datetime.date(2019, 1, 23),
        "IPC 457, 380",
        "रात्रि में दुकान का ताला तोड़कर कपड़ों की चोरी।",
        "हरिनारायण साह",
        "अज्ञात",
        status=Case.Status.DISPOSED,
        papers_at=PapersPlace.RECORD_ROOM,
    ),
    DemoCase(
        "mahua",
        57,
        datetime.date(2019, 6, 2),
        "IPC 323, 504, 34",
        "चापाकल से पानी भरने के विवाद में मारपीट।",
        "सरिता कुमारी",
        "भोला राय, मोहन राय",
        status=Case.Status.DISPOSED,
        papers_at=PapersPlace.RECORD_ROOM,
    ),
    DemoCase(
        "lalganj",
        88,
        datetime.date(2020, 9, 14),
        "IPC 279, 304A",
        "लालगंज-हाजीपुर पथ पर बस की टक्कर से एक पैदल यात्री की मृत्यु।",
        "रामप्रवेश चौधरी",
        "बस चालक",
        status=Case.Status.DISPOSED,
        papers_at=PapersPlace.RECORD_ROOM,
    ),
]
# Old cases each thana is to digitise.
TARGETS = {"mahua": 120, "mahnar": 80, "lalganj": 60}


def _holder(post_code: str) -> Actor:
    posting = (
        Posting.objects.filter(post__code=post_code, ends_on__isnull=True).select_related("person").first()
    )
    return Actor(person=posting.person, ip="127.0.0.1")


def _thana_officers(password: str, starts_on: datetime.date) -> dict[str, Actor]:
    """The SHO of each demo thana, posted (an account made once)."""
    actors = {}
    for slug, login_id, name, name_hi in THANA_OFFICERS:
        person, _ = person_get_or_create(
            login_id=login_id,
            full_name=name,
            full_name_hi=name_hi,
            email=f"{login_id}@example.org",
            password=password,
            must_set_password=False,
        )
        post = Post.objects.get(code=f"sho-{slug}")
        if not Posting.objects.filter(post=post, ends_on__isnull=True).exists():
            core_services.posting_start(person=person, post=post, starts_on=starts_on)
        actors[slug] = Actor(person=person, ip="127.0.0.1")
    return actors


def _digitisation(old_cases: list[Case], shos: dict[str, Actor], *, sp: Actor) -> None:
    """Targets for the three thanas; the old cases marked digitised by their SHO, one checked and
    one sent back by the SP (a second person), one still waiting for a check."""
    for slug, target in TARGETS.items():
        digitisation_target_set(actor=sp, thana=Office.objects.get(code=f"thana-{slug}"), target=target)
    for case in old_cases:
        case_digitisation_mark(actor=shos[case.thana.code.removeprefix("thana-")], case=case)
    case_digitisation_check(actor=sp, case=old_cases[0], remarks="सभी पृष्ठ पठनीय हैं।")
    case_digitisation_send_back(
        actor=sp, case=old_cases[1], remarks="केस दैनिकी के पृष्ठ 3 और 4 धुंधले हैं; दोबारा स्कैन करें।"
    )


def _registered_on(value: datetime.date | int, today: datetime.date) -> datetime.date:
    return value if isinstance(value, datetime.date) else today - datetime.timedelta(days=value)


def demo_cases_seed(*, password: str, starts_on: datetime.date) -> list[Case]:
    """The demo cases, registered, investigated and reported on by each thana's SHO, reviewed by
    an SDPO and the SP. Returns the cases (none when the register has cases already)."""
    if Case.objects.exists():
        return []
    today = timezone.localdate()
    shos = _thana_officers(password, starts_on)
    sp = _holder("sp")
    next_number = {}
    cases = []
    for spec in [*CASES, *OLD_CASES]:
        thana = Office.objects.get(code=f"thana-{spec.thana}")
        registered_on = _registered_on(spec.registered, today)
        fir_number = spec.fir_number or next_number.get((spec.thana, registered_on.year), 201)
        next_number[(spec.thana, registered_on.year)] = fir_number + 1
        case = case_register(
            actor=shos[spec.thana],
            thana=thana,
            year=registered_on.year,
            fir_number=fir_number,
            registered_on=registered_on,
            sections=spec.sections,
            brief_facts=spec.facts,
            complainant=spec.complainant,
            accused=spec.accused,
            io_post=Post.objects.get(code=f"sho-{spec.thana}"),
        )
        for days, done, next_steps in spec.progress:
            case_progress_add(
                actor=shos[spec.thana],
                case=case,
                reported_on=min(registered_on + datetime.timedelta(days=days), today),
                done=done,
                next_steps=next_steps,
            )
        if spec.status != Case.Status.REGISTERED:
            case = case_update(
                actor=shos[spec.thana],
                case=case,
                status=spec.status,
                io_post=case.io_post,
                sections=case.sections,
                brief_facts=case.brief_facts,
                complainant=case.complainant,
                accused=case.accused,
            )
        if spec.papers_at:
            case_custody_move(
                actor=shos[spec.thana],
                case=case,
                to_place=spec.papers_at,
                moved_on=min(registered_on + datetime.timedelta(days=60), today),
                remarks="केस दैनिकी एवं कागजात सहित।",
            )
        if spec.fir_scanned:
            document_upload(
                actor=shos[spec.thana],
                case=case,
                uploads=[
                    fir_copy(
                        thana_hi=thana.name_hi.removesuffix(" थाना"),
                        thana=spec.thana.title(),
                        number=fir_number,
                        year=registered_on.year,
                        sections=spec.sections,
                        facts=spec.facts,
                        complainant=spec.complainant,
                    )
                ],
                title="प्रथम सूचना रिपोर्ट (FIR)",
            )
        cases.append(case)
    _digitisation(cases[len(CASES) :], shos, sp=sp)
    kidnapping, accident = cases[6], cases[7]
    # The SP's directions on the kidnapping case wait for the IO; the SDPO's on the accident were met.
    case_review_add(
        actor=sp,
        case=kidnapping,
        reviewed_on=today - datetime.timedelta(days=10),
        directions=(
            "पीड़िता का न्यायालय में बयान शीघ्र कराएं; अभियुक्त की गिरफ्तारी हेतु विशेष टीम गठित करें; "
            "15 दिनों में प्रगति प्रतिवेदन समर्पित करें।"
        ),
        due_on=today + datetime.timedelta(days=5),
    )
    review = case_review_add(
        actor=_holder("sdpo-lalganj"),
        case=accident,
        reviewed_on=today - datetime.timedelta(days=30),
        directions="ट्रक मालिक से चालक का विवरण प्राप्त करें; परिवहन विभाग से वाहन का निबंधन सत्यापित करें।",
        due_on=today,
    )
    case_direction_comply(
        actor=shos["lalganj"],
        case=accident,
        review=review,
        complied_on=today - datetime.timedelta(days=2),
        note="ट्रक मालिक का बयान दर्ज; चालक की पहचान हुई, गिरफ्तारी हेतु छापेमारी जारी।",
    )
    return cases
