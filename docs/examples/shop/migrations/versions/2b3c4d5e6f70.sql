-- revision: 2b3c4d5e6f70
-- down_revision: 1a2b3c4d5e6f
-- message: add email to account

-- +upgrade
ALTER TABLE account ADD COLUMN email TEXT;
