"""The post picker every send/mark form uses."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.efile.selectors.posts import post_choice_ids, post_choices
from core.models import Post
from tenants.context import district_context


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
        assert len(selects) == 3
        assert "एसडीपीओ कार्यालय महुआ" in dict(choices)
