"""Provider benchmarks: health from recorded attempts, accuracy from a reference clip."""
