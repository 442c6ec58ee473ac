"""Pages of the RTI register: the list with its filters and reply clocks, entering an
application, the application page (particulars, linked records, every statutory clock, the forms
for each change in its life, the replies) and changing its particulars. Every application is
looked up through ``rti_for``: whoever may not see it gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.base.access import viewer_of
from core.base.audit import Actor
from core.base.form_errors import service_errors
from core.base.http import item_or_404
from core.efile.selectors.posts import post_choices
from core.models import RtiApplication
from core.rti import services
from core.rti.access import rti_for, rti_pio_post_id
from core.rti.clocks import rti_clocks
from core.rti.forms.applications import (
    AppealDecideForm,
    AppealReceiveForm,
    FeeAskForm,
    FeePaidForm,
    RtiEditForm,
    RtiEntryForm,
    RtiFilterForm,
    ThirdPartyForm,
    TransferForm,
)
from core.rti.selectors.applications import (
    document_choices,
    entry_office_choices,
    filter_office_choices,
    rti_links,
    rti_list,
    with_clocks,
)

LIST_PAGE = 50
Status = RtiApplication.Status

# Each change on the application page: its form, its service, what is said when it is done.
CHANGES = {
    "fee_ask": (FeeAskForm, services.rti_fee_ask, gettext_lazy("The further fee asked for is recorded.")),
    "fee_paid": (
        FeePaidForm,
        services.rti_fee_paid,
        gettext_lazy("The payment of the further fee is recorded."),
    ),
    "transfer": (TransferForm, services.rti_transfer, gettext_lazy("The transfer is recorded.")),
    "third_party": (
        ThirdPartyForm,
        services.rti_third_party_notify,
        gettext_lazy("The notice to the third party is recorded."),
    ),
    "appeal_receive": (
        AppealReceiveForm,
        services.rti_appeal_receive,
        gettext_lazy("The first appeal is recorded."),
    ),
    "appeal_decide": (
        AppealDecideForm,
        services.rti_appeal_decide,
        gettext_lazy("The decision of the first appeal is recorded."),
    ),
}


def _posted(request):
    return request.POST if request.method == "POST" else None


@login_required
def rti_list_page(request):
    viewer = viewer_of(request)
    form = RtiFilterForm(request.GET or None, office_choices=filter_office_choices(viewer))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    # "Due within 0 days" (due today) is a filter; an empty box or an unticked one is not.
    filters = {
        key: value
        for key, value in filters.items()
        if value is not None and value != "" and value is not False
    }
    today, now = timezone.localdate(), timezone.now()
    applications = rti_list(viewer, today=today, now=now, **filters)
    page = Paginator(applications, LIST_PAGE).get_page(request.GET.get("page"))
    page.object_list = with_clocks(page.object_list, today=today, now=now)
    can_enter = bool(entry_office_choices(viewer))
    return render(request, "core/rti/list.html", {"form": form, "page": page, "can_enter": can_enter})


@login_required
def rti_new_page(request):
    viewer = viewer_of(request)
    offices = entry_office_choices(viewer)
    form = RtiEntryForm(_posted(request), viewer=viewer, office_choices=offices, post_choices=post_choices())
    if request.method == "POST" and offices and form.is_valid():
        try:
            application = services.rti_receive(actor=Actor.from_request(request), **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(
                request, _("%(number)s entered in the register.") % {"number": application.number}
            )
            return redirect("rti", application.pk)
    return render(request, "core/rti/new.html", {"form": form, "offices": offices})


def _change_forms(viewer, application: RtiApplication, bound: dict) -> dict:
    """The change forms the viewer may use on the application as it stands; a submitted form
    (``bound``) is shown back with its errors whatever the rule says."""
    decides = services.rti_decision_post_id(viewer, application) is not None
    awaiting = application.status in services.AWAITING
    shown = {
        "fee_ask": decides
        and application.status in (Status.RECEIVED, Status.THIRD_PARTY)
        and application.further_fee_asked_on is None
        and application.fee != RtiApplication.Fee.BPL,
        "fee_paid": application.further_fee_asked_on is not None and application.further_fee_paid_on is None,
        "third_party": decides
        and application.status in (Status.RECEIVED, Status.FEE_PENDING)
        and application.third_party_notified_on is None,
        "transfer": decides and application.status not in RtiApplication.CLOSED_STATUSES,
        "appeal_receive": application.appeal_received_on is None
        and (application.status in services.ANSWERED or (awaiting and application.clocks.deemed_refused)),
        "appeal_decide": application.appeal_received_on is not None and application.appeal_decided_on is None,
    }
    return {
        name: bound.get(name) or CHANGES[name][0]() for name, show in shown.items() if show or name in bound
    }


def _clock_rows(clocks) -> list[tuple[str, object, bool]]:
    """(name, clock, window) for the page: a window (the transfer's 5 days) is not a duty, so past
    its day it has closed rather than gone overdue."""
    rows = [(_("Reply"), clocks.reply, False), (_("Transfer"), clocks.transfer, True)]
    if clocks.first_appeal:
        rows.append((_("First appeal"), clocks.first_appeal, True))
    if clocks.appeal_decision:
        rows.append((_("First appeal decision"), clocks.appeal_decision, False))
    return rows


def _rti_page(request, application: RtiApplication, *, bound: dict | None = None):
    # A GET is a read; a refused POST only shows back what was typed.
    if request.method != "POST":
        services.rti_view_record(actor=Actor.from_request(request), application=application)
    viewer = viewer_of(request)
    application.clocks = rti_clocks(application.facts, today=timezone.localdate(), now=timezone.now())
    context = {
        "application": application,
        "clocks": application.clocks,
        "clock_rows": _clock_rows(application.clocks),
        "links": rti_links(viewer, application),
        "helpers": list(application.helper_posts.select_related("office").order_by("title", "id")),
        "changes": _change_forms(viewer, application, bound or {}),
        "can_reply": rti_pio_post_id(viewer, application) is not None,
        "replies": application.replies.all(),
    }
    return render(request, "core/rti/detail.html", context)


@item_or_404(rti_for)
def rti_page(request, application: RtiApplication):
    return _rti_page(request, application)


@item_or_404(rti_for)
def rti_edit(request, application: RtiApplication):
    viewer = viewer_of(request)
    form = RtiEditForm.for_application(
        application,
        _posted(request),
        links=rti_links(viewer, application),
        viewer=viewer,
        post_choices=post_choices(),
        document_choices=document_choices(viewer, application),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rti_update(
                actor=Actor.from_request(request), application=application, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("The application's particulars are saved."))
            return redirect("rti", application.pk)
    if request.method != "POST":
        services.rti_view_record(actor=Actor.from_request(request), application=application, page="edit")
    return render(request, "core/rti/edit.html", {"application": application, "form": form})


def _change_view(name: str):
    """The view of one change on the application page: its form checks the shape, its service
    decides; a refusal shows the page again with the form, its errors and what was typed."""
    form_class, service, done = CHANGES[name]

    @item_or_404(rti_for, "POST")
    def view(request, application: RtiApplication):
        form = form_class(request.POST)
        if form.is_valid():
            try:
                service(actor=Actor.from_request(request), application=application, **form.cleaned_data)
            except ValidationError as error:
                service_errors(form, error)
            else:
                messages.success(request, done)
                return redirect(f"{reverse('rti', args=[application.pk])}#life")
        return _rti_page(request, application, bound={name: form})

    view.__name__ = f"rti_{name}"
    return view


fee_ask = _change_view("fee_ask")
fee_paid = _change_view("fee_paid")
transfer = _change_view("transfer")
third_party = _change_view("third_party")
appeal_receive = _change_view("appeal_receive")
appeal_decide = _change_view("appeal_decide")
