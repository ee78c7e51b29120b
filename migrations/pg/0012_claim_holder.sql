-- Who holds a claim, as kind:name, so human:bob and ai:bob are different holders.
ALTER TABLE tasks ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
