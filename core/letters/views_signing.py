"""Signing a letter (its approving officer) and the public verification page (no sign-in)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from core.base.actors import actor_for
from core.base.http import item_or_404
from core.letters import selectors
from core.letters.files import StoredFileDamaged, stored_bytes
from core.letters.signing import letter_sign
from core.letters.verify import MAX_BYTES, pdf_verify
from core.letters.views import _errors
from core.models import LetterSignature
from core.supervision.selectors import supervises


@item_or_404(selectors.signable_for)
def letter_page(request, dispatch):
    """An outward letter of the viewer's office: its signature's status, sign (POST), send."""
    errors: list[str] = []
    if request.method == "POST":
        try:
            letter_sign(actor=actor_for(request), dispatch=dispatch)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("Letter %(number)s signed.") % {"number": dispatch.number})
            return redirect("letters_letter", dispatch.pk)
    signature = (
        LetterSignature.objects.filter(dispatch=dispatch)
        .select_related("certificate__person", "certificate__post")
        .first()
    )
    return render(
        request,
        "core/letters/letter.html",
        {
            "dispatch": dispatch,
            "signature": signature,
            "outgoing": dispatch.outgoing_letters.filter(circular__isnull=True).first(),
            "circular": getattr(dispatch, "circular", None),
            "may_send_circular": supervises(request.tenant),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@item_or_404(selectors.signable_for, method="GET")
def letter_pdf_download(request, dispatch):
    signature = LetterSignature.objects.filter(dispatch=dispatch).first()
    if signature is None:
        raise Http404
    try:
        data = stored_bytes(signature.stored_name, signature.sha256)
    except StoredFileDamaged as error:
        raise Http404 from error
    import io

    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"{dispatch.number.replace('/', '-')}.pdf",
        content_type="application/pdf",
    )


class VerifyForm(forms.Form):
    pdf = forms.FileField(label=gettext_lazy("Signed letter (PDF)"))

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 20 MB; a signed letter is far smaller."))
        return upload


@never_cache
def verify_page(request):
    """Anyone, signed in or not, checks a PDF against this district's signing authority. Nothing
    is stored; the check is not audited as it names no record (the answer names only what the PDF
    itself carries)."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["pdf"]
        verdict = pdf_verify(b"".join(upload.chunks()))
    return render(
        request,
        "core/letters/verify.html",
        {"form": form, "verdict": verdict},
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )
