-- Meeting mode's live state shared by front ends: requests, who attends now.
--
-- One row per room where a meeting runs or requests wait (meetingbook.go),
-- deleted once neither is left. Every change of a room locks its row
-- (SELECT … FOR UPDATE), so two front ends never both start a meeting or
-- accept a request another has withdrawn. The state is the domain's
-- workroom.MeetingState as JSON: it lives for minutes, is always read and
-- written whole under that lock, and nothing queries inside it. No foreign
-- key to rooms: the state means nothing once the room is gone, and the
-- sweep (Service.SweepMeetings) empties it.
CREATE TABLE meeting_rooms (
    room_id  bigint PRIMARY KEY,
    requests jsonb NOT NULL DEFAULT '[]', -- []workroom.MeetingRequest, in the order made
    running  jsonb,                       -- workroom.RunningMeeting; NULL when none runs
    changed  timestamptz NOT NULL DEFAULT now()
);

-- Meeting request IDs, unique across front ends.
CREATE SEQUENCE meeting_request_ids;
