"""Renderings of results for people and players: plain text, SRT and WebVTT subtitles."""
