-- The incident timeline is append-only at the database level: rows of "TimelineEvent" can be
-- inserted, never changed or removed, whoever the client is. Appended to the migration by
-- `npm run db:regen` (prisma/sql/*.sql, in name order), since Prisma's schema cannot express it.
-- A superuser can still switch triggers off for one session (SET session_replication_role =
-- replica), which is how the tamper-detection test edits a row; the hash chain then reveals it.

CREATE OR REPLACE FUNCTION "rollback_console"."timeline_event_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'TimelineEvent is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Record a correction as a new timeline event instead.';
END;
$$;

CREATE TRIGGER "TimelineEvent_append_only"
  BEFORE UPDATE OR DELETE ON "rollback_console"."TimelineEvent"
  FOR EACH ROW EXECUTE FUNCTION "rollback_console"."timeline_event_refuse_change"();

CREATE TRIGGER "TimelineEvent_no_truncate"
  BEFORE TRUNCATE ON "rollback_console"."TimelineEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "rollback_console"."timeline_event_refuse_change"();
