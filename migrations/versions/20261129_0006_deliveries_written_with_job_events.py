"""webhook deliveries written by the database with each job event

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 19:40:00+00:00

Every path that ends a job (a completion batch, a failure, a cancel, a reclaim) stores
a job event in the transaction that writes the outcome. A trigger on ``job_events``
writes the deliveries that event owes in that same transaction, so no outcome can
commit without its callbacks, nor a rolled-back one send any, whichever code wrote it.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENQUEUE = """
CREATE FUNCTION media_analysis_enqueue_deliveries() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    wanted_event text := 'job.' || NEW.event_type;
    written integer;
BEGIN
    WITH wanted AS (
        SELECT NULL::uuid AS subscription_id, url, kommo_lead_id FROM job_callbacks
         WHERE job_id = NEW.job_id AND event_types ? wanted_event
        UNION ALL
        SELECT id, url, kommo_lead_id FROM webhook_subscriptions
         WHERE enabled AND event_types ? wanted_event
    ), inserted AS (
        INSERT INTO webhook_deliveries (id, job_id, subscription_id, target, url,
                                        kommo_lead_id, event_type)
        SELECT gen_random_uuid(), NEW.job_id, subscription_id, 'webhook', url, NULL,
               wanted_event
          FROM wanted WHERE url IS NOT NULL
        UNION ALL
        SELECT gen_random_uuid(), NEW.job_id, subscription_id, 'kommo', NULL, kommo_lead_id,
               wanted_event
          FROM wanted WHERE kommo_lead_id IS NOT NULL AND NEW.event_type <> 'progress'
        RETURNING id
    )
    SELECT count(*) INTO written FROM inserted;
    IF written > 0 THEN
        PERFORM pg_notify('media_analysis_webhooks', NEW.job_id::text);
    END IF;
    RETURN NULL;
END;
$$;
"""
TRIGGER = """
CREATE TRIGGER job_events_enqueue_deliveries
AFTER INSERT ON job_events
FOR EACH ROW
WHEN (NEW.event_type IN ('completed', 'failed', 'cancelled', 'progress'))
EXECUTE FUNCTION media_analysis_enqueue_deliveries();
"""


def upgrade() -> None:
    op.execute(ENQUEUE)
    op.execute(TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER job_events_enqueue_deliveries ON job_events")
    op.execute("DROP FUNCTION media_analysis_enqueue_deliveries()")
