"""Demo data: a deterministic synthetic population (`koshiqon demo --size N --seed S`) and one account per role."""
