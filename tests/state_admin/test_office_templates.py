import json

import pytest
from django.core.exceptions import ValidationError

from core.models import Office, Post
from core.org import services as core_services
from state_admin.models import AuditEvent, OfficeTemplate
from state_admin.office_template_builtins import BUILTIN_SLUGS, VAISHALI_2025
from state_admin.services.audit import StaffActor
from state_admin.services.office_templates import (
    office_template_apply,
    office_template_builtin_ensure,
    office_template_capture,
    office_template_create,
    office_template_list,
    office_template_structure_check,
)
from tenants.context import district_context
from tenants.models import District
from tests.state_admin.conftest import non_staff_clients, refused

pytestmark = pytest.mark.django_db

STANDARD = "bihar-district-police-standard"


def _structure(**changes) -> list[dict]:
    office = {
        "code": "t-tpl-sdpo",
        "name": "SDPO Office Test {district}",
        "name_hi": "एसडीपीओ कार्यालय {district_hi}",
        "kind": "sdpo",
        "parent": "",
        "phase": 1,
        "posts": [{"code": "t-tpl-sdpo-post", "title": "SDPO Test", "title_hi": "", "kind": "sdpo"}],
    }
    office.update(changes)
    return [office]


def _template(world, slug: str = "t-own") -> OfficeTemplate:
    return office_template_create(
        actor=StaffActor(user=world.staff), slug=slug, name="Own template", offices=_structure()
    )


def _counts(schema: str) -> tuple[int, int]:
    with district_context(schema):
        return Office.objects.count(), Post.objects.count()


def test_builtins_exist_after_migrate_and_ensure_is_idempotent(world):
    slugs = set(OfficeTemplate.objects.values_list("slug", flat=True))
    assert slugs >= BUILTIN_SLUGS
    assert office_template_builtin_ensure() == 0
    for template in OfficeTemplate.objects.filter(slug__in=BUILTIN_SLUGS):
        assert office_template_structure_check(template.offices) == template.offices
    assert {t.slug for t in office_template_list()} >= BUILTIN_SLUGS


def test_vaishali_builtin_has_the_phase_one_offices_and_real_places():
    offices = {office["code"]: office for office in VAISHALI_2025["offices"]}
    for code in (
        "sp-office",
        "police-line-hajipur",
        "dsp-hq-office",
        "sdpo-mahua",
        "sdpo-mahnar",
        "sdpo-lalganj",
    ):
        assert offices[code]["phase"] == 1
    assert offices["police-line-hajipur"]["name_hi"] == "पुलिस लाइन (पुलिस केंद्र हाजीपुर)"
    assert offices["thana-sahdei-buzurg"]["phase"] == 3 and offices["circle-mahua"]["phase"] == 2
    assert offices["sdpo-mahua"]["name_hi"] == "एसडीपीओ कार्यालय महुआ"
    sp_posts = {post["kind"] for post in offices["sp-office"]["posts"]}
    assert {"sp", "addl_sp", "dsp", "head_clerk", "clerk", "operator", "pio"} <= sp_posts


def test_builtin_changed_in_the_table_is_restored(world):
    OfficeTemplate.objects.filter(slug=STANDARD).update(name="changed", offices=[])
    assert office_template_builtin_ensure() == 1
    assert OfficeTemplate.objects.get(slug=STANDARD).name == "Bihar district police — standard"


@pytest.mark.parametrize(
    ("structure", "expected"),
    [
        (_structure(kind="fort"), "unknown office type “fort”"),
        (_structure(parent="nowhere"), "its parent “nowhere” is not an office of this template"),
        (_structure() + _structure(), "the office code is used twice"),
        (_structure(name=""), "the office needs a name"),
        (_structure(phase=0), "the phase must be a whole number from 1 to 9"),
        (_structure(phase="one"), "the phase must be a whole number from 1 to 9"),
        (_structure(code="Bad Code"), "the code must be lower-case letters"),
        (_structure(posts=[{"code": "p", "title": "", "kind": "sp"}]), "the post needs a title"),
        (_structure(posts=[{"code": "p", "title": "P", "kind": "king"}]), "unknown post type “king”"),
        (_structure(parent="t-tpl-sdpo"), "cannot be its own parent"),
        ([], "at least one office"),
        ({"offices": []}, "at least one office"),
    ],
)
def test_structure_check_names_each_problem(structure, expected):
    with pytest.raises(ValidationError) as caught:
        office_template_structure_check(structure)
    assert any(expected in message for message in caught.value.messages), caught.value.messages


def test_duplicate_post_codes_across_offices_are_refused():
    second = _structure(code="t-tpl-other")[0]
    with pytest.raises(ValidationError) as caught:
        office_template_structure_check(_structure() + [second])
    assert "the post code is used twice" in " ".join(caught.value.messages)


def test_staff_sees_the_list_and_a_tree(world, staff_client):
    response = staff_client.get("/templates/")
    assert response.status_code == 200 and "Vaishali 2025" in response.text
    response = staff_client.get(f"/templates/{VAISHALI_2025['slug']}/")
    assert response.status_code == 200
    assert "Sahdei Buzurg Thana" in response.text and "सहदेई बुजुर्ग थाना" in response.text
    assert "Circle Office Mahua" in response.text and "Superintendent of Police" in response.text
    assert staff_client.get("/templates/new/").status_code == 200
    assert staff_client.get(f"/templates/{STANDARD}/edit/").status_code == 200
    assert staff_client.get("/templates/no-such/").status_code == 404


def test_capture_vaishali_then_apply_to_muzaffarpur_only_there_and_once(world, staff_client):
    with district_context(world.vaishali.schema_name):
        parent = core_services.office_create(
            code="t-cap-sdpo",
            name="SDPO Office Vaishali East",
            name_hi="एसडीपीओ कार्यालय वैशाली पूर्व",
            kind="sdpo",
        )
        child = core_services.office_create(
            code="t-cap-thana", name="Test Thana", kind="thana", parent=parent, phase=3
        )
        core_services.post_create(office=child, code="t-cap-sho", title="SHO Test, Vaishali", kind="sho")
    vaishali_before = _counts(world.vaishali.schema_name)
    response = staff_client.post(
        "/templates/new/", {"slug": "t-captured", "name": "Captured", "capture_from": "vaishali"}
    )
    assert response.status_code == 302, response.content
    template = OfficeTemplate.objects.get(slug="t-captured")
    codes = [office["code"] for office in template.offices]
    assert codes.index("t-cap-sdpo") < codes.index("t-cap-thana")
    captured = {office["code"]: office for office in template.offices}
    assert captured["t-cap-sdpo"]["name"] == "SDPO Office {district} East"
    assert captured["t-cap-thana"]["parent"] == "t-cap-sdpo" and captured["t-cap-thana"]["phase"] == 3
    assert AuditEvent.objects.filter(action="office_template.capture", district_slug="vaishali").exists()

    muzaffarpur_before = _counts(world.muzaffarpur.schema_name)
    response = staff_client.post("/templates/t-captured/apply/", {"district": "muzaffarpur"}, follow=True)
    assert response.status_code == 200 and "posts created" in response.text
    event = AuditEvent.objects.get(action="office_template.apply", district_slug="muzaffarpur")
    assert event.details["offices_created"] >= 2 and event.details["posts_created"] >= 1
    after = _counts(world.muzaffarpur.schema_name)
    assert after == (
        muzaffarpur_before[0] + event.details["offices_created"],
        muzaffarpur_before[1] + event.details["posts_created"],
    )
    with district_context(world.muzaffarpur.schema_name):
        east = Office.objects.get(code="t-cap-sdpo")
        assert east.name == "SDPO Office Muzaffarpur East" and east.name_hi == "एसडीपीओ कार्यालय मुज़फ़्फ़रपुर पूर्व"
        assert Office.objects.get(code="t-cap-thana").parent == east
        assert Post.objects.get(code="t-cap-sho").title == "SHO Test, Muzaffarpur"
    assert _counts(world.vaishali.schema_name) == vaishali_before

    staff_client.post("/templates/t-captured/apply/", {"district": "muzaffarpur"})
    second = AuditEvent.objects.filter(action="office_template.apply").order_by("-id").first()
    assert second.details == {"offices_created": 0, "posts_created": 0}
    assert _counts(world.muzaffarpur.schema_name) == after


def test_apply_standard_leaves_existing_offices_as_they_are(world):
    with district_context(world.muzaffarpur.schema_name):
        sp_office = Office.objects.get(code="sp-office")
        before_name = sp_office.name
    template = OfficeTemplate.objects.get(slug=STANDARD)
    counts = office_template_apply(
        actor=StaffActor(user=world.staff), district=world.muzaffarpur, template=template
    )
    assert counts["offices_created"] >= 5 and counts["posts_created"] >= 10
    with district_context(world.muzaffarpur.schema_name):
        assert Office.objects.get(code="sp-office").name == before_name
        dcrb = Office.objects.get(code="dcrb")
        assert dcrb.name == "District Crime Records Bureau Muzaffarpur"
        assert dcrb.name_hi == "जिला अपराध अभिलेख ब्यूरो मुज़फ़्फ़रपुर" and dcrb.status == Office.Status.PLANNED
        assert Office.objects.get(code="thana-town").phase == 3
        assert Post.objects.get(code="sp").office.code == "sp-office"


def test_apply_to_a_district_that_is_not_live_is_refused(world, staff_client):
    District.objects.filter(pk=world.muzaffarpur.pk).update(status=District.Status.SUSPENDED)
    suspended = District.objects.get(pk=world.muzaffarpur.pk)
    before = _counts(world.muzaffarpur.schema_name)
    with pytest.raises(ValidationError):
        office_template_apply(
            actor=StaffActor(user=world.staff),
            district=suspended,
            template=OfficeTemplate.objects.get(slug=STANDARD),
        )
    response = staff_client.post(f"/templates/{STANDARD}/apply/", {"district": "muzaffarpur"}, follow=True)
    assert "Choose a live district" in response.text
    assert _counts(world.muzaffarpur.schema_name) == before
    assert not AuditEvent.objects.filter(action="office_template.apply").exists()


def test_copy_makes_an_editable_template(world, staff_client):
    response = staff_client.post("/templates/new/", {"slug": "t-copy", "name": "Copy", "copy_from": STANDARD})
    assert response.status_code == 302
    copy = OfficeTemplate.objects.get(slug="t-copy")
    assert copy.offices == OfficeTemplate.objects.get(slug=STANDARD).offices
    assert AuditEvent.objects.filter(action="office_template.copy", target="t-copy").exists()
    offices = copy.offices + _structure()
    response = staff_client.post(
        "/templates/t-copy/edit/",
        {"name": "Copy 2", "name_hi": "प्रति", "description": "", "offices": json.dumps(offices)},
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.name == "Copy 2" and copy.offices[-1]["code"] == "t-tpl-sdpo"
    assert AuditEvent.objects.filter(action="office_template.update", target="t-copy").exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"slug": "t-x", "name": "X"}, "Choose a template to copy or a district to capture."),
        ({"slug": "t-x", "name": "X", "copy_from": STANDARD, "capture_from": "vaishali"}, "not both"),
        ({"slug": "new", "name": "X", "copy_from": STANDARD}, "not “new”"),
        ({"slug": STANDARD, "name": "X", "copy_from": STANDARD}, "already has the code"),
        ({"slug": "t-x", "name": "", "copy_from": STANDARD}, "This field is required"),
    ],
)
def test_new_template_form_errors(world, staff_client, data, expected):
    count = OfficeTemplate.objects.count()
    response = staff_client.post("/templates/new/", data)
    assert response.status_code == 200 and expected in response.text
    assert OfficeTemplate.objects.count() == count


@pytest.mark.parametrize(
    ("offices", "expected"),
    [
        ("[{", "This is not valid JSON"),
        (json.dumps(_structure(kind="fort")), "unknown office type"),
        (json.dumps(_structure(parent="nowhere")), "is not an office of this template"),
        (json.dumps(_structure() + _structure()), "the office code is used twice"),
        (json.dumps(_structure(name="  ")), "the office needs a name"),
        (json.dumps(_structure(phase=12)), "the phase must be a whole number"),
    ],
)
def test_edit_shows_json_errors_and_changes_nothing(world, staff_client, offices, expected):
    template = _template(world)
    response = staff_client.post(
        f"/templates/{template.slug}/edit/", {"name": "Changed", "description": "", "offices": offices}
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    template.refresh_from_db()
    assert template.name == "Own template" and template.offices == _structure()


def test_builtin_cannot_be_edited(world, staff_client):
    template = OfficeTemplate.objects.get(slug=STANDARD)
    response = staff_client.post(
        f"/templates/{STANDARD}/edit/",
        {"name": "Mine", "description": "", "offices": json.dumps(_structure())},
    )
    assert response.status_code == 200 and "copy it to make changes" in response.text
    assert OfficeTemplate.objects.get(slug=STANDARD).offices == template.offices


def test_non_staff_are_refused_every_page_and_action(world):
    template = _template(world)
    before_templates = OfficeTemplate.objects.count()
    before_offices = _counts(world.muzaffarpur.schema_name)
    for who, client in non_staff_clients().items():
        for url in (
            "/templates/",
            f"/templates/{template.slug}/",
            "/templates/new/",
            f"/templates/{template.slug}/edit/",
        ):
            assert refused(client.get(url)), (who, url)
        posts = [
            ("/templates/new/", {"slug": "t-evil", "name": "Evil", "copy_from": STANDARD}),
            (f"/templates/{template.slug}/edit/", {"name": "Evil", "offices": json.dumps(_structure())}),
            (f"/templates/{template.slug}/apply/", {"district": "muzaffarpur"}),
        ]
        for url, data in posts:
            assert refused(client.post(url, data)), (who, url)
    template.refresh_from_db()
    assert template.name == "Own template"
    assert OfficeTemplate.objects.count() == before_templates
    assert _counts(world.muzaffarpur.schema_name) == before_offices
    assert not AuditEvent.objects.exclude(action="office_template.create").exists()


def _office(**changes) -> dict:
    return _structure(**changes)[0]


def _post(**changes) -> dict:
    post = {"code": "t-tpl-post", "title": "Post", "title_hi": "", "kind": "sdpo"}
    post.update(changes)
    return post


@pytest.mark.parametrize(
    ("offices", "expected"),
    [
        ([_office(code=["a"])], "the code must be lower-case letters"),
        ([_office(code={"x": 1})], "the code must be lower-case letters"),
        ([_office(kind=["sdpo"])], "unknown office type “?”"),
        ([_office(kind={"x": 1})], "unknown office type “?”"),
        ([_office(parent=["b"])], "the parent must be the code of an office of this template"),
        ([_office(parent={"x": 1})], "the parent must be the code of an office of this template"),
        ([_office(parent=7)], "the parent must be the code of an office of this template"),
        ([_office(name=["SDPO"])], "the office needs a name"),
        ([_office(name=7)], "the office needs a name"),
        ([_office(name_hi=["एसडीपीओ"])], "the Hindi name must be text"),
        ([_office(posts=[_post(code={"x": 1})])], "the code must be lower-case letters"),
        ([_office(posts=[_post(code=["p"])])], "the code must be lower-case letters"),
        ([_office(posts=[_post(kind=["sdpo"])])], "unknown post type “?”"),
        ([_office(posts=[_post(title=["SDPO"])])], "the post needs a title"),
        ([_office(posts=[_post(title_hi={"x": 1})])], "the Hindi title must be text"),
    ],
)
def test_values_of_the_wrong_type_are_named_not_crashed_on(world, staff_client, offices, expected):
    with pytest.raises(ValidationError) as caught:
        office_template_structure_check(offices)
    assert any(expected in message for message in caught.value.messages), caught.value.messages

    template = _template(world)
    response = staff_client.post(
        f"/templates/{template.slug}/edit/",
        {"name": "Changed", "description": "", "offices": json.dumps(offices, ensure_ascii=False)},
    )
    assert response.status_code == 200
    assert expected in response.text
    template.refresh_from_db()
    assert template.name == "Own template" and template.offices == _structure()
    assert not AuditEvent.objects.filter(action="office_template.update").exists()


def test_only_valid_codes_count_as_offices_and_posts():
    bad = _office(code="Bad Code", posts=[_post(code="Bad Post")])
    child = _office(code="t-child", parent="Bad Code", posts=[_post(code="Bad Post")])
    with pytest.raises(ValidationError) as caught:
        office_template_structure_check([bad, child])
    messages = caught.value.messages
    assert any("its parent “Bad Code” is not an office of this template" in m for m in messages), messages
    assert not any("used twice" in m for m in messages), messages


@pytest.mark.parametrize(
    ("offices", "expected"),
    [
        ("[" * 5000 + "]" * 5000, "This JSON is nested too deeply to read."),
        ('[{"phase": ' + "1" * 5000 + "}]", "This is not valid JSON"),
        ("[" + " " * 1_000_000 + "]", "The offices JSON is too long: at most 1000000 characters"),
    ],
)
def test_edit_refuses_json_too_deep_or_too_long(world, staff_client, offices, expected):
    template = _template(world)
    response = staff_client.post(
        f"/templates/{template.slug}/edit/", {"name": "Changed", "description": "", "offices": offices}
    )
    assert response.status_code == 200
    assert expected in response.text
    template.refresh_from_db()
    assert template.name == "Own template" and template.offices == _structure()


def test_capture_offers_and_accepts_only_districts_with_a_schema(world, staff_client):
    District.objects.create(
        slug="sheohar", schema_name="sheohar", name="Sheohar", status=District.Status.PROVISIONING
    )
    District.objects.filter(pk=world.muzaffarpur.pk).update(status=District.Status.SUSPENDED)
    page = staff_client.get("/templates/new/").text
    assert 'value="sheohar"' not in page
    assert 'value="vaishali"' in page and 'value="muzaffarpur"' in page
    count = OfficeTemplate.objects.count()

    response = staff_client.post(
        "/templates/new/", {"slug": "t-early", "name": "Early", "capture_from": "sheohar"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert "Choose a template to copy" not in response.text
    with pytest.raises(ValidationError) as caught:
        office_template_capture(
            actor=StaffActor(user=world.staff),
            district=District.objects.get(slug="sheohar"),
            slug="t-early",
            name="Early",
        )
    assert "capture_from" in caught.value.message_dict
    assert OfficeTemplate.objects.count() == count
    assert not AuditEvent.objects.filter(action="office_template.capture").exists()

    response = staff_client.post(
        "/templates/new/", {"slug": "t-suspended", "name": "Suspended", "capture_from": "muzaffarpur"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="office_template.capture", district_slug="muzaffarpur").exists()
