// libpq, PostgreSQL's client library (Debian: libpq-dev): the PostgreSQL driver of the runner
// (Runner/PostgreSQL) connects and runs statements through it.
#include <libpq-fe.h>
