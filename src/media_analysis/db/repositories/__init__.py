"""Where the SQL lives: a repository per table, and `stats` for aggregates across them.

Callers pass typed values and get models or dataclasses back. Repositories flush; the
unit of work commits.
"""

from media_analysis.db.repositories.analyses import AnalysisRepository
from media_analysis.db.repositories.assets import AssetRepository
from media_analysis.db.repositories.events import EventRecord, EventRepository, JobSnapshot
from media_analysis.db.repositories.file_deletions import DueDeletion, FileDeletionRepository
from media_analysis.db.repositories.jobs import JobCount, JobPage, JobRepository, NewJob, QueueDepth
from media_analysis.db.repositories.retention import RetentionRepository
from media_analysis.db.repositories.search import SearchRepository, TextMatch
from media_analysis.db.repositories.sessions import SessionActivity, SessionRepository
from media_analysis.db.repositories.stats import (
    AttemptCount,
    DeliveryCount,
    ProviderAttempts,
    StageDurations,
    StatsRepository,
)
from media_analysis.db.repositories.transcriptions import TranscriptionRepository
from media_analysis.db.repositories.workers import WorkerLoad, WorkerRepository

__all__ = [
    "AnalysisRepository",
    "AssetRepository",
    "AttemptCount",
    "DeliveryCount",
    "DueDeletion",
    "EventRecord",
    "EventRepository",
    "FileDeletionRepository",
    "JobCount",
    "JobPage",
    "JobRepository",
    "JobSnapshot",
    "NewJob",
    "ProviderAttempts",
    "QueueDepth",
    "RetentionRepository",
    "SearchRepository",
    "SessionActivity",
    "SessionRepository",
    "StageDurations",
    "StatsRepository",
    "TextMatch",
    "TranscriptionRepository",
    "WorkerLoad",
    "WorkerRepository",
]
