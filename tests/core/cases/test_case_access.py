"""The one rule for who sees a case: the thana's officers, the IO's post, supervisors whose scope
covers the thana (SHO, circle inspector, SDPO, SP); nobody else, not the district admin."""

from core.base.access import viewer_for
from core.cases.access import case_for, cases_visible
from core.models import Office, Post
from core.org import services as core_services
from tenants.context import district_context
from tenants.models import User
from tests.core.cases.casework import register


def _posted(login_id: str, office: Office, kind: str) -> User:
    person, _ = User.objects.get_or_create(login_id=login_id, defaults={"full_name": login_id})
    post = core_services.post_create(office=office, code=login_id, title=login_id, kind=kind)
    core_services.posting_start(person=person, post=post)
    return person


def test_a_circle_inspector_sees_the_cases_of_thanas_under_the_circle_only(ef):
    with district_context("vaishali"):
        circle = core_services.office_create(
            code="ef-circle-bidupur",
            name="Bidupur Circle",
            kind=Office.Kind.CIRCLE,
            parent=ef.offices["ef-sdpo-mahua"],
        )
        bidupur = core_services.office_create(
            code="ef-thana-bidupur", name="Bidupur Thana", kind=Office.Kind.THANA, parent=circle
        )
        inspector = _posted("ci.bidupur", circle, Post.Kind.INSPECTOR)
        # An inspector posted in a thana heads nothing, but sees the thana's cases as its officer.
        thana_inspector = _posted("insp.mahua", ef.offices["ef-thana-mahua"], Post.Kind.INSPECTOR)
        bidupur_sho = _posted("sho.bidupur", bidupur, Post.Kind.SHO)
        mahua_case = register(ef, fir_number=1)
        bidupur_case = register(ef, key="sdpo", thana=bidupur, fir_number=1)
        assert list(cases_visible(viewer_for(inspector))) == [bidupur_case]
        assert list(cases_visible(viewer_for(bidupur_sho))) == [bidupur_case]
        assert list(cases_visible(viewer_for(thana_inspector))) == [mahua_case]
        assert set(cases_visible(viewer_for(ef.people["sdpo"]))) == {mahua_case, bidupur_case}
        assert set(cases_visible(viewer_for(ef.people["sp"]))) == {mahua_case, bidupur_case}
        assert case_for(viewer_for(bidupur_sho), mahua_case.pk) is None


def test_the_district_admin_and_a_person_without_posting_see_no_case(ef, world):
    with district_context("vaishali"):
        case = register(ef)
        admin = User.objects.get(login_id="vaishali.admin")
        assert not cases_visible(viewer_for(admin)).exists()
        assert case_for(viewer_for(world.unposted), case.pk) is None
        assert case_for(viewer_for(None), case.pk) is None
        assert case_for(viewer_for(ef.people["sho"]), case.pk) == case
