"""The command-line client: talks to a running server through its public HTTP API only."""
