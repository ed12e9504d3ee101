-- revision: 1a2b3c4d5e6f
-- message: create account table

-- +upgrade
CREATE TABLE account (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
