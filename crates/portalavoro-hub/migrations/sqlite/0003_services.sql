-- Services and appointments (docs/hub-api.md, "Services and appointments").
-- The services themselves are items (feed 'services'); a service by
-- appointment has a calendar, and each appointment, held from a kiosk or
-- confirmed on a visitor's phone, is a row here. migrations/postgres holds
-- the same.
INSERT INTO revisions (feed, value) VALUES ('services', 0);

-- When a service sees people by appointment: the length of a slot, how
-- many people one slot takes (desks), and the weekly hours, as JSON:
-- {"slot_minutes": 30, "capacity": 1, "weekly": [{"day": 1, "from": "09:00", "to": "12:30"}]}
CREATE TABLE calendars (
    service_id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

-- An appointment: held from a kiosk until `held_until`, confirmed on the
-- visitor's phone (`confirmed_at`, with the name and contact they gave),
-- or cancelled. Only a hash of the secret in the visitor's link is kept;
-- `code` is the short one they read at the totem, unique among the live.
CREATE TABLE appointments (
    token_hash TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    service_id TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    kiosk_id TEXT,
    lang TEXT,
    held_until BIGINT NOT NULL,
    confirmed_at BIGINT,
    cancelled_at BIGINT,
    name TEXT,
    contact TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX appointments_by_slot ON appointments (service_id, starts_at);
CREATE INDEX appointments_by_code ON appointments (code);
CREATE INDEX appointments_by_kiosk ON appointments (kiosk_id, held_until);
