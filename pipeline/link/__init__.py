"""Stage 5: links of agreement events to the PA-X register."""
