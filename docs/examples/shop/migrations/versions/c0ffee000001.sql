-- revision: c0ffee000001
-- branch_labels: audit
-- message: create audit log

-- +upgrade
CREATE TABLE audit_log (at TEXT, what TEXT);
