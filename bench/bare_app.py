"""The baseline for bench/http.py: a bare FastAPI app with nothing but a liveness route."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
