-- revision: 5e6f708192a3
-- down_revision: 4d5e6f708192
-- message: add order status

-- +upgrade
ALTER TABLE orders ADD COLUMN status TEXT;
