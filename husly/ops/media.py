"""Stored files and the rows that name them (ADR 0023).

A file is written to storage before its row is committed (Django's ``FileField`` saves the file
while the model is saved, inside the action's transaction). A crash between the two leaves a file
that no row names, never a row without its file; a rolled-back action leaves the same. Such
orphans are harmless (nobody can reach them: every download goes through a row and its access
check) and ``media_check --delete-orphans`` removes those older than a grace period, so that a
file of a transaction still running is never touched. A row without its file is a real loss and
is reported (the restore verifies there are none).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every ``FileField`` of every installed model."""
    return [
        (model, f)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField)
    ]


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model, f in file_fields():
        names.update(
            model._default_manager.exclude(**{f.attname: ""}).values_list(f.attname, flat=True)
        )
    return names


def stored_names(storage: Storage | None = None, folder: str = "") -> set[str]:
    """Every file in the storage (walked through the storage API: a folder or an S3 bucket)."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return set()
    names = {f"{folder}/{name}" if folder else name for name in files}
    for sub in folders:
        names |= stored_names(storage, f"{folder}/{sub}" if folder else sub)
    return names


@dataclass
class MediaReport:
    orphans: set[str] = field(default_factory=set)
    """Files no row names."""
    missing: set[str] = field(default_factory=set)
    """Rows whose file is not stored: a loss."""
    deleted: set[str] = field(default_factory=set)


def media_check(*, delete_orphans: bool = False, grace: dt.timedelta | None = None) -> MediaReport:
    """Compare the stored files with the rows. With ``delete_orphans``, remove the orphans last
    modified more than ``grace`` ago (default one hour)."""
    stored, named = stored_names(), referenced_names()
    report = MediaReport(orphans=stored - named, missing=named - stored)
    if delete_orphans:
        limit = timezone.now() - (grace if grace is not None else dt.timedelta(hours=1))
        for name in sorted(report.orphans):
            if default_storage.get_modified_time(name) <= limit:
                default_storage.delete(name)
                report.deleted.add(name)
        report.orphans -= report.deleted
    return report
