"""Letters stored as sent: the PDF saved on a ``FileField`` with its SHA-256 beside it, and
served only when the stored bytes still match the hash (as the follow-up warnings and the
decision letters do). Used by the settlement and owning letters."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import models
from django.http import Http404, HttpResponse


def store_letter(instance: models.Model, pdf: bytes, *, name: str, field: str = "letter") -> None:
    """Save ``pdf`` on ``instance.<field>`` and its hash on ``instance.<field>_sha256``."""
    file = getattr(instance, field)
    if file:
        file.delete(save=False)
    file.save(name, ContentFile(pdf), save=False)
    setattr(instance, f"{field}_sha256", hashlib.sha256(pdf).hexdigest())
    instance.save(update_fields=[field, f"{field}_sha256"])


def letter_response(instance: models.Model, *, name: str, field: str = "letter") -> HttpResponse:
    """The stored letter inline; 404 when there is none, an error when it was altered."""
    file = getattr(instance, field)
    if not file:
        raise Http404
    with file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != getattr(instance, f"{field}_sha256"):
        msg = f"Stored letter {instance._meta.label_lower} {instance.pk} does not match its hash"
        raise RuntimeError(msg)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
