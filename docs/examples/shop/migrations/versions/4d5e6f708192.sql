-- revision: 4d5e6f708192
-- down_revision: 3c4d5e6f7081, 8e7d6c5b4a39
-- message: merge cart into main

-- +upgrade
-- a merge revision: nothing to do
