-- =============================================================================
-- FanForge schema migration 0004: Orleans ADO.NET reminders
-- =============================================================================
--
-- Requires 0001 (OrleansQuery). Used by UseAdoNetReminderService(...).
--
-- Contract checked against (FanForge's own script, not a copy of upstream):
--   * dotnet/orleans src/AdoNet/Orleans.Reminders.AdoNet/PostgreSQL-Reminders.sql
--     (read at commit f5feb5eb58eff4bf51bf06c3d9602bf545385ad0) and
--     Migrations/PostgreSQL-Reminders-3.6.0.sql (commit
--     49a59e944401beaff18811f7a7016daeef89ae27: StartTime -> timestamptz(3)).
--   * Orleans.Reminders.AdoNet.dll 10.4.2 (dotnet/orleans commit
--     876ffe0338e41bc6339e85ee5696dbee6cf9a4c4), decompiled:
--       UpsertReminderRowKey   binds ServiceId, GrainId, ReminderName, StartTime,
--                              Period, GrainHash; reads column Version
--       ReadReminderRowsKey    binds ServiceId, GrainId
--       ReadReminderRowKey     binds ServiceId, GrainId, ReminderName
--       ReadRangeRows1Key      binds ServiceId, BeginHash, EndHash; used when
--                              (int)BeginHash < (int)EndHash: range (Begin, End]
--       ReadRangeRows2Key      same binds; used otherwise: the range wraps, so
--                              GrainHash > Begin OR GrainHash <= End
--       DeleteReminderRowKey   binds ServiceId, GrainId, ReminderName, Version;
--                              reads ONE column as a boolean
--       DeleteReminderRowsKey  binds ServiceId
--     Row readers use columns GrainId, ReminderName, StartTime, Period, Version
--     by name. Types: strings -> text (GrainId as AnsiString -> text),
--     StartTime DateTime(Kind=Utc) -> timestamptz, Period -> int4 milliseconds
--     (int8 when above int.MaxValue ms, about 24.8 days), GrainHash / hashes ->
--     int4 (the uint hash reinterpreted as signed), Version -> int4.
--   The newer upstream columns CronExpression, NextDueUtc, LastFireUtc,
--   Priority and Action (advanced/durable reminders) are NOT used by the
--   10.4.2 Orleans.Reminders.AdoNet DLL and are not created here.
--
-- Period is bigint so periods above about 24.8 days fit; the query casts
-- @Period to bigint so int4 and int8 arguments both resolve to one function.
-- StartTime is timestamptz(3) (Npgsql 6+).
-- ReadRangeRows*: see 0005 for the (ServiceId, GrainHash) index.
--
-- Idempotent: IF NOT EXISTS, CREATE OR REPLACE FUNCTION (same names, argument
-- names and types as upstream), OrleansQuery upserts. No BEGIN/COMMIT.
-- =============================================================================

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      varchar(150)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,

    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName
        PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Registers or re-registers a reminder. New rows start at version 0; every
-- re-registration bumps the version. Returns the row's version (the ETag).
CREATE OR REPLACE FUNCTION upsert_reminder_row(
    ServiceIdArg    varchar,
    GrainIdArg      varchar,
    ReminderNameArg varchar,
    StartTimeArg    timestamptz,
    PeriodArg       bigint,
    GrainHashArg    integer)
RETURNS TABLE (version integer)
LANGUAGE plpgsql
AS $fn$
DECLARE
    new_version integer;
BEGIN
    INSERT INTO OrleansRemindersTable AS r
        (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES
        (ServiceIdArg, GrainIdArg, ReminderNameArg, StartTimeArg, PeriodArg, GrainHashArg, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
       SET StartTime = EXCLUDED.StartTime,
           Period    = EXCLUDED.Period,
           GrainHash = EXCLUDED.GrainHash,
           Version   = r.Version + 1
    RETURNING r.Version INTO STRICT new_version;

    RETURN QUERY SELECT new_version;
END
$fn$;

-- Deletes a reminder if its version still matches. Returns the number of rows
-- deleted (1 = removed, 0 = missing or version conflict).
CREATE OR REPLACE FUNCTION delete_reminder_row(
    ServiceIdArg    varchar,
    GrainIdArg      varchar,
    ReminderNameArg varchar,
    VersionArg      integer)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql
AS $fn$
DECLARE
    affected integer := 0;
BEGIN
    DELETE FROM OrleansRemindersTable AS r
     WHERE r.ServiceId    = ServiceIdArg
       AND r.GrainId      = GrainIdArg
       AND r.ReminderName = ReminderNameArg
       AND r.Version      = VersionArg;

    GET DIAGNOSTICS affected = ROW_COUNT;
    RETURN QUERY SELECT affected;
END
$fn$;

-- -----------------------------------------------------------------------------
-- Query catalogue rows (dollar-quoted texts).
-- -----------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpsertReminderRowKey', $q$
SELECT version AS Version
FROM upsert_reminder_row(
    @ServiceId, @GrainId, @ReminderName, @StartTime, CAST(@Period AS bigint), @GrainHash);
$q$
),
(
    'ReadReminderRowsKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId   = @GrainId;
$q$
),
(
    'ReadReminderRowKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId    = @ServiceId
  AND GrainId      = @GrainId
  AND ReminderName = @ReminderName;
$q$
),
(
    'ReadRangeRows1Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash;
$q$
),
(
    'ReadRangeRows2Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
$q$
),
(
    'DeleteReminderRowKey', $q$
SELECT row_count
FROM delete_reminder_row(@ServiceId, @GrainId, @ReminderName, @Version);
$q$
),
(
    'DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId;
$q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
