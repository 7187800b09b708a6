"""Stage 2: spaCy (model, entities with gazetteers) and time expressions with their normalised
values and roles."""
