"""Transcription and vision providers behind two small protocols."""
