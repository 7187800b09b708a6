"""Stage 4: gold files, pairing with the system's events, scores and baselines."""
