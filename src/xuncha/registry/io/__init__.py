"""Excel import and export of the registry (organizations, people).

    importers  OrganizationImporter / PersonImporter(actor=, committee=, dry_run=).run(path)
    exporters  export_organizations / export_people(actor=, committee=, target=)
    templates  template_bytes("orgs" | "people")
    jobs       page imports in a background thread with an ImportJob for progress
    xlsx       upload checks (UploadRefused) and cell parsing
"""

from xuncha.registry.io.exporters import EXPORTERS, export_organizations, export_people
from xuncha.registry.io.importers import ImportResult, OrganizationImporter
from xuncha.registry.io.jobs import IMPORTERS
from xuncha.registry.io.people import PersonImporter
from xuncha.registry.io.templates import template_bytes
from xuncha.registry.io.xlsx import RowError, UploadRefused, check_upload

__all__ = [
    "EXPORTERS",
    "IMPORTERS",
    "ImportResult",
    "OrganizationImporter",
    "PersonImporter",
    "RowError",
    "UploadRefused",
    "check_upload",
    "export_organizations",
    "export_people",
    "template_bytes",
]
