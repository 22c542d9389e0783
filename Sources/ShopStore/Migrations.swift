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
                """)
    ]
}
