"""Local analysis for when no vision model answers: text in frames, scene changes, colours."""
