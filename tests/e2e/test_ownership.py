"""Jobs belong to the key that made them: other keys cannot read, find or delete them."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.e2e.server import running_server, service_env

OWNER, OTHER, ADMIN = "owner-key-1234567", "other-key-7654321", "admin-key-0000000"
DOCUMENT = b"Quarterly report.\n\nThe harbour crane moved forty containers on Tuesday.\n"


def _headers(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def _finished(http: httpx.Client, job_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job: dict[str, object] = http.get(
            f"/api/media/jobs/{job_id}", headers=_headers(OWNER)
        ).json()
        if job["status"] in ("completed", "failed", "cancelled"):
            return job
        time.sleep(0.2)
    raise TimeoutError(job_id)


def test_another_key_gets_404_on_everything_about_a_job(tmp_path: Path, db_url: str) -> None:
    env = service_env(
        tmp_path,
        DATABASE_URL=db_url,
        MEDIA_ANALYSIS_API_KEY=f"{OWNER},{OTHER}",
        MEDIA_ANALYSIS_ADMIN_API_KEYS=ADMIN,
    )
    with running_server(env, "--workers", "1") as base_url, httpx.Client(base_url=base_url) as http:
        submitted = http.post(
            "/api/media/documents",
            files={"file": ("harbour.txt", DOCUMENT, "text/plain")},
            headers={**_headers(OWNER), "Idempotency-Key": "shared-key-1"},
        )
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["id"]
        assert _finished(http, job_id)["status"] == "completed"
        assets = http.get(f"/api/media/jobs/{job_id}/assets", headers=_headers(OWNER)).json()
        asset_url = assets[0]["url"]

        private = [
            ("GET", f"/api/media/jobs/{job_id}"),
            ("GET", f"/api/media/jobs/{job_id}/assets"),
            ("GET", f"/api/media/jobs/{job_id}/events"),
            ("GET", f"/api/media/jobs/{job_id}/transcript"),
            ("GET", asset_url),
            ("DELETE", f"/api/media/jobs/{job_id}"),
        ]
        for method, path in private:
            response = http.request(method, path, headers=_headers(OTHER))
            assert response.status_code == 404, (method, path, response.status_code)
            assert response.headers["content-type"] == "application/problem+json"
        reask = http.post(
            f"/api/media/jobs/{job_id}/analyze",
            json={"prompt": "Which day?"},
            headers=_headers(OTHER),
        )
        assert reask.status_code == 404

        def listed(key: str) -> set[str]:
            jobs = http.get("/api/media/jobs", headers=_headers(key)).json()["items"]
            return {job["id"] for job in jobs}

        def found(key: str) -> set[str]:
            page = http.get("/api/media/archive", params={"q": "harbour"}, headers=_headers(key))
            return {item["job"]["id"] for item in page.json()["items"]}

        assert job_id in listed(OWNER) and job_id not in listed(OTHER) and job_id in listed(ADMIN)
        assert job_id in found(OWNER) and job_id not in found(OTHER) and job_id in found(ADMIN)
        assert http.get(f"/api/media/jobs/{job_id}", headers=_headers(ADMIN)).status_code == 200
        assert http.get(asset_url, headers=_headers(ADMIN)).status_code == 200

        # The same Idempotency-Key under another key is another client's request.
        again = http.post(
            "/api/media/documents",
            files={"file": ("harbour.txt", DOCUMENT, "text/plain")},
            headers={**_headers(OTHER), "Idempotency-Key": "shared-key-1"},
        )
        assert again.status_code == 202 and again.json()["id"] != job_id

        # The owner still has its job: the other key's DELETE did nothing.
        assert http.get(f"/api/media/jobs/{job_id}", headers=_headers(OWNER)).status_code == 200

        # Subscriptions see every client's jobs: only an administrator may manage them.
        hook = {"url": "http://127.0.0.1:9/hook", "events": ["job.completed"]}
        assert (
            http.post("/api/media/webhooks", json=hook, headers=_headers(OWNER)).status_code == 403
        )
        assert http.get("/api/media/webhooks", headers=_headers(OTHER)).status_code == 403
        created = http.post("/api/media/webhooks", json=hook, headers=_headers(ADMIN))
        assert created.status_code == 201, created.text
        deliveries = http.get(f"/api/media/jobs/{job_id}/deliveries", headers=_headers(OTHER))
        assert deliveries.status_code == 404
