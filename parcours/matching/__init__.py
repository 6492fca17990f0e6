"""Record matching: who may be the same person."""
