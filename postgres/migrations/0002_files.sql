-- Files, versions, folders, attachments, meetings, to-do items, mail in,
-- room lifecycle.
--
-- Records the service reads whole (a file's versions, a meeting, a to-do
-- item, an attachment's version) are JSON, as the bbolt store keeps them,
-- so they come back exactly as written (times to the nanosecond, in UTC);
-- the columns beside them are what queries select, order and lock by.
-- Paths sort bytewise (COLLATE "C"), as the contract's path order is.

-- A room's space: bytes used (identical content once) and its quota (0:
-- the default). Its row is the lock every write to the room's file area
-- takes first, so the quota check and the version recorded are one
-- decision.
CREATE TABLE room_usage (
    room_id bigint PRIMARY KEY REFERENCES rooms (id),
    used    bigint NOT NULL DEFAULT 0,
    quota   bigint NOT NULL DEFAULT 0
);

-- A file and all its versions, oldest first ([]workroom.Version).
CREATE TABLE files (
    room_id  bigint NOT NULL REFERENCES rooms (id),
    path     text COLLATE "C" NOT NULL,
    versions jsonb NOT NULL,
    PRIMARY KEY (room_id, path)
);

-- Folders made on purpose; folders holding files exist without a row.
CREATE TABLE folders (
    room_id bigint NOT NULL REFERENCES rooms (id),
    path    text COLLATE "C" NOT NULL,
    created timestamptz NOT NULL,
    PRIMARY KEY (room_id, path)
);

-- Per room and blob, how many versions hold it: the blob's size is in
-- the room's usage while the count is above 0.
CREATE TABLE room_blobs (
    room_id  bigint NOT NULL REFERENCES rooms (id),
    sha256   text NOT NULL,
    versions integer NOT NULL,
    size     bigint NOT NULL,
    PRIMARY KEY (room_id, sha256)
);
CREATE INDEX room_blobs_sha256 ON room_blobs (sha256);

-- Files of job posts and proposals, in the order attached (id).
CREATE TABLE job_files (
    id      bigserial PRIMARY KEY,
    job_id  bigint NOT NULL REFERENCES jobs (id),
    path    text NOT NULL,
    sha256  text NOT NULL,
    version jsonb NOT NULL,
    UNIQUE (job_id, path)
);
CREATE INDEX job_files_sha256 ON job_files (sha256);

CREATE TABLE proposal_files (
    id          bigserial PRIMARY KEY,
    proposal_id bigint NOT NULL REFERENCES proposals (id),
    path        text NOT NULL,
    sha256      text NOT NULL,
    version     jsonb NOT NULL,
    UNIQUE (proposal_id, path)
);
CREATE INDEX proposal_files_sha256 ON proposal_files (sha256);

-- When a sweep first found a blob unused.
CREATE TABLE blob_unused (
    sha256 text PRIMARY KEY,
    since  timestamptz NOT NULL
);

-- blob_referenced is what every new reference to a blob (a room's first
-- version of it, an attachment) does in its transaction: it forgets any
-- finding that the blob was unused. The shared advisory lock orders it
-- against BlobUnusedSince, which takes the same lock exclusively before
-- deciding, so a finding is never recorded for a blob a transaction is
-- referring to; references take it shared, so they never wait on one
-- another.
CREATE FUNCTION blob_referenced(sum text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtextextended(sum, 0));
    DELETE FROM blob_unused WHERE sha256 = sum;
END
$$;

-- Meeting records (workroom.Meeting); the columns are what Meetings
-- selects by. IDs grow with time across rooms.
CREATE TABLE meetings (
    id      bigserial PRIMARY KEY,
    room_id bigint NOT NULL REFERENCES rooms (id),
    from_id bigint NOT NULL,
    upto    bigint NOT NULL,
    running boolean NOT NULL,
    record  jsonb NOT NULL
);
CREATE INDEX meetings_room ON meetings (room_id, id);

-- To-do items (workroom.Todo), numbered per room; todo_seq holds each
-- room's last number, and its row is the lock AddTodo takes.
CREATE TABLE todos (
    room_id bigint NOT NULL REFERENCES rooms (id),
    id      bigint NOT NULL,
    item    jsonb NOT NULL,
    PRIMARY KEY (room_id, id)
);
CREATE TABLE todo_seq (
    room_id bigint PRIMARY KEY REFERENCES rooms (id),
    last    bigint NOT NULL
);

-- The Message-IDs of mails posted, by SHA-256 (a sender chooses the
-- Message-ID, of any length), with the message each became.
CREATE TABLE mail_ids (
    room_id    bigint NOT NULL REFERENCES rooms (id),
    id_sha256  bytea NOT NULL,
    message_id bigint NOT NULL,
    PRIMARY KEY (room_id, id_sha256)
);
