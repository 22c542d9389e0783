/// The numbered schema migrations, applied in order, each once, each in its own
/// `BEGIN IMMEDIATE` transaction that also sets `PRAGMA user_version`.
///
///     Migrations.all.last!.version == Store.schemaVersion
///
/// Never edit a migration that has shipped: add a new one.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
}

public enum Migrations {
    public static let all: [Migration] = [
        Migration(
            version: 1, name: "foundation",
            sql: """
                CREATE TABLE meta (
                    key   TEXT PRIMARY KEY,
                    value BLOB NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE shops (
                    id              INTEGER PRIMARY KEY,
                    shop_id         TEXT NOT NULL UNIQUE,
                    member_id       TEXT NOT NULL,
                    name            TEXT NOT NULL,
                    name_key        TEXT NOT NULL UNIQUE,
                    description     TEXT NOT NULL DEFAULT '',
                    logo            TEXT,
                    opened_at       INTEGER NOT NULL,
                    opening_fee_fen INTEGER NOT NULL CHECK (opening_fee_fen >= 0)
                );
                CREATE INDEX shops_member ON shops(member_id);
                """),
        Migration(
            version: 2, name: "catalog and picks",
            sql: """
                CREATE TABLE suppliers (
                    supplier_id            TEXT PRIMARY KEY,
                    name                   TEXT NOT NULL,
                    registered_capital_fen INTEGER NOT NULL,
                    general_taxpayer       INTEGER NOT NULL,
                    deposit_fen            INTEGER NOT NULL,
                    auth_chain_levels      INTEGER NOT NULL,
                    admitted               INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE products (
                    id                        INTEGER PRIMARY KEY,
                    product_id                TEXT NOT NULL UNIQUE,
                    supplier_id               TEXT NOT NULL REFERENCES suppliers(supplier_id),
                    title                     TEXT NOT NULL,
                    brand                     TEXT NOT NULL,
                    category                  TEXT NOT NULL,
                    price_fen                 INTEGER NOT NULL CHECK (price_fen > 0),
                    commission_rate_bp        INTEGER NOT NULL CHECK (commission_rate_bp BETWEEN 0 AND 10000),
                    commission_fen            INTEGER NOT NULL,
                    stock                     INTEGER NOT NULL CHECK (stock >= 0),
                    status                    TEXT NOT NULL CHECK (status IN ('on', 'off')),
                    market_commission_rate_bp INTEGER,
                    other_platform_price_fen  INTEGER,
                    tags                      INTEGER NOT NULL DEFAULT 0,
                    sale_start                INTEGER,
                    sale_end                  INTEGER,
                    description               TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX products_category ON products(category, commission_fen);
                CREATE INDEX products_commission ON products(commission_fen);
                -- Title and brand for substring search (Chinese included) by a scan of this
                -- narrow table: cheaper to keep up than an FTS5 trigram index, and fast
                -- enough for catalogs of hundreds of thousands of products (docs/performance.md).
                CREATE TABLE product_search (
                    id   INTEGER PRIMARY KEY REFERENCES products(id),
                    text TEXT NOT NULL
                );
                CREATE TABLE picks (
                    shop_id    TEXT NOT NULL REFERENCES shops(shop_id),
                    product_id TEXT NOT NULL REFERENCES products(product_id),
                    reason     TEXT,
                    picked_at  INTEGER NOT NULL,
                    PRIMARY KEY (shop_id, product_id)
                ) WITHOUT ROWID;
                CREATE TABLE product_sales (
                    shop_id    TEXT NOT NULL,
                    product_id TEXT NOT NULL,
                    units      INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (shop_id, product_id)
                ) WITHOUT ROWID;
                CREATE INDEX product_sales_product ON product_sales(product_id, units);
                """),
        Migration(
            version: 3, name: "share log",
            sql: """
                CREATE TABLE shares (
                    id             INTEGER PRIMARY KEY,
                    token          TEXT NOT NULL UNIQUE,
                    shop_id        TEXT NOT NULL REFERENCES shops(shop_id),
                    product_id     TEXT REFERENCES products(product_id),
                    channel        TEXT NOT NULL,
                    campaign       TEXT,
                    created_at     INTEGER NOT NULL,
                    plan_date      TEXT,
                    plan_hour      INTEGER,
                    orders         INTEGER NOT NULL DEFAULT 0,
                    gmv_fen        INTEGER NOT NULL DEFAULT 0,
                    commission_fen INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX shares_shop ON shares(shop_id, created_at);
                CREATE UNIQUE INDEX shares_plan ON shares(shop_id, channel, plan_date, plan_hour) WHERE plan_date IS NOT NULL;
                CREATE INDEX shares_plan_date ON shares(shop_id, plan_date) WHERE plan_date IS NOT NULL;
                """),
        Migration(
            version: 4, name: "orders and the earnings ledger",
            sql: """
                -- Attribution is checked by the importer (token, product), so orders carry no
                -- foreign keys: `shopctl check` verifies them instead of every insert.
                CREATE TABLE orders (
                    id                 INTEGER PRIMARY KEY,
                    order_id           TEXT NOT NULL UNIQUE,
                    shop_id            TEXT NOT NULL,
                    share_id           INTEGER NOT NULL,
                    product_id         TEXT NOT NULL,
                    category           TEXT NOT NULL,
                    channel            TEXT NOT NULL,
                    quantity           INTEGER NOT NULL CHECK (quantity > 0),
                    unit_price_fen     INTEGER NOT NULL,
                    amount_fen         INTEGER NOT NULL,
                    refunded_fen       INTEGER NOT NULL CHECK (refunded_fen BETWEEN 0 AND amount_fen),
                    status             TEXT NOT NULL CHECK (status IN ('paid', 'shipped', 'confirmed', 'refunded')),
                    status_at          INTEGER NOT NULL,
                    paid_at            INTEGER NOT NULL,
                    confirmed_at       INTEGER,
                    rate_bp            INTEGER NOT NULL,
                    self_purchase      INTEGER NOT NULL,
                    commission_fen     INTEGER NOT NULL,
                    bonus_fen          INTEGER NOT NULL,
                    release_at         INTEGER,
                    first_status       TEXT NOT NULL,
                    first_status_at    INTEGER NOT NULL,
                    first_refunded_fen INTEGER NOT NULL,
                    recorded_at        INTEGER NOT NULL
                );
                -- Listing walks (shop, paid_at) newest first: a status or channel filter (a handful
                -- of values, each common) finds its latest rows within a short walk; a product
                -- (hundreds of values) has its own index. Fewer indexes, faster imports.
                -- The product and release indexes leave the shop out (a store holds one shop or a
                -- few; the shop is checked on the rows found): narrower keys, cheaper imports.
                CREATE INDEX orders_shop_paid ON orders(shop_id, paid_at);
                CREATE INDEX orders_product ON orders(product_id, paid_at);
                CREATE INDEX orders_release ON orders(release_at) WHERE release_at IS NOT NULL;
                -- Changes after an order was first stored (its first state is on the order row).
                CREATE TABLE order_events (
                    id           INTEGER PRIMARY KEY,
                    order_ref    INTEGER NOT NULL REFERENCES orders(id),
                    status       TEXT NOT NULL,
                    at           INTEGER NOT NULL,
                    refunded_fen INTEGER NOT NULL,
                    recorded_at  INTEGER NOT NULL
                );
                CREATE INDEX order_events_order ON order_events(order_ref);
                -- Running totals, kept in the same transaction as every order change.
                -- Days are local calendar days (days since 1970-01-01 in the store's zone).
                CREATE TABLE shop_days (
                    shop_id        TEXT NOT NULL,
                    day            INTEGER NOT NULL,
                    orders         INTEGER NOT NULL DEFAULT 0,
                    gmv_fen        INTEGER NOT NULL DEFAULT 0,
                    commission_fen INTEGER NOT NULL DEFAULT 0,
                    bonus_fen      INTEGER NOT NULL DEFAULT 0,
                    refunded_fen   INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (shop_id, day)
                ) WITHOUT ROWID;
                CREATE TABLE shop_release_days (
                    shop_id      TEXT NOT NULL,
                    day          INTEGER NOT NULL,
                    earnings_fen INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (shop_id, day)
                ) WITHOUT ROWID;
                CREATE TABLE shop_totals (
                    shop_id       TEXT PRIMARY KEY,
                    pending_fen   INTEGER NOT NULL DEFAULT 0,
                    confirmed_fen INTEGER NOT NULL DEFAULT 0
                ) WITHOUT ROWID;
                -- Levels and volume rewards, fixed once (SPEC §6). month = year × 12 + month − 1.
                CREATE TABLE shop_months (
                    shop_id         TEXT NOT NULL,
                    month           INTEGER NOT NULL,
                    level           TEXT,
                    bonus_bp        INTEGER,
                    level_fixed_at  INTEGER,
                    reward_fen      INTEGER,
                    reward_fixed_at INTEGER,
                    PRIMARY KEY (shop_id, month)
                ) WITHOUT ROWID;
                CREATE TABLE withdrawals (
                    id         INTEGER PRIMARY KEY,
                    shop_id    TEXT NOT NULL REFERENCES shops(shop_id),
                    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
                    fee_fen    INTEGER NOT NULL,
                    payout_fen INTEGER NOT NULL,
                    at         INTEGER NOT NULL
                );
                CREATE INDEX withdrawals_shop ON withdrawals(shop_id);
                """),
        Migration(
            version: 5, name: "order status check without an IN list",
            // SQLite checks `x IN (a, b, c, …)` (more than two values) against a temporary table
            // that it builds and clears again for every row written: a 16 KiB page zeroed per
            // order, a quarter of an import's insert time. The same rule as comparisons costs
            // nothing. Only the constraint's text changes (every stored row satisfies both), the
            // way SQLite documents for changing a CHECK constraint in place; the table and its
            // rows are untouched. RESET makes this connection read the new text at once; the
            // empty DDL after it bumps the schema version, so every other connection does too.
            sql: """
                PRAGMA writable_schema = ON;
                UPDATE sqlite_schema
                SET sql = replace(sql, 'CHECK (status IN (''paid'', ''shipped'', ''confirmed'', ''refunded''))',
                    'CHECK (status = ''paid'' OR status = ''shipped'' OR status = ''confirmed'' OR status = ''refunded'')')
                WHERE type = 'table' AND name = 'orders';
                PRAGMA writable_schema = RESET;
                CREATE TABLE schema_changed (x);
                DROP TABLE schema_changed;
                """),
        Migration(
            version: 6, name: "application id",
            // Marks the file as a shopctl store: 0x73686374, "shct" (StoreFile.applicationID,
            // docs/architecture.md). Stores made before carry 0 and are recognised by their tables
            // until a command that writes (or `shopctl upgrade`) runs this.
            sql: "PRAGMA application_id = 1936221044;"),
        Migration(
            version: 7, name: "month close",
            // Closing a month (SPEC §6): levels and rewards are stored provisional (fixed_at NULL)
            // until their month closes. A month's row keeps the GMV its facts were fixed from and
            // when a change of its GMV first arrived after that (`earnings` notes). Rows fixed
            // before stay fixed: a store made earlier keeps the facts it fixed.
            sql: """
                ALTER TABLE shop_months ADD COLUMN close_gmv_fen INTEGER;
                ALTER TABLE shop_months ADD COLUMN late_at INTEGER;
                """),
        Migration(
            version: 8, name: "product images",
            // A product's picture for posters: the absolute path of a checked PNG or JPEG file
            // (the feed's optional column `image`), NULL when it has none.
            sql: "ALTER TABLE products ADD COLUMN image TEXT;"),
        Migration(
            version: 9, name: "one product index",
            // `products_commission` served one query, the catalog's default listing (best
            // commission first, no category): `products_category` (category, commission_fen)
            // serves it too, a seek per category (CatalogRepository.list). One B-tree less to
            // keep up for every product stored: a catalog import of 100,000 products 6–10 %
            // faster (docs/performance.md).
            sql: "DROP INDEX IF EXISTS products_commission;"),
        Migration(
            version: 10, name: "a new order's first state unwritten",
            // No table changes: a new order is stored with `first_status` '' (and
            // `first_status_at`, `first_refunded_fen` 0), which says that its first state is its
            // state, until its first change writes that state down (OrderRepository.update,
            // history). Three columns of every order row then take no bytes but their headers,
            // a tenth of the row (docs/performance.md). Rows stored before keep their first state
            // spelled out and read the same; the version moves so that an older shopctl, which
            // would read '' as a status, refuses a store written this way (`store-newer`).
            sql: "-- a marker: the meaning of first_status '' (see above)"),
    ]
}
