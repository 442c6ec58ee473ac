"""The post picker every send/mark form uses."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.efile.selectors.posts import _district_groups_read, post_choice_ids, post_choices
from core.models import Office, Post, Posting
from core.org import services as core_services
from tenants.context import district_context
from tenants.models import User


def test_open_posts_grouped_by_office_with_holders(ef):
    with district_context("vaishali"), translation.override("en"):
        choices = post_choices()
        groups = dict(choices)
        assert "SDPO Office Mahua" in groups
        labels = dict(groups["SDPO Office Mahua"])
        assert labels[ef.posts["sdpo"].pk] == "SDPO Mahua — Ef Sdpo"
        ids = post_choice_ids(choices)
        assert ef.posts["sp"].pk in ids
        assert not Post.objects.filter(pk__in=ids, kind=Post.Kind.DISTRICT_ADMIN).exists()
        # Office order follows the tree: the SP office before its SDPO offices.
        names = [name for name, _options in choices]
        assert names.index("SDPO Office Mahua") < names.index("Mahua Thana")


def test_excluded_closed_and_vacant_posts(ef):
    with district_context("vaishali"), translation.override("en"):
        ids = post_choice_ids(post_choices(exclude_post_id=ef.posts["clerk"].pk))
        assert ef.posts["clerk"].pk not in ids
        vacant = Post.objects.create(
            office=ef.offices["ef-thana-mahua"], code="ef-asi", title="ASI Mahua", kind=Post.Kind.ASI
        )
        closed = Post.objects.create(
            office=ef.offices["ef-thana-mahua"],
            code="ef-old",
            title="Old post",
            kind=Post.Kind.ASI,
            closed_on="2024-01-01",
        )
        labels = dict(dict(post_choices())["Mahua Thana"])
        assert labels[vacant.pk] == "ASI Mahua — vacant"
        assert closed.pk not in labels


def test_hindi_labels_and_fixed_query_count(ef):
    with district_context("vaishali"), translation.override("hi"):
        with CaptureQueriesContext(connection) as queries:
            choices = post_choices()
        selects = [q["sql"] for q in queries if not q["sql"].startswith("SET ")]
        # The versions of what the picker shows, then (not in the cache yet) posts, holders, offices.
        assert len(selects) == 4
        assert "एसडीपीओ कार्यालय महुआ" in dict(choices)
        with CaptureQueriesContext(connection) as queries:
            assert post_choices() == choices
        assert len([q for q in queries if not q["sql"].startswith("SET ")]) == 1  # from the cache


def _labels(choices) -> dict[int, str]:
    return {pk: label for _office, options in choices for pk, label in options}


def test_the_cached_picker_shows_every_change_at_the_next_look(ef):
    """Kept in the cache, the picker still shows at once a renamed post or office, a new posting,
    an ended one, a renamed holder and a closed post, whichever code wrote them."""
    with district_context("vaishali"), translation.override("en"):
        sdpo, clerk = ef.posts["sdpo"], ef.posts["clerk"]
        before = post_choices()
        assert post_choices() == before
        Post.objects.filter(pk=sdpo.pk).update(title="SDPO Mahua East")
        assert _labels(post_choices())[sdpo.pk] == "SDPO Mahua East — Ef Sdpo"
        Post.objects.filter(pk=sdpo.pk).update(title="SDPO Mahua West")  # twice in one transaction
        assert _labels(post_choices())[sdpo.pk] == "SDPO Mahua West — Ef Sdpo"
        Office.objects.filter(pk=ef.offices["ef-thana-mahua"].pk).update(name="Mahua Police Station")
        assert "Mahua Police Station" in dict(post_choices())
        vacant = Post.objects.create(
            office=ef.offices["ef-thana-mahua"], code="ef-asi", title="ASI Mahua", kind=Post.Kind.ASI
        )
        assert _labels(post_choices())[vacant.pk] == "ASI Mahua — vacant"
        posting = core_services.posting_start(person=ef.people["sho"], post=vacant)
        assert _labels(post_choices())[vacant.pk] == "ASI Mahua — Ef Sho"
        User.objects.filter(pk=ef.people["sho"].pk).update(full_name="Ravi Kumar")
        assert _labels(post_choices())[vacant.pk] == "ASI Mahua — Ravi Kumar"
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        Posting.objects.filter(pk=posting.pk).update(starts_on=yesterday, ends_on=yesterday)
        assert _labels(post_choices())[vacant.pk] == "ASI Mahua — vacant"
        Post.objects.filter(pk=clerk.pk).update(closed_on=timezone.localdate())
        assert clerk.pk not in _labels(post_choices())
        assert _labels(post_choices(exclude_post_id=vacant.pk)).keys() == _labels(post_choices()).keys() - {
            vacant.pk
        }


def test_another_districts_picker_is_its_own(ef):
    """Each district's picker is kept under its own schema: after Vaishali's is in the cache,
    Muzaffarpur's is still Muzaffarpur's own (what its rows give, read without the cache), and
    neither offers the other's people."""
    with district_context("vaishali"), translation.override("en"):
        ours = post_choices()
        assert post_choices() == ours and "Ef Sdpo" in str(ours) and "Ef Other" not in str(ours)
    with district_context("muzaffarpur"), translation.override("en"):
        theirs = post_choices()
        assert theirs == post_choices() == list(_district_groups_read()[0])
        assert "Ef Other" in str(theirs) and "Ef Sdpo" not in str(theirs)
    with district_context("vaishali"), translation.override("en"):
        assert post_choices() == ours == list(_district_groups_read()[0])
