"""Stage 1: a source's bytes (text, born-digital or scanned PDF) into lines with page provenance,
then the cleaned text."""
