"""What an import did (or, in a dry run, would do), and whether it all checked out."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Level = Literal["error", "warning"]
Outcome = Literal["imported", "updated", "skipped", "failed"]
FileAction = Literal["new", "replaced", "unchanged", "failed"]
ROW_KINDS = ("assets", "transcriptions", "analyses")
OUTCOME_NAMES = ("imported", "updated", "skipped", "failed")
FILE_NAMES = ("new", "replaced", "unchanged", "failed", "verified")


@dataclass(frozen=True)
class Finding:
    """Something worth a person's attention; errors make the import exit with 1."""

    level: Level
    where: str
    message: str


@dataclass(frozen=True)
class FileCheck:
    """One legacy file: its checksum at the source, in the new layout, and in its row."""

    source: str
    stored: str
    action: FileAction
    source_sha256: str
    copy_sha256: str | None
    row_sha256: str | None

    @property
    def verified(self) -> bool:
        return self.source_sha256 == self.copy_sha256 == self.row_sha256


@dataclass
class JobOutcome:
    legacy_id: str
    job_id: str | None
    outcome: Outcome
    status: str | None = None
    rows: Counter[str] = field(default_factory=Counter)
    unreadable: Counter[str] = field(default_factory=Counter)
    files: list[FileCheck] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    jobs: list[JobOutcome] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        every = [*self.findings, *(f for job in self.jobs for f in job.findings)]
        return [finding for finding in every if finding.level == "error"]

    @property
    def unverified(self) -> list[FileCheck]:
        if self.dry_run:
            return []
        return [
            check
            for job in self.jobs
            if job.outcome != "failed"
            for check in job.files
            if not check.verified
        ]

    @property
    def ok(self) -> bool:
        failed = any(job.outcome == "failed" for job in self.jobs)
        return not (failed or self.errors or self.unverified)

    def counts(self) -> dict[str, dict[str, int]]:
        jobs: Counter[str] = Counter(job.outcome for job in self.jobs)
        counts = {"jobs": _full(OUTCOME_NAMES, jobs)}
        for kind in ROW_KINDS:
            tally: Counter[str] = Counter()
            for job in self.jobs:
                tally[job.outcome] += job.rows[kind]
                tally["failed"] += job.unreadable[kind]
            counts[kind] = _full(OUTCOME_NAMES, tally)
        checks = [check for job in self.jobs for check in job.files]
        files: Counter[str] = Counter(check.action for check in checks)
        files["verified"] = sum(check.verified for check in checks)
        counts["files"] = _full(FILE_NAMES, files)
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "counts": self.counts(),
            "findings": [asdict(finding) for finding in self.findings],
            "jobs": [_job_dict(job) for job in self.jobs],
        }


def _full(names: tuple[str, ...], tally: Counter[str]) -> dict[str, int]:
    return {name: tally[name] for name in names}


def _job_dict(job: JobOutcome) -> dict[str, Any]:
    return {
        "legacy_id": job.legacy_id,
        "job_id": job.job_id,
        "outcome": job.outcome,
        "status": job.status,
        "rows": {kind: job.rows[kind] for kind in ROW_KINDS},
        "unreadable": {kind: job.unreadable[kind] for kind in ROW_KINDS},
        "findings": [asdict(finding) for finding in job.findings],
        "files": [{**asdict(check), "verified": check.verified} for check in job.files],
    }
