-- revision: 3c4d5e6f7081
-- down_revision: 2b3c4d5e6f70
-- message: create orders table

-- +upgrade
CREATE TABLE orders (id INTEGER PRIMARY KEY, account_id INTEGER);
