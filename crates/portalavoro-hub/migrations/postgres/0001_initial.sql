-- The hub's first schema (PostgreSQL). migrations/sqlite holds the same for
-- SQLite; keep the two in step. Times are Unix seconds (BIGINT); the
-- contract's items are kept as the JSON a kiosk receives.

-- One counter per feed, bumped in the same transaction as every write, so
-- that each instance knows what changed without asking for the data.
CREATE TABLE revisions (
    feed TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO revisions (feed, value) VALUES
    ('news', 0), ('vacancies', 0), ('rooms', 0), ('bookings', 0),
    ('announcements', 0), ('playlists', 0), ('kiosks', 0);

CREATE TABLE sites (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    hub_id TEXT REFERENCES sites (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE kiosks (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id),
    token_hash TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_seen_at BIGINT,
    last_heartbeat TEXT
);

CREATE TABLE heartbeats (
    kiosk_id TEXT NOT NULL REFERENCES kiosks (id),
    received_at BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX heartbeats_by_kiosk ON heartbeats (kiosk_id, received_at);

CREATE TABLE api_tokens (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL
);

-- News, vacancies, rooms, bookings and announcements. `site_id` NULL: the
-- whole network; `kiosks`: a JSON list of kiosk ids, NULL: not restricted.
CREATE TABLE items (
    feed TEXT NOT NULL,
    id TEXT NOT NULL,
    site_id TEXT REFERENCES sites (id),
    kiosks TEXT,
    room_id TEXT,
    starts_at BIGINT,
    ends_at BIGINT,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (feed, id)
);
CREATE INDEX items_by_feed_end ON items (feed, ends_at);
CREATE INDEX items_by_feed_start ON items (feed, starts_at);

-- Attract playlists: owner 'site:ID' or 'kiosk:ID'.
CREATE TABLE playlists (
    owner TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE media (
    name TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit (at);
