"""Telling other systems when a job ends: signed webhooks and Kommo notes.

Deliveries are rows in an outbox written in the same transaction as the job's
outcome; a delivery loop beside the job workers sends them with retries.
"""
