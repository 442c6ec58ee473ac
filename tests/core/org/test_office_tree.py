"""Offices as a tree (core.org.services.offices): kinds of parent, cycles, editing, closing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.base.records import records_register, records_unregister
from core.models import AuditEvent, Office, Post
from core.org import services
from core.org.selectors.offices import office_parent_choices, office_tree
from tenants.context import district_context
from tenants.models import User

pytestmark = pytest.mark.django_db
K = Office.Kind


@pytest.fixture
def tree(world, db, actor):
    """SP office → SDPO → circle → thana, made by the admin's services, in Vaishali."""
    with district_context("vaishali"):
        sp = Office.objects.get(code="sp-office")
        sdpo = services.office_create(actor=actor, code="g2-sdpo", name="SDPO G2", kind=K.SDPO, parent=sp)
        circle = services.office_create(
            actor=actor, code="g2-circle", name="Circle G2", kind=K.CIRCLE, parent=sdpo
        )
        thana = services.office_create(
            actor=actor, code="g2-thana", name="G2 Thana", name_hi="जी2 थाना", kind=K.THANA, parent=circle
        )
        yield {"sp": sp, "sdpo": sdpo, "circle": circle, "thana": thana}


def _message(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_admin_creates_an_office_with_both_names_audited(tree):
    thana = Office.objects.get(code="g2-thana")
    assert thana.name_hi == "जी2 थाना" and thana.parent == tree["circle"]
    assert thana.status == Office.Status.PLANNED
    event = AuditEvent.objects.filter(action="office.create", target_id=str(thana.pk)).get()
    assert event.person_login == "vaishali.admin"


def test_a_taken_code_is_refused_for_the_admin_but_seeding_gets_the_existing_office(tree, actor):
    with pytest.raises(ValidationError) as refused:
        services.office_create(actor=actor, code="g2-sdpo", name="Again", kind=K.SDPO, parent=tree["sp"])
    assert "g2-sdpo" in _message(refused.value, "code")
    again = services.office_create(code="g2-sdpo", name="Other name", kind=K.THANA)
    assert again.pk == tree["sdpo"].pk and again.name == "SDPO G2"


@pytest.mark.parametrize(
    ("kind", "parent_key"),
    [
        (K.THANA, "sp"),  # a thana sits under a circle or an SDPO
        (K.THANA, None),
        (K.CIRCLE, "thana"),  # a circle sits under an SDPO
        (K.CIRCLE, None),
        (K.SDPO, "circle"),  # an SDPO sits under the SP office or at the top
        (K.SP_OFFICE, "sdpo"),
        (K.POLICE_LINE, "thana"),
    ],
)
def test_a_parent_of_the_wrong_kind_is_refused(tree, actor, kind, parent_key):
    parent = tree[parent_key] if parent_key else None
    with pytest.raises(ValidationError) as refused:
        services.office_create(actor=actor, code="g2-wrong", name="Wrong", kind=kind, parent=parent)
    assert "sit under" in _message(refused.value, "parent")
    assert not Office.objects.filter(code="g2-wrong").exists()


def test_right_parents_are_accepted(tree, actor):
    services.office_create(actor=actor, code="g2-t2", name="T2", kind=K.THANA, parent=tree["sdpo"])
    services.office_create(actor=actor, code="g2-s2", name="S2", kind=K.SDPO)
    services.office_create(actor=actor, code="g2-pl", name="Line", kind=K.POLICE_LINE, parent=tree["sp"])
    services.office_create(actor=actor, code="g2-o", name="Other", kind=K.OTHER, parent=tree["thana"])


def test_moving_an_office_under_itself_or_a_descendant_is_refused(tree, actor):
    for parent in (tree["sdpo"], tree["circle"], tree["thana"]):
        with pytest.raises(ValidationError) as refused:
            services.office_move(actor=actor, office=tree["sdpo"], parent=parent)
        assert "cannot sit under itself" in _message(refused.value, "parent")
    assert Office.objects.get(pk=tree["sdpo"].pk).parent == tree["sp"]


def test_moving_a_thana_to_another_sdpo_is_audited(tree, actor):
    other = services.office_create(actor=actor, code="g2-sdpo2", name="SDPO 2", kind=K.SDPO)
    services.office_move(actor=actor, office=tree["thana"], parent=other)
    assert Office.objects.get(pk=tree["thana"].pk).parent == other
    event = AuditEvent.objects.get(action="office.move", target_id=str(tree["thana"].pk))
    assert event.details == {"from": "g2-circle", "to": "g2-sdpo2"}


def test_moving_a_thana_to_the_top_is_refused(tree, actor):
    with pytest.raises(ValidationError):
        services.office_move(actor=actor, office=tree["thana"], parent=None)


def test_parent_choices_leave_out_the_office_and_its_descendants(tree):
    choices = set(office_parent_choices(office=tree["sdpo"]).values_list("code", flat=True))
    assert "sp-office" in choices and not {"g2-sdpo", "g2-circle", "g2-thana"} & choices


def test_tree_lists_each_office_after_its_parent_indented(tree):
    rows = [(row.office.code, row.depth) for row in office_tree()]
    codes = [code for code, _depth in rows]
    assert (
        codes.index("sp-office") < codes.index("g2-sdpo") < codes.index("g2-circle") < codes.index("g2-thana")
    )
    depths = dict(rows)
    assert depths["g2-thana"] == depths["g2-circle"] + 1 == depths["g2-sdpo"] + 2


def test_update_changes_names_and_status_between_planned_and_preparing(tree, actor):
    services.office_update(
        actor=actor,
        office=tree["thana"],
        name="G2 Thana",
        name_hi="जी2 थाना नया",
        status=Office.Status.PREPARING,
        address="Main Road",
        go_live_target=datetime.date(2027, 3, 31),
    )
    thana = Office.objects.get(pk=tree["thana"].pk)
    assert (thana.name_hi, thana.status, thana.address) == ("जी2 थाना नया", "preparing", "Main Road")
    assert AuditEvent.objects.filter(action="office.update", target_id=str(thana.pk)).exists()
    with pytest.raises(ValidationError) as refused:
        services.office_update(actor=actor, office=thana, name="G2 Thana", status=Office.Status.LIVE)
    assert "status" in refused.value.message_dict


def test_a_type_that_its_sub_offices_cannot_sit_under_is_refused(tree, actor):
    with pytest.raises(ValidationError) as refused:
        services.office_update(actor=actor, office=tree["circle"], name="Circle G2", kind=K.THANA)
    assert "kind" in refused.value.message_dict or "parent" in refused.value.message_dict
    assert Office.objects.get(pk=tree["circle"].pk).kind == K.CIRCLE


def test_closing_needs_a_reason_and_a_date_not_in_the_future(tree, actor):
    with pytest.raises(ValidationError) as refused:
        services.office_close(actor=actor, office=tree["thana"], closed_on=timezone.localdate(), reason=" ")
    assert "close_reason" in refused.value.message_dict
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.office_close(actor=actor, office=tree["thana"], closed_on=tomorrow, reason="Merged")
    assert "closed_on" in refused.value.message_dict


def test_closing_an_office_with_open_sub_offices_is_refused(tree, actor):
    with pytest.raises(ValidationError) as refused:
        services.office_close(actor=actor, office=tree["circle"], closed_on=timezone.localdate(), reason="x")
    assert "open sub-offices: 1" in " ".join(refused.value.messages)
    assert Office.objects.get(pk=tree["circle"].pk).status != Office.Status.CLOSED


def test_closing_an_office_with_people_posted_is_refused(tree, actor):
    post = services.post_create(actor=actor, office=tree["thana"], code="g2-sho", title="SHO", kind="sho")
    person = User.objects.create_user("g2.sho", full_name="G2 SHO")
    services.posting_start(actor=actor, person=person, post=post)
    with pytest.raises(ValidationError) as refused:
        services.office_close(actor=actor, office=tree["thana"], closed_on=timezone.localdate(), reason="x")
    assert "people posted to its posts: 1" in " ".join(refused.value.messages)


def test_closing_an_office_holding_registered_open_records_is_refused(tree, actor):
    records_register(
        key="test.files",
        label="open files",
        office_count=lambda office: 3 if office.code == "g2-thana" else 0,
    )
    try:
        with pytest.raises(ValidationError) as refused:
            services.office_close(
                actor=actor, office=tree["thana"], closed_on=timezone.localdate(), reason="Merged"
            )
        assert "open files: 3" in " ".join(refused.value.messages)
    finally:
        records_unregister("test.files")
    assert Office.objects.get(pk=tree["thana"].pk).status == Office.Status.PLANNED


def test_closing_keeps_the_office_and_refuses_new_children_and_posts(tree, actor):
    today = timezone.localdate()
    services.office_close(actor=actor, office=tree["thana"], closed_on=today, reason="Merged into town thana")
    thana = Office.objects.get(pk=tree["thana"].pk)
    assert (thana.status, thana.closed_on, thana.close_reason) == ("closed", today, "Merged into town thana")
    assert AuditEvent.objects.filter(action="office.close", target_id=str(thana.pk)).exists()
    with pytest.raises(ValidationError):
        services.post_create(actor=actor, office=thana, code="g2-late", title="Late", kind=Post.Kind.SI)
    with pytest.raises(ValidationError):
        services.office_create(actor=actor, code="g2-under", name="Under", kind=K.OTHER, parent=thana)
    with pytest.raises(ValidationError, match="closed"):
        services.office_update(actor=actor, office=thana, name="Renamed after closing")
    assert Office.objects.get(pk=thana.pk).name != "Renamed after closing"
    # Now the circle has no open sub-office and closes too.
    services.office_close(actor=actor, office=tree["circle"], closed_on=today, reason="Merged")
