"""ffmpeg/ffprobe wrappers, safe fetching, frames, contact sheets and audio preparation."""
