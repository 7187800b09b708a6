"""Stage 3: mentions of meetings and agreements, their modality and slots, merged into one row per
event."""
