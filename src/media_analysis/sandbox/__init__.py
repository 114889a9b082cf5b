"""Heavy work on untrusted files, run in child processes with a memory limit.

Decoders and parsers fed a hostile file can ask for gigabytes. Running them in a child
whose data segment is capped keeps the service's own memory flat: a child that runs
out fails only its own job (``resource_limit``), is killed on cancel or timeout, and
gives its memory back to the system when it exits.
"""
