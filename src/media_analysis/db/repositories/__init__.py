"""One repository per table. Repositories flush; the unit of work commits."""

from media_analysis.db.repositories.analyses import AnalysisRepository
from media_analysis.db.repositories.assets import AssetRepository
from media_analysis.db.repositories.file_deletions import DueDeletion, FileDeletionRepository
from media_analysis.db.repositories.jobs import JobPage, JobRepository
from media_analysis.db.repositories.retention import RetentionRepository
from media_analysis.db.repositories.sessions import SessionActivity, SessionRepository
from media_analysis.db.repositories.transcriptions import TranscriptionRepository

__all__ = [
    "AnalysisRepository",
    "AssetRepository",
    "DueDeletion",
    "FileDeletionRepository",
    "JobPage",
    "JobRepository",
    "RetentionRepository",
    "SessionActivity",
    "SessionRepository",
    "TranscriptionRepository",
]
