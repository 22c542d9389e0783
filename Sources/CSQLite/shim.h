#include <sqlite3.h>

/// SQLite counts every allocation under a global mutex unless told not to; shopctl never reads
/// those statistics. Must run before the first connection is opened.
static inline int shopctl_sqlite_configure(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
