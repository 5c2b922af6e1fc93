"""Imports started from a page: the upload is kept under DATA_DIR/imports (never under a
static directory), checked, and imported in a background thread; an ImportJob row carries
the progress and the result for the page that polls it.

Tests (and installations that want it) run the job in the request instead, with
settings.XUNCHA_IMPORT_INLINE = True or inline=True: threads do not see a test's transaction.
"""

from __future__ import annotations

import logging
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import context
from xuncha.access.policy import EXPORT, IMPORT, PermissionDenied, can, require, scope
from xuncha.registry.io.importers import (
    MAX_STORED_ERRORS,
    Importer,
    ImportResult,
    OrganizationImporter,
)
from xuncha.registry.io.people import PersonImporter
from xuncha.registry.io.xlsx import UploadRefused, check_upload
from xuncha.registry.models import Committee, ImportJob, Organization, Person

logger = logging.getLogger(__name__)

IMPORTERS: dict[str, type[Importer]] = {"orgs": OrganizationImporter, "people": PersonImporter}
MODELS = {"orgs": Organization, "people": Person}


def upload_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def committees_for_import(user) -> list[Committee]:
    """Committees the user may import into (few; the policy decides per committee)."""
    return [c for c in scope(user, Committee) if can(user, IMPORT, Organization(committee=c))]


def committees_for_export(user) -> list[Committee]:
    return [c for c in scope(user, Committee) if can(user, EXPORT, Organization(committee=c))]


def jobs_for(user):
    return scope(user, ImportJob).select_related("committee").order_by("-created_at", "-id")


def get_job_for_user(user, public_id) -> ImportJob | None:
    return jobs_for(user).filter(public_id=public_id).first()


def import_start(*, actor, committee: Committee, kind: str, upload, dry_run: bool = False,
                 inline: bool | None = None) -> ImportJob:
    """Keep the upload, refuse it (UploadRefused) unless it is a plain .xlsx, and start the
    import. Returns the job; the import itself writes the audit event."""
    require(actor, IMPORT, MODELS[kind](committee=committee))
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise UploadRefused(_("The file is too large: at most %(max)s MB may be uploaded.")
                            % {"max": f"{settings.UPLOAD_MAX_BYTES / (1024 * 1024):.0f}"})
    public_id = uuid.uuid4()
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{public_id}.xlsx"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        check_upload(path)
    except UploadRefused:
        path.unlink(missing_ok=True)
        raise
    job = ImportJob.objects.create(
        public_id=public_id, created_by=actor, committee=committee, kind=kind, dry_run=dry_run,
        file_name=Path(upload.name or "").name[:200],
    )
    if inline is None:
        inline = getattr(settings, "XUNCHA_IMPORT_INLINE", False)
    if inline:
        run_job(job.pk)
        job.refresh_from_db()
    else:
        request_context = context.current()
        transaction.on_commit(lambda: threading.Thread(
            target=_run_in_thread, args=(job.pk, request_context), daemon=True,
            name=f"xuncha-import-{public_id}",
        ).start())
    return job


def _run_in_thread(job_id: int, request_context: context.RequestContext) -> None:
    token = context.set_current(request_context)
    try:
        run_job(job_id)
    finally:
        context.reset(token)
        connections.close_all()


def run_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by", "committee").get(pk=job_id)
    path = upload_dir() / f"{job.public_id}.xlsx"
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        # Inside the import's own transaction other connections could not see the update
        # (and on SQLite it would wait for the write lock), so progress is written only
        # while rows are read and checked, which is most of the time.
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=job.pk).update(processed=done, total=total)

    result: ImportResult | None = None
    failure = ""
    try:
        importer = IMPORTERS[job.kind](actor=job.created_by, committee=job.committee,
                                       dry_run=job.dry_run, progress=progress,
                                       file_name=job.file_name)
        result = importer.run(path)
    except UploadRefused as exc:
        failure = exc.message
    except PermissionDenied:
        failure = _("You may no longer import into this committee.")
    except Exception:
        logger.exception("import job %s failed", job.public_id)
        failure = _("The import failed unexpectedly; nothing was imported.")
    finally:
        path.unlink(missing_ok=True)
    _finish(job, result, failure)


def _finish(job: ImportJob, result: ImportResult | None, failure: str) -> None:
    fields = {"finished_at": timezone.now()}
    if result is None:
        fields.update(status=ImportJob.Status.FAILED, errors=[["", 0, "", failure]], error_count=1)
    else:
        fields.update(
            status=ImportJob.Status.DONE,
            processed=result.rows, total=result.rows,
            counts={**result.counts(),
                    "notices": [n.as_list() for n in result.notices[:MAX_STORED_ERRORS]]},
            errors=[e.as_list() for e in result.errors[:MAX_STORED_ERRORS]],
            error_count=len(result.errors),
        )
    ImportJob.objects.filter(pk=job.pk).update(**fields)
