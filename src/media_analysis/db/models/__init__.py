"""Every table of the service; importing this package registers them on Base.metadata."""

from media_analysis.db.models.analysis import AnalysisResult
from media_analysis.db.models.asset import MediaAsset
from media_analysis.db.models.document_text import DocumentText
from media_analysis.db.models.file_deletion import FileDeletion
from media_analysis.db.models.job import Job, JobStatus
from media_analysis.db.models.job_event import JobEvent
from media_analysis.db.models.session import ClientSession
from media_analysis.db.models.transcription import Transcription
from media_analysis.db.models.webhook import (
    DeliveryStatus,
    DeliveryTarget,
    JobCallback,
    ServiceSetting,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from media_analysis.db.models.worker import WorkerHeartbeat

__all__ = [
    "AnalysisResult",
    "ClientSession",
    "DeliveryStatus",
    "DeliveryTarget",
    "DocumentText",
    "FileDeletion",
    "Job",
    "JobCallback",
    "JobEvent",
    "JobStatus",
    "MediaAsset",
    "ServiceSetting",
    "Transcription",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscription",
    "WorkerHeartbeat",
]
