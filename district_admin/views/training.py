"""Training: sessions (create, edit), invitations, attendance, and who is trained."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.base.form_errors import service_errors
from core.models import TrainingSession
from core.org.selectors.training import (
    office_training_coverage,
    officer_training_list,
    training_invites,
    training_session_list,
)
from core.org.services.training import (
    SESSION_FIELDS,
    training_attendance_mark,
    training_invite,
    training_session_create,
    training_session_update,
)
from district_admin.forms.training import AttendanceForm, InviteForm, SessionForm
from district_admin.views.common import actor_of, admin_required


@admin_required
def sessions(request):
    return render(request, "district_admin/training/sessions.html", {"sessions": training_session_list()})


@admin_required
def session_create(request):
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = training_session_create(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Training session created. Invite the officers now."))
            return redirect("district_admin:training_session", session_id=session.pk)
    return render(request, "district_admin/training/session_form.html", {"form": form, "session": None})


@admin_required
def session_edit(request, session_id: int):
    session = get_object_or_404(TrainingSession, pk=session_id)
    initial = {field: getattr(session, field) for field in SESSION_FIELDS}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            training_session_update(actor=actor_of(request), session=session, **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Training session saved."))
            return redirect("district_admin:training_session", session_id=session.pk)
    return render(request, "district_admin/training/session_form.html", {"form": form, "session": session})


def _session_page(request, session, *, invite_form=None, attendance_form=None):
    invites = training_invites(session)
    return render(
        request,
        "district_admin/training/session.html",
        {
            "session": session,
            "invites": invites,
            "invite_form": invite_form or InviteForm(),
            "attendance_form": attendance_form or AttendanceForm(invites=invites),
        },
    )


@admin_required
def session(request, session_id: int):
    return _session_page(
        request, get_object_or_404(TrainingSession.objects.select_related("office"), pk=session_id)
    )


@admin_required
@require_POST
def invite(request, session_id: int):
    session = get_object_or_404(TrainingSession, pk=session_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            count = training_invite(
                actor=actor_of(request), session=session, people=form.cleaned_data["invitees"]
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("%(n)d officers newly invited.") % {"n": count})
            return redirect("district_admin:training_session", session_id=session.pk)
    return _session_page(request, session, invite_form=form)


@admin_required
@require_POST
def attendance(request, session_id: int):
    session = get_object_or_404(TrainingSession, pk=session_id)
    form = AttendanceForm(request.POST, invites=training_invites(session))
    if form.is_valid():
        try:
            count = training_attendance_mark(actor=actor_of(request), session=session, marks=form.marks())
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Attendance saved (%(n)d changed).") % {"n": count})
            return redirect("district_admin:training_session", session_id=session.pk)
    return _session_page(request, session, attendance_form=form)


@admin_required
def officers(request):
    people = officer_training_list()
    coverage = office_training_coverage()
    offices = {office.pk: office for entry in people for office in entry.offices}
    return render(
        request,
        "district_admin/training/officers.html",
        {
            "people": people,
            "trained": sum(entry.trained for entry in people),
            "coverage": sorted(
                ((offices[pk], cov) for pk, cov in coverage.items() if pk in offices),
                key=lambda pair: (pair[0].phase, pair[0].name),
            ),
        },
    )
