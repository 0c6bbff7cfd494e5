-- =============================================================================
-- FanForge schema migration 0005: index for reminder range scans
-- =============================================================================
--
-- Requires 0004 (OrleansRemindersTable). FanForge addition; not part of the
-- upstream dotnet/orleans scripts, and no query text changes.
--
-- Why: every silo splits its share of the hash ring into many buckets (about
-- 30) and, on each reminder refresh (ReminderOptions.RefreshReminderListPeriod,
-- 5 min by default) and on every ring change, runs ReadRangeRows1Key /
-- ReadRangeRows2Key per bucket:
--     WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
--     WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
-- The primary key (ServiceId, GrainId, ReminderName) cannot serve a GrainHash
-- range, so without this index each bucket query scans all of the service's
-- reminders (see dotnet/orleans issues #9381 and #947). With it, Rows1 is an
-- index range scan and Rows2 can use a BitmapOr of two range scans.
--
-- Plain CREATE INDEX (not CONCURRENTLY): the migrator runs each script inside a
-- transaction, where CONCURRENTLY is not allowed. The table is small when this
-- first runs; on a large live table build it by hand with CONCURRENTLY first,
-- under this same name, and this script then does nothing.
--
-- Idempotent: IF NOT EXISTS. No BEGIN/COMMIT.
-- =============================================================================

CREATE INDEX IF NOT EXISTS ix_orleansreminderstable_serviceid_grainhash
    ON OrleansRemindersTable USING btree (ServiceId, GrainHash);
