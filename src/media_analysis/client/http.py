"""Calls to the public HTTP API; every failure becomes one ``ClientError``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx

from media_analysis.client.errors import KeyRefused, ProblemAnswer, ServerUnreachable
from media_analysis.client.models import ArchiveHit, Asset, Delivery, Job

DEFAULT_SERVER = "http://127.0.0.1:8000"
# The server sends a keep-alive comment every 15 s on an idle event stream.
TIMEOUT = httpx.Timeout(30.0, read=60.0)


class ApiClient:
    def __init__(self, server: str, api_key: str | None) -> None:
        if not server.startswith(("http://", "https://")):
            raise ServerUnreachable(
                f"the server URL must start with http:// or https:// ({server})"
            )
        self.server = server.rstrip("/")
        self._has_key = bool(api_key)
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(base_url=self.server, headers=headers, timeout=TIMEOUT)

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *_: object) -> None:
        self._http.close()

    def submit_url(self, endpoint: str, fields: dict[str, str]) -> Job:
        return Job.model_validate(self._send("POST", endpoint, json=fields).json())

    def submit_file(
        self, endpoint: str, upload: IO[bytes], name: str, fields: dict[str, str]
    ) -> Job:
        files = {"file": (name, upload, "application/octet-stream")}
        return Job.model_validate(self._send("POST", endpoint, files=files, data=fields).json())

    def job(self, job_id: str) -> Job:
        return Job.model_validate(self._send("GET", f"/api/media/jobs/{job_id}").json())

    def raw_job(self, job_id: str) -> dict[str, Any]:
        body: dict[str, Any] = self._send("GET", f"/api/media/jobs/{job_id}").json()
        return body

    def deliveries(self, job_id: str) -> list[Delivery]:
        listed = self._send("GET", f"/api/media/jobs/{job_id}/deliveries").json()
        return [Delivery.model_validate(item) for item in listed]

    def jobs(self, status: str | None, job_type: str | None, limit: int) -> list[Job]:
        query = {"status": status, "job_type": job_type, "limit": limit}
        page = self._send("GET", "/api/media/jobs", params=_present(query)).json()
        return [Job.model_validate(item) for item in page["items"]]

    def cancel(self, job_id: str) -> None:
        self._send("DELETE", f"/api/media/jobs/{job_id}")

    def assets(self, job_id: str, asset_type: str) -> list[Asset]:
        listed = self._send(
            "GET", f"/api/media/jobs/{job_id}/assets", params={"asset_type": asset_type}
        ).json()
        return [Asset.model_validate(item) for item in listed]

    def transcript(self, job_id: str, format_: str) -> bytes:
        path = f"/api/media/jobs/{job_id}/transcript"
        return self._send("GET", path, params={"format": format_}).content

    def archive(self, text: str, limit: int) -> list[ArchiveHit]:
        page = self._send("GET", "/api/media/archive", params={"q": text, "limit": limit}).json()
        return [ArchiveHit.model_validate(item) for item in page["items"]]

    def download(self, url: str, target: Path) -> None:
        """Stream a file to ``target``; the key goes only to this server, never elsewhere."""
        absolute = httpx.URL(self.server).join(url)
        own = absolute.host == httpx.URL(self.server).host
        request = self._http.build_request("GET", absolute)
        if not own:
            del request.headers["Authorization"]
        with self._streamed(request) as response, target.open("wb") as out:
            for chunk in response.iter_bytes():
                out.write(chunk)

    @contextmanager
    def events(self, job_id: str, last_event_id: str | None) -> Iterator[httpx.Response]:
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id
        request = self._http.build_request(
            "GET", f"/api/media/jobs/{job_id}/events", headers=headers
        )
        with self._streamed(request) as response:
            yield response

    def _send(self, method: str, path: str, **options: Any) -> httpx.Response:
        with self._transport_errors():
            response = self._http.request(method, path, **options)
        self._raise_for_problem(response)
        return response

    @contextmanager
    def _streamed(self, request: httpx.Request) -> Iterator[httpx.Response]:
        with self._transport_errors():
            response = self._http.send(request, stream=True)
        try:
            if response.is_error:
                with self._transport_errors():
                    response.read()
                self._raise_for_problem(response)
            with self._transport_errors():
                yield response
        finally:
            response.close()

    @contextmanager
    def _transport_errors(self) -> Iterator[None]:
        try:
            yield
        except httpx.TransportError as exc:
            reason = str(exc) or type(exc).__name__
            raise ServerUnreachable(f"cannot reach the server at {self.server} ({reason})") from exc

    def _raise_for_problem(self, response: httpx.Response) -> None:
        if response.status_code == 401:
            hint = (
                ""
                if self._has_key
                else " (none was given: use --api-key or MEDIA_ANALYSIS_API_KEY)"
            )
            raise KeyRefused(f"the API key was refused{hint}")
        if response.is_error:
            raise problem_of(response)


def problem_of(response: httpx.Response) -> ProblemAnswer:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    detail = str(body.get("detail") or response.reason_phrase or "error")
    code = str(body.get("code") or "http_error")
    return ProblemAnswer(response.status_code, code, detail)


def _present(query: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in query.items() if value is not None}
