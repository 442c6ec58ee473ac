"""The demo: the Tirhut range, with Vaishali live in its first rollout phase, the range's DIG and
police headquarters (IG, ADG) on their own hosts.

Phase 1 as it happened in Vaishali (Prabhat Khabar, 20 March 2025): the SP office, the police
line (police centre Hajipur) and the SDPO offices of Mahua, Mahnar and Lalganj. The other
districts of the range are planned. Officer names are invented.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.base.audit import Actor
from core.models import ActiveDay, Office, Post, ReadinessItem, TrainingSession
from core.org import services as core_services
from core.org.selectors.readiness import office_readiness_gaps
from core.org.selectors.training import office_training_coverage
from core.org.services.office_setup import offices_apply
from core.org.services.readiness import readiness_confirm, training_details
from core.org.services.training import training_attendance_mark, training_invite, training_session_create
from state_admin.demo_cases import THANA_OFFICERS, demo_cases_seed
from state_admin.demo_efile import demo_efile_seed
from state_admin.demo_rti import demo_rti_seed
from state_admin.demo_supervision import demo_supervision_logins, demo_supervision_seed
from state_admin.models import OfficeTemplate, RolloutPlan
from state_admin.services.audit import StaffActor
from state_admin.services.office_templates import office_template_builtin_ensure
from state_admin.services.provisioning import DistrictSpec, district_provision
from state_admin.services.rollouts import phase_go_live, phase_target_set, rollout_plan_create
from state_admin.services.rollup import rollup_refresh
from tenants.context import district_context
from tenants.models import District, Domain
from tenants.naming import schema_name_for
from tenants.services import person_get_or_create, police_range_get_or_create

DEMO_PASSWORD = "karyalay-demo-2025"  # noqa: S105 (printed by make run; local demo only)
RANGE = "Tirhut"
RANGE_HI = "तिरहुत"

PLANNED = [
    ("muzaffarpur", "Muzaffarpur", "मुज़फ़्फ़रपुर"),
    ("sitamarhi", "Sitamarhi", "सीतामढ़ी"),
    ("sheohar", "Sheohar", "शिवहर"),
]

# office code, post code, title, title_hi, kind, login_id, name, name_hi
OFFICERS = [
    (
        "sp-office",
        "sp",
        "Superintendent of Police, Vaishali",
        "पुलिस अधीक्षक, वैशाली",
        Post.Kind.SP,
        "sp.vaishali",
        "Ravi Ranjan Prasad",
        "रवि रंजन प्रसाद",
    ),
    (
        "sp-office",
        "dsp-hq",
        "DSP Headquarters",
        "मुख्यालय डीएसपी",
        Post.Kind.DSP,
        "dsphq.vaishali",
        "Sanjay Kumar Sinha",
        "संजय कुमार सिन्हा",
    ),
    (
        "sp-office",
        "head-clerk",
        "Head Clerk, SP Office",
        "प्रधान लिपिक, एसपी कार्यालय",
        Post.Kind.HEAD_CLERK,
        "headclerk.vaishali",
        "Meena Kumari",
        "मीना कुमारी",
    ),
    (
        "sp-office",
        "dak-clerk",
        "Dak Clerk, SP Office",
        "डाक लिपिक, एसपी कार्यालय",
        Post.Kind.CLERK,
        "clerk.vaishali",
        "Ramesh Kumar",
        "रमेश कुमार",
    ),
    (
        "sp-office",
        "pio",
        "Public Information Officer",
        "लोक सूचना पदाधिकारी",
        Post.Kind.PIO,
        "pio.vaishali",
        "Anil Kumar Verma",
        "अनिल कुमार वर्मा",
    ),
    (
        "police-line-hajipur",
        "sergeant-major",
        "Sergeant Major, Police Centre Hajipur",
        "सार्जेंट मेजर, पुलिस केंद्र हाजीपुर",
        Post.Kind.INSPECTOR,
        "sm.hajipur",
        "Dinesh Paswan",
        "दिनेश पासवान",
    ),
    (
        "sdpo-mahua",
        "sdpo-mahua",
        "SDPO Mahua",
        "एसडीपीओ महुआ",
        Post.Kind.SDPO,
        "sdpo.mahua",
        "Priya Singh",
        "प्रिया सिंह",
    ),
    (
        "sdpo-mahnar",
        "sdpo-mahnar",
        "SDPO Mahnar",
        "एसडीपीओ महनार",
        Post.Kind.SDPO,
        "sdpo.mahnar",
        "Rakesh Kumar Yadav",
        "राकेश कुमार यादव",
    ),
    (
        "sdpo-lalganj",
        "sdpo-lalganj",
        "SDPO Lalganj",
        "एसडीपीओ लालगंज",
        Post.Kind.SDPO,
        "sdpo.lalganj",
        "Sunita Devi",
        "सुनीता देवी",
    ),
]


def demo_logins() -> list[tuple[str, str]]:
    """(host, login ID) pairs that the demo creates, for make run to print."""
    root = settings.ROOT_DOMAIN
    return (
        [(root, "state.admin"), (f"vaishali.{root}", "vaishali.admin")]
        + [(f"vaishali.{root}", officer[5]) for officer in OFFICERS]
        + [(f"vaishali.{root}", officer[1]) for officer in THANA_OFFICERS]
        + demo_supervision_logins(root)
    )


VAISHALI_PHASE1_LIVE = datetime.date(2025, 3, 20)
PLAN_NAME = "Tirhut range e-Office rollout"
# district slug → {phase number: target date}
TARGETS = {
    "vaishali": {1: VAISHALI_PHASE1_LIVE, 2: datetime.date(2026, 12, 15), 3: datetime.date(2027, 3, 31)},
    "muzaffarpur": {1: datetime.date(2027, 1, 15)},
    "sitamarhi": {1: datetime.date(2027, 2, 15)},
    "sheohar": {1: datetime.date(2027, 3, 15)},
}
# Circle offices getting ready for phase 2: what each has confirmed so far.
PREPARING = {
    "circle-hajipur": ["computers", "scanner", "internet", "power", "training"],
    "circle-mahua": ["computers", "internet", "power"],
    "circle-mahnar": ["computers"],
}
ACTIVITY_WEEKS = 12


def demo_seed() -> District:
    """Create the demo once; running it again changes nothing."""
    staff, _ = person_get_or_create(
        login_id="state.admin",
        full_name="State IT Cell",
        full_name_hi="राज्य आईटी प्रकोष्ठ",
        email="state.admin@example.org",
        password=DEMO_PASSWORD,
        is_staff=True,
        must_set_password=False,
    )
    admin, _ = person_get_or_create(
        login_id="vaishali.admin",
        full_name="Vaishali e-Office Cell",
        full_name_hi="वैशाली ई-ऑफिस प्रकोष्ठ",
        email="vaishali.admin@example.org",
        password=DEMO_PASSWORD,
        must_set_password=False,
    )
    vaishali = district_provision(
        spec=DistrictSpec(
            slug="vaishali",
            name="Vaishali",
            name_hi="वैशाली",
            range_name=RANGE,
            admin_login_id="vaishali.admin",
        )
    )
    office_template_builtin_ensure()
    template = OfficeTemplate.objects.get(slug="vaishali-2025")
    with transaction.atomic(), district_context(vaishali.schema_name):
        offices_apply(
            structure=template.offices, district_name=vaishali.name, district_name_hi=vaishali.name_hi
        )
        people = _phase_one_officers()
        _phase_one_training(Actor(person=admin), [*people, admin])
        for office in Office.objects.filter(phase=1).exclude(status=Office.Status.LIVE):
            _phase_one_checklist(office, admin)
            gaps = office_readiness_gaps(office)
            core_services.office_go_live(
                actor=Actor(person=admin),
                office=office,
                on=VAISHALI_PHASE1_LIVE,
                override_reason=PHASE_ONE_OVERRIDE if gaps else "",
            )
        for code, items in PREPARING.items():
            office = Office.objects.filter(code=code, status=Office.Status.PLANNED).first()
            if office is not None and not office.readiness_items.exists():
                for item in items:
                    readiness_confirm(office=office, item=item, person=admin, details=CHECKLIST.get(item, {}))
                office.status = Office.Status.PREPARING
                office.save(update_fields=["status"])
        _activity(people + [admin])
        demo_efile_seed()
        demo_cases_seed(password=DEMO_PASSWORD, starts_on=VAISHALI_PHASE1_LIVE)
        demo_rti_seed()
    for slug, name, name_hi in PLANNED:
        with transaction.atomic():
            district, _ = District.objects.get_or_create(
                slug=slug,
                defaults={
                    "schema_name": schema_name_for(slug),
                    "name": name,
                    "name_hi": name_hi,
                    "police_range": police_range_get_or_create(name=RANGE, name_hi=RANGE_HI),
                },
            )
            Domain.objects.get_or_create(
                domain=f"{slug}.{settings.ROOT_DOMAIN}", defaults={"tenant": district, "is_primary": True}
            )
    demo_supervision_seed(password=DEMO_PASSWORD)
    _rollout_plan(StaffActor(user=staff))
    rollup_refresh()
    return vaishali


# What phase 1 offices had in place in March 2025 (the checklist's details, as the forms record them).
CHECKLIST = {
    "computers": {"needed": 4, "installed": 4},
    "scanner": {"available": True, "model": "Canon DR-C225"},
    "internet": {"type": "broadband", "tested_on": "2025-03-14", "mbps": 50},
    "power": {"kind": "inverter", "hours": 4},
    "migration": {"share": 100},
}
TRAINING_DAY = datetime.date(2025, 3, 12)
PHASE_ONE_OVERRIDE = "Went live with the SP office in phase 1; its staff were trained there."


def _phase_one_officers() -> list:
    people = []
    for office_code, post_code, title, title_hi, kind, login_id, name, name_hi in OFFICERS:
        post = core_services.post_create(
            office=Office.objects.get(code=office_code),
            code=post_code,
            title=title,
            title_hi=title_hi,
            kind=kind,
        )
        person, _ = person_get_or_create(
            login_id=login_id,
            full_name=name,
            full_name_hi=name_hi,
            email=f"{login_id}@example.org",
            password=DEMO_PASSWORD,
            must_set_password=False,
        )
        core_services.posting_start(person=person, post=post, starts_on=VAISHALI_PHASE1_LIVE)
        people.append(person)
    return people


def _phase_one_training(actor: Actor, people: list) -> None:
    """The session before go-live, at the police centre, which every phase 1 officer attended."""
    if TrainingSession.objects.filter(held_on=TRAINING_DAY).exists():
        return
    session = training_session_create(
        actor=actor,
        held_on=TRAINING_DAY,
        trainer="NIC Vaishali",
        place="Police Centre Hajipur",
        topics="Dak diarisation, e-files and notings, moving files between posts, scanning old case papers",
    )
    training_invite(actor=actor, session=session, people=people)
    training_attendance_mark(
        actor=actor, session=session, marks={invite.pk: True for invite in session.invites.all()}
    )


def _phase_one_checklist(office, admin) -> None:
    for item, details in CHECKLIST.items():
        readiness_confirm(office=office, item=item, person=admin, details=details)
    coverage = office_training_coverage([office.pk])[office.pk]
    readiness_confirm(
        office=office,
        item=ReadinessItem.Item.TRAINING,
        person=admin,
        done=coverage.complete,
        details=training_details(coverage),
    )


def _activity(people) -> None:
    """Weekday use of the district by its officers over the last weeks: each officer starts a week
    after the one before, and uses it on most weekdays after that (deterministic, so a re-run adds
    nothing)."""
    today = timezone.localdate()
    window = ACTIVITY_WEEKS * 7
    rows = []
    for n, person in enumerate(people):
        first_day_back = window - 1 - 7 * n
        for day_back in range(max(first_day_back, 0) + 1):
            day = today - datetime.timedelta(days=day_back)
            if day.weekday() < 5 and (day.toordinal() + n) % 4:
                rows.append(ActiveDay(person=person, day=day))
    ActiveDay.objects.bulk_create(rows, ignore_conflicts=True)


def _rollout_plan(actor: StaffActor) -> None:
    if RolloutPlan.objects.filter(name=PLAN_NAME).exists():
        return
    with transaction.atomic():
        plan = rollout_plan_create(
            actor=actor,
            name=PLAN_NAME,
            name_hi="तिरहुत क्षेत्र ई-ऑफिस रोलआउट",
            police_range=police_range_get_or_create(name=RANGE, name_hi=RANGE_HI),
        )
        phases = {phase.number: phase for phase in plan.phases.all()}
        for slug, dates in TARGETS.items():
            district = District.objects.get(slug=slug)
            for number, day in dates.items():
                target = phase_target_set(actor=actor, phase=phases[number], district=district, target_on=day)
                if day <= timezone.localdate() and district.is_live:
                    phase_go_live(actor=actor, target=target, today=day)
