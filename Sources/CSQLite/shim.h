#include <sqlite3.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/// Starts the kernel writing the dirty pages of the file open as `fd` to disk and returns at
/// once, without waiting for them (Linux `sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE)`,
/// called through `syscall`: glibc declares it only under `_GNU_SOURCE`). Durability is not
/// its business: an `fsync` still decides it. 0, or -1 (with `errno`) where it cannot.
static inline int shopctl_start_writeback(int fd) {
#if defined(__linux__) && defined(SYS_sync_file_range) && defined(__LP64__)
    return (int)syscall(SYS_sync_file_range, fd, (long)0, (long)0, 2u /* SYNC_FILE_RANGE_WRITE */);
#else
    (void)fd;
    return -1;
#endif
}

/// SQLite counts every allocation under a global mutex unless told not to; shopctl never reads
/// those statistics. Must run before the first connection is opened.
static inline int shopctl_sqlite_configure(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/// Whether closing the last connection may checkpoint the WAL into the database (and delete
/// it): off while a store is not known to be one this binary may write (sqlite3_db_config is
/// variadic, so Swift calls it through here).
static inline int shopctl_no_checkpoint_on_close(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, on, (int *)0);
}

// MARK: - Row feeds
//
// A feed is an eponymous, read-only virtual table whose rows come from the program: an import
// fills a batch in memory and runs one `INSERT … SELECT … FROM feed`, so SQLite's cursors on the
// target table and its indexes stay open and positioned across the batch instead of being
// opened, sought from the root and closed again for every row.

typedef struct shopctl_feed {
    /// The rows of the current batch, each encoded by the program (`FeedRowEncoder`): word 0
    /// holds the kind of every column (2 bits each: 0 integer, 1 text, 2 null), word 1 + i
    /// column i's integer or, for text, its byte offset from the row's start << 32 | its
    /// length; the text bytes follow. SQLite reads them in place.
    const sqlite3_int64 *const *rows;
    /// Rows in the current batch.
    sqlite3_int64 count;
    /// `CREATE TABLE x(a, b, …)`: the feed's columns.
    const char *schema;
} shopctl_feed;

typedef struct shopctl_feed_vtab {
    sqlite3_vtab base;
    shopctl_feed *feed;
} shopctl_feed_vtab;

typedef struct shopctl_feed_cursor {
    sqlite3_vtab_cursor base;
    sqlite3_int64 row;
} shopctl_feed_cursor;

static inline int shopctl_feed_connect(
    sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
    (void)argc; (void)argv; (void)err;
    shopctl_feed *feed = (shopctl_feed *)aux;
    int rc = sqlite3_declare_vtab(db, feed->schema);
    if (rc != SQLITE_OK) return rc;
    shopctl_feed_vtab *v = (shopctl_feed_vtab *)sqlite3_malloc(sizeof *v);
    if (!v) return SQLITE_NOMEM;
    memset(v, 0, sizeof *v);
    v->feed = feed;
    *out = &v->base;
    return SQLITE_OK;
}

static inline int shopctl_feed_disconnect(sqlite3_vtab *v) {
    sqlite3_free(v);
    return SQLITE_OK;
}

static inline int shopctl_feed_best_index(sqlite3_vtab *v, sqlite3_index_info *info) {
    (void)v;
    info->estimatedCost = 1000;
    info->estimatedRows = 1000;
    return SQLITE_OK;
}

static inline int shopctl_feed_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out) {
    (void)v;
    shopctl_feed_cursor *c = (shopctl_feed_cursor *)sqlite3_malloc(sizeof *c);
    if (!c) return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static inline int shopctl_feed_close(sqlite3_vtab_cursor *c) {
    sqlite3_free(c);
    return SQLITE_OK;
}

static inline int shopctl_feed_filter(
    sqlite3_vtab_cursor *c, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
    (void)idxNum; (void)idxStr; (void)argc; (void)argv;
    ((shopctl_feed_cursor *)c)->row = 0;
    return SQLITE_OK;
}

static inline int shopctl_feed_next(sqlite3_vtab_cursor *c) {
    ((shopctl_feed_cursor *)c)->row++;
    return SQLITE_OK;
}

static inline int shopctl_feed_eof(sqlite3_vtab_cursor *c) {
    shopctl_feed_vtab *v = (shopctl_feed_vtab *)c->pVtab;
    return ((shopctl_feed_cursor *)c)->row >= v->feed->count;
}

static inline int shopctl_feed_column(sqlite3_vtab_cursor *c, sqlite3_context *ctx, int i) {
    const shopctl_feed *f = ((shopctl_feed_vtab *)c->pVtab)->feed;
    const sqlite3_int64 *r = f->rows[((shopctl_feed_cursor *)c)->row];
    sqlite3_int64 v = r[1 + i];
    switch (((sqlite3_uint64)r[0] >> (2 * i)) & 3) {
    case 1:  // the text stays in the batch until the statement has run
        sqlite3_result_text(ctx, (const char *)r + (v >> 32), (int)(v & 0xffffffff), SQLITE_STATIC);
        break;
    case 2: sqlite3_result_null(ctx); break;
    default: sqlite3_result_int64(ctx, v);
    }
    return SQLITE_OK;
}

static inline int shopctl_feed_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *rowid) {
    *rowid = ((shopctl_feed_cursor *)c)->row;
    return SQLITE_OK;
}

/// Registers `feed` as the eponymous virtual table `name` on `db`; `feed` must outlive the
/// connection (or the module's removal).
static inline int shopctl_register_feed(sqlite3 *db, const char *name, shopctl_feed *feed) {
    static const sqlite3_module module = {
        .iVersion = 0,
        .xCreate = 0,  // eponymous only: no CREATE VIRTUAL TABLE
        .xConnect = shopctl_feed_connect,
        .xBestIndex = shopctl_feed_best_index,
        .xDisconnect = shopctl_feed_disconnect,
        .xDestroy = 0,
        .xOpen = shopctl_feed_open,
        .xClose = shopctl_feed_close,
        .xFilter = shopctl_feed_filter,
        .xNext = shopctl_feed_next,
        .xEof = shopctl_feed_eof,
        .xColumn = shopctl_feed_column,
        .xRowid = shopctl_feed_rowid,
    };
    return sqlite3_create_module_v2(db, name, &module, feed, 0);
}
