-- The live hub across front ends (package pglive).
--
-- Both tables are UNLOGGED: what they hold lives seconds (an event is read
-- by the other front ends as soon as its NOTIFY arrives; a heartbeat is
-- rewritten every few seconds), so it need not survive a crash of the
-- database, and skipping the write-ahead log keeps each publish cheap.

-- live_events holds each event (or presence change) a front end sends the
-- others, as JSON: NOTIFY carries only the ids (its payload is limited to
-- 8000 bytes; one message can be 20,000 characters). Rows are deleted a
-- few minutes after they were written.
CREATE UNLOGGED TABLE live_events (
    id     bigserial PRIMARY KEY,
    origin text NOT NULL,
    at     timestamptz NOT NULL DEFAULT now(),
    body   bytea NOT NULL
);
CREATE INDEX live_events_at ON live_events (at);

-- live_frontends is each front end's heartbeat. One whose beat is older
-- than the others' dead-after is taken for dead; the one survivor that
-- sets departed tells the rooms that its people left.
CREATE UNLOGGED TABLE live_frontends (
    id       text PRIMARY KEY,
    beat_at  timestamptz NOT NULL,
    departed boolean NOT NULL DEFAULT false
);
