"""Object storage next to the filesystem, measured in one run against a local S3 server.

Starts moto's S3 server (a dev dependency) in a child process on loopback, so its CPU
and memory are not this process's, then prints:

* frames at 3 fps + 2x3 contact sheets of a generated 1080p30 clip as a worker makes
  them with each store: the filesystem (work in place) vs S3 (fetch the original from
  the bucket, work in a local folder, put every frame and sheet back a few at a time);
  the ratio is S3 over filesystem;
* the peak RSS of a process uploading a small and a large file to the bucket as the API
  stores an upload (``put_file``: multipart in parts). Flat memory means the two peaks
  are about the same however large the file.

The local S3 server is not AWS: it shows the service's own overhead (requests, hashing,
copies), not a network's. It reports; it never asserts.

    .venv/bin/python bench/storage.py [--seconds 120] [--small-mib 64] [--large-mib 2048]
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]  # bench/http.py would shadow the standard library's http package
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402
from bench.media import ffmpeg_command, timed  # noqa: E402

MIB = 1024 * 1024

# Runs in a child so that its peak RSS is the uploader's alone.
UPLOADER = """
import asyncio, json, resource, sys
from pathlib import Path
from media_analysis.config import Settings
from media_analysis.storage import open_storage

async def main(path):
    storage = open_storage(Settings(_env_file=None))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    await storage.put_file("upload:bench/original", Path(path), "video/mp4")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"before_kib": before, "peak_kib": after}))

asyncio.run(main(sys.argv[1]))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def s3_server() -> Iterator[dict[str, str]]:
    """moto's S3 server in a child process, with one bucket; the settings to reach it."""
    port = free_port()
    moto = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    if moto is None:
        sys.exit("moto_server not found: install the dev extra (pip install -e '.[dev]')")
    server = subprocess.Popen(
        [moto, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        bucket = f"bench-{uuid.uuid4().hex[:8]}"
        _wait_for(endpoint)
        httpx.put(f"{endpoint}/{bucket}").raise_for_status()
        yield {
            "MEDIA_ANALYSIS_STORAGE_URL": f"s3://{bucket}/media",
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench-secret",
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(endpoint: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(endpoint, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit("the local S3 server did not start")


def settings_for(tmp: Path, env: dict[str, str]) -> Any:
    from media_analysis.config import Settings

    values = {
        "upload_dir": tmp / "uploads",
        "output_dir": tmp / "outputs",
        "storage_url": env.get("MEDIA_ANALYSIS_STORAGE_URL", "file://"),
        "aws_endpoint_url": env.get("AWS_ENDPOINT_URL", ""),
        "aws_access_key_id": env.get("AWS_ACCESS_KEY_ID", ""),
        "aws_secret_access_key": env.get("AWS_SECRET_ACCESS_KEY", ""),
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def worker_pass(clip: Path, tmp: Path, env: dict[str, str]) -> dict[str, Any]:
    """What a worker does for a contact-sheet job, with the store ``env`` names."""
    from media_analysis.media.frame_sheets import extract_frames_and_sheets
    from media_analysis.pipelines.stored_files import sha256_of
    from media_analysis.storage import open_storage

    settings = settings_for(tmp, env)
    storage = open_storage(settings)
    job = uuid.uuid4()
    original = f"upload:{job}/original"
    staged = storage.local_path(original)
    staged.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(clip, staged)
    await storage.put_file(original, staged, "video/mp4")
    counts: dict[str, int] = {}

    async def work() -> None:
        video = await storage.fetch(original)
        out = storage.local_path(f"output:{job}/x").parent
        made = await extract_frames_and_sheets(video, out, fps=3, grid=(2, 3))
        paths = [f.path for f in made.frames] + [s.path for s in made.sheets]
        limit = asyncio.Semaphore(settings.storage_concurrency)

        async def put(path: Path) -> None:
            async with limit:
                await asyncio.to_thread(sha256_of, path)  # asset rows keep it, either store
                location = f"output:{job}/{path.relative_to(out).as_posix()}"
                await storage.put_file(location, path, "image/jpeg")

        await asyncio.gather(*(put(path) for path in paths))
        counts.update(frames=len(made.frames), sheets=len(made.sheets))

    timing = await timed(work)
    return {"wall_s": round(timing.wall, 2), "cpu_s": round(timing.cpu, 2), **counts}


def upload_peak(path: Path, env: dict[str, str], tmp: Path) -> dict[str, float]:
    child_env = {**os.environ, **env, "MEDIA_ANALYSIS_UPLOAD_DIR": str(tmp / "uploads")}
    done = subprocess.run(
        [sys.executable, "-c", UPLOADER, str(path)],
        env=child_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "before_mib": round(report["before_kib"] / 1024, 1),
        "peak_mib": round(report["peak_kib"] / 1024, 1),
    }


def sparse_file(path: Path, mib: int) -> Path:
    with path.open("wb") as out:
        out.truncate(mib * MIB)
    return path


def generate_clip(tmp: Path, seconds: int) -> Path:
    clip = tmp / "clip_1080p30.mp4"
    subprocess.run(
        ffmpeg_command(
            "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds}",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", str(clip),
        ),
        check=True,
    )  # fmt: skip
    return clip


async def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    clip = generate_clip(tmp, args.seconds)
    with s3_server() as env:
        filesystem = await worker_pass(clip, tmp / "fs", {})
        s3 = await worker_pass(clip, tmp / "s3", env)
        uploads = {
            f"{mib} MiB": upload_peak(sparse_file(tmp / f"upload-{mib}", mib), env, tmp)
            for mib in (args.small_mib, args.large_mib)
        }
    return {"seconds": args.seconds, "filesystem": filesystem, "s3": s3, "uploads": uploads}


def print_report(report: dict[str, Any]) -> None:
    fs, s3 = report["filesystem"], report["s3"]
    print(f"frames 3 fps + 2x3 sheets of a {report['seconds']} s 1080p30 clip, worker side")
    print(f"{'store':<12}{'wall s':>10}{'cpu s':>10}{'frames':>8}{'sheets':>8}")
    for name, row in (("filesystem", fs), ("s3", s3)):
        print(
            f"{name:<12}{row['wall_s']:>10}{row['cpu_s']:>10}{row['frames']:>8}{row['sheets']:>8}"
        )
    print(f"ratio s3 / filesystem: {round(s3['wall_s'] / fs['wall_s'], 2)}x wall")
    print("peak RSS of a process uploading one file to the bucket (multipart)")
    for size, row in report["uploads"].items():
        print(f"  {size:>10}: {row['peak_mib']} MiB (before the upload: {row['before_mib']} MiB)")
    small, large = report["uploads"].values()
    print(f"ratio large / small peak: {round(large['peak_mib'] / small['peak_mib'], 2)}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--small-mib", type=int, default=64)
    parser.add_argument("--large-mib", type=int, default=2048)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-storage-"))
    try:
        report = asyncio.run(run(args, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(report, indent=2) if args.json else "", end="")
    if not args.json:
        print_report(report)


if __name__ == "__main__":
    main()
