-- revision: c0ffee000002
-- down_revision: c0ffee000001
-- depends_on: 3c4d5e6f7081
-- message: audit orders

-- +upgrade
CREATE TRIGGER orders_audit AFTER INSERT ON orders BEGIN INSERT INTO audit_log VALUES (datetime('now'), 'order'); END;
