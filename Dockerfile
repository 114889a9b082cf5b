# syntax=docker/dockerfile:1
# Media Analysis API image. Build: docker build -t media-analysis .
# GPU variant (CUDA wheels of torch): docker build --build-arg WITH_GPU=true -t media-analysis:gpu .

FROM python:3.11-slim-bookworm AS builder
ARG WITH_GPU=false
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
# Every dependency ships a manylinux wheel, so no compiler is needed here either.
RUN if [ "$WITH_GPU" = "true" ]; then target=".[gpu]"; else target="."; fi \
    && pip wheel --wheel-dir /wheels "$target"

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MEDIA_ANALYSIS_UPLOAD_DIR=/data/uploads \
    MEDIA_ANALYSIS_OUTPUT_DIR=/data/outputs \
    MEDIA_ANALYSIS_DATA_DIR=/data \
    MEDIA_ANALYSIS_LOG_FORMAT=json

# Debian's packages are not pinned: bookworm's security updates replace old versions.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg libgl1 libglib2.0-0 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app \
    && install -d -o app -g app /data /data/uploads /data/outputs

# The wheels are mounted, not copied, so they never become an image layer.
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index /wheels/*.whl

WORKDIR /app
COPY alembic.ini ./
COPY migrations ./migrations

USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status != 200)"]

CMD ["media-analysis", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "0", "--no-migrate"]
