-- revision: 8e7d6c5b4a39
-- down_revision: 9f8e7d6c5b4a
-- message: add cart items

-- +upgrade
CREATE TABLE cart_item (cart_id INTEGER, sku TEXT);
