"""The import report as text for a person, or as JSON for a script."""

from __future__ import annotations

import json

from media_analysis.legacy.report import FileCheck, Finding, ImportReport, JobOutcome

SHORT_SHA = 12


def render_json(report: ImportReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


def render_text(report: ImportReport) -> str:
    lines = [_title(report), "", *_counts(report)]
    errors = report.errors
    warnings = [f for f in _all_findings(report) if f.level == "warning"]
    if errors:
        lines += ["", f"Problems ({len(errors)}):", *(_finding(f) for f in errors)]
    if warnings:
        lines += ["", f"Warnings ({len(warnings)}):", *(_finding(f) for f in warnings)]
    lines += ["", "Jobs:"]
    for job in report.jobs:
        lines += _job(job, report.dry_run)
    lines += ["", _verdict(report)]
    return "\n".join(lines)


def _title(report: ImportReport) -> str:
    mode = "dry run: nothing was written, this is what an import would do" if report.dry_run else ""
    return f"Legacy import from {report.source}" + (f" ({mode})" if mode else "")


# A dry run writes nothing: it says what an import would do.
PLANNED = {"imported": "would import", "updated": "would update", "skipped": "would skip"}


def _outcome(name: str, dry_run: bool) -> str:
    return PLANNED.get(name, name) if dry_run else name


def _counts(report: ImportReport) -> list[str]:
    return [
        f"  {kind + ':':<16}"
        + ", ".join(f"{value} {_outcome(name, report.dry_run)}" for name, value in tally.items())
        for kind, tally in report.counts().items()
    ]


def _all_findings(report: ImportReport) -> list[Finding]:
    return [*report.findings, *(f for job in report.jobs for f in job.findings)]


def _finding(finding: Finding) -> str:
    return f"  {finding.where}: {finding.message}"


def _job(job: JobOutcome, dry_run: bool) -> list[str]:
    head = f"  {_outcome(job.outcome, dry_run):<12} {job.job_id or '-':<36}"
    if job.job_id != job.legacy_id:
        head += f"  legacy id {job.legacy_id}"
    if job.job_id is None:
        return [head]
    rows = ", ".join(
        f"{job.rows[kind]} {kind}" for kind in ("assets", "transcriptions", "analyses")
    )
    return [f"{head}  {job.status}  ({rows})", *(_file(check, dry_run) for check in job.files)]


def _file(check: FileCheck, dry_run: bool) -> str:
    if dry_run:
        state = f"would be {check.action}" if check.action != "unchanged" else "present"
        sha256 = _short(check.source_sha256)
        return f"      {state:<18} {check.source} -> {check.stored}  sha256 {sha256}"
    verdict = "ok" if check.verified else "MISMATCH"
    sums = f"sha256 {_short(check.source_sha256)}"
    if not check.verified:
        sums = (
            f"source {_short(check.source_sha256)} copy {_short(check.copy_sha256)} "
            f"row {_short(check.row_sha256)}"
        )
    return f"      {verdict:<8} {check.action:<9} {check.source} -> {check.stored}  {sums}"


def _short(sha256: str | None) -> str:
    return sha256[:SHORT_SHA] if sha256 else "none"


def _verdict(report: ImportReport) -> str:
    if report.ok:
        return "Result: OK" + ("" if report.dry_run else ", every file and row verified")
    unverified = len(report.unverified)
    problems = len(report.errors)
    failed = sum(job.outcome == "failed" for job in report.jobs)
    return (
        f"Result: INCOMPLETE: {failed} job(s) not imported, {problems} problem(s), "
        f"{unverified} file(s) not verified"
    )
