-- revision: 9f8e7d6c5b4a
-- down_revision: 2b3c4d5e6f70
-- branch_labels: shopping_cart
-- message: create cart table

-- +upgrade
CREATE TABLE cart (id INTEGER PRIMARY KEY);
