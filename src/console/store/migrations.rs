//! The database schema as numbered migrations, applied in order and recorded
//! in `schema_version`, so a console upgraded in place brings its data
//! along. The SQL is plain SQLite; a PostgreSQL store would carry its own
//! copy of these migrations with the few types spelled its way (BLOB as
//! BYTEA, `INTEGER PRIMARY KEY AUTOINCREMENT` as an identity column).

/// (version, SQL), oldest first. Never edit a released migration: add one.
pub(super) const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE TABLE groups (
        name TEXT PRIMARY KEY,
        published_version INTEGER,
        created_at TEXT NOT NULL
    );
    CREATE TABLE versions (
        group_name TEXT NOT NULL REFERENCES groups(name) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        text TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (group_name, number)
    );
    CREATE TABLE screens (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        group_name TEXT NOT NULL REFERENCES groups(name),
        place TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        enrolled_at TEXT NOT NULL,
        last_report_at INTEGER,
        report TEXT,
        thumbnail BLOB,
        thumbnail_at INTEGER,
        screenshot_wanted INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE TABLE rejected_reports (
        reason TEXT PRIMARY KEY,
        count INTEGER NOT NULL
    );
    ",
    ),
    // Operators get roles (every earlier operator could do everything, so
    // they stay 管理员), editors a list of groups, and can be disabled; a
    // removed screen keeps its row (the page shows it as removed) but no token.
    (
        2,
        "
    ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';
    ALTER TABLE users ADD COLUMN groups TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE screens ADD COLUMN removed_at INTEGER;
    ",
    ),
    // The screenshot itself, beside its thumbnail: 打开原图 shows it whole.
    (
        3,
        "
    ALTER TABLE screens ADD COLUMN screenshot BLOB;
    ",
    ),
    // A remote action (重新加载配置, 重启程序) waiting for the screen to ask
    // on its push channel; one at a time, the latest wins.
    (
        4,
        "
    ALTER TABLE screens ADD COLUMN command TEXT;
    ",
    ),
    // Alerts: the admin's settings (key, value), the screens with an alert
    // sent and no recovery yet, and every alert with how its delivery went.
    (
        5,
        "
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE alert_incidents (
        screen_id TEXT PRIMARY KEY,
        opened_at INTEGER NOT NULL,
        state TEXT NOT NULL
    );
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        screen_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT
    );
    ",
    ),
    // E-mail beside the webhook: each alert's mail delivery on its own.
    (
        6,
        "
    ALTER TABLE alerts ADD COLUMN mail_status TEXT;
    ALTER TABLE alerts ADD COLUMN mail_error TEXT;
    ",
    ),
    // Proof of play as the screens report it: one row per line of their
    // played.jsonl (a page, the idle slide, black), with how long it showed.
    // `day` is the date where the screen stands; the group is the one the
    // screen was in when it reported.
    (
        7,
        "
    CREATE TABLE plays (
        screen_id TEXT NOT NULL,
        group_name TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        start TEXT NOT NULL,
        day TEXT NOT NULL,
        state TEXT NOT NULL,
        item INTEGER,
        slide TEXT,
        page INTEGER,
        pages INTEGER,
        seconds REAL NOT NULL,
        PRIMARY KEY (screen_id, start_ms)
    ) WITHOUT ROWID;
    CREATE INDEX plays_by_start ON plays (start_ms);
    ",
    ),
];
