-- =============================================================================
-- FanForge schema migration 0002: Orleans ADO.NET clustering (membership)
-- =============================================================================
--
-- Requires 0001 (OrleansQuery). Used by UseAdoNetClustering on silos AND on
-- external clients (clients only run GatewaysQueryKey).
--
-- Contract checked against (FanForge's own script, not a copy of upstream):
--   * dotnet/orleans src/AdoNet/Orleans.Clustering.AdoNet/PostgreSQL-Clustering.sql
--     (read at commits 63ed715685cc1c5e8405a3a129ac4435173cc692 and
--     4c41b3acc7f4464b09164b0f03886dddbfa07ef8)
--   * dotnet/orleans src/AdoNet/Orleans.Clustering.AdoNet/Migrations/PostgreSQL-Clustering-AtomicWrites.sql
--     (read at commits 86ba07ebccfca07cba968e61a9a47b9089ec5d02 and
--     001102871c812e92ecb44c8192175cffea1b125b): source of the optional
--     CleanupDefunctSiloEntryKey and of the version-first, RAISE-based rollback.
--   * Orleans.Clustering.AdoNet.dll 10.4.2 (dotnet/orleans commit
--     876ffe0338e41bc6339e85ee5696dbee6cf9a4c4), decompiled: the query keys it
--     requires, the parameters it binds for each key and the columns it reads.
--
-- Deliberately NOT included: the MetadataJson column / @MetadataJson parameter
-- of upstream commit 4c41b3ac. The 10.4.2 DLL neither binds nor reads it, and an
-- unbound @MetadataJson placeholder would break the insert/update queries.
--
-- Parameters bound by the 10.4.2 DLL, per query key (name: .NET type -> PG type):
--   UpdateIAmAlivetimeKey          DeploymentId, Address, Port, Generation, IAmAliveTime
--   InsertMembershipVersionKey     DeploymentId
--   InsertMembershipKey            DeploymentId, Address, Port, Generation, SiloName, HostName,
--                                  Status, ProxyPort, StartTime, IAmAliveTime, Version
--   UpdateMembershipKey            DeploymentId, Address, Port, Generation, Status,
--                                  SuspectTimes, IAmAliveTime, Version
--   MembershipReadRowKey           DeploymentId, Address, Port, Generation
--   MembershipReadAllKey           DeploymentId
--   DeleteMembershipTableEntriesKey DeploymentId
--   GatewaysQueryKey               DeploymentId, Status (always 3 = Active)
--   CleanupDefunctSiloEntriesKey   DeploymentId, IAmAliveTime (cut-off)
--   CleanupDefunctSiloEntryKey     DeploymentId, Address, Port, Generation, SuspectTimes,
--                                  StartTime, IAmAliveTime (values captured from a read)
--   Types: strings -> text, Address -> text (AnsiString), ints -> int4,
--   DateTime (Kind=Utc) -> timestamptz (DbType.DateTime), Version -> int4.
--   When CleanupDefunctSiloEntryKey exists the 10.4.2 DLL uses it (one DELETE per
--   eligible Dead row) instead of CleanupDefunctSiloEntriesKey; both must exist.
--
-- Status codes (Orleans.Runtime.SiloStatus): 3 = Active, 6 = Dead.
-- Timestamps are timestamptz(3): Npgsql 6+ writes DateTime(Kind=Utc) as
-- timestamptz; never enable Npgsql legacy timestamp behaviour.
--
-- Rollback of the conditional writes does not use ASSERT (which silently stops
-- working when plpgsql.check_asserts=off); it raises SQLSTATE P0004 explicitly
-- and catches it in a sub-block, which undoes the version bump.
--
-- Idempotent: CREATE ... IF NOT EXISTS, CREATE OR REPLACE FUNCTION (argument
-- names and types match upstream so the script can also run over a database
-- that was provisioned with the upstream scripts), and OrleansQuery upserts.
-- No BEGIN/COMMIT: the migrator wraps the script in a transaction.
-- =============================================================================

-- One row per cluster (DeploymentId = ClusterOptions.ClusterId). Version is the
-- membership table's optimistic-concurrency token (ETag).
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address, port, generation) in a cluster.
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId
        PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Heartbeat. Never lowers IAmAliveTime, so a delayed heartbeat cannot move a
-- silo's liveness backwards. Nothing is returned or checked by Orleans.
CREATE OR REPLACE FUNCTION update_i_am_alive_time(
    deployment_id   varchar,
    address_arg     varchar,
    port_arg        integer,
    generation_arg  integer,
    i_am_alive_time timestamptz)
RETURNS void
LANGUAGE plpgsql
AS $fn$
BEGIN
    UPDATE OrleansMembershipTable AS m
       SET IAmAliveTime = GREATEST(m.IAmAliveTime, i_am_alive_time)
     WHERE m.DeploymentId = deployment_id
       AND m.Address      = address_arg
       AND m.Port         = port_arg
       AND m.Generation   = generation_arg;
END
$fn$;

-- Creates the cluster's version row if missing. Returns 1 if it was created,
-- 0 if it already existed (Orleans reads the single column as a boolean).
CREATE OR REPLACE FUNCTION insert_membership_version(
    DeploymentIdArg varchar)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql
AS $fn$
DECLARE
    affected integer := 0;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (DeploymentIdArg)
    ON CONFLICT (DeploymentId) DO NOTHING;

    GET DIAGNOSTICS affected = ROW_COUNT;
    RETURN QUERY SELECT affected;
END
$fn$;

-- Adds a silo row and bumps the table version, atomically: both happen only if
-- the caller's Version is still current and the row does not exist yet.
-- The version row is updated FIRST so concurrent writers queue on its row lock.
-- Returns 1 on success, 0 on a version conflict or a duplicate row.
CREATE OR REPLACE FUNCTION insert_membership(
    DeploymentIdArg varchar,
    AddressArg      varchar,
    PortArg         integer,
    GenerationArg   integer,
    SiloNameArg     varchar,
    HostNameArg     varchar,
    StatusArg       integer,
    ProxyPortArg    integer,
    StartTimeArg    timestamptz,
    IAmAliveTimeArg timestamptz,
    VersionArg      integer)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql
AS $fn$
DECLARE
    affected integer := 0;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
           SET Timestamp = now(),
               Version   = Version + 1
         WHERE DeploymentId = DeploymentIdArg
           AND Version      = VersionArg
           AND Version      < 2147483647;

        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            RAISE EXCEPTION 'membership version conflict' USING ERRCODE = 'assert_failure';
        END IF;

        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName,
             Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES
            (DeploymentIdArg, AddressArg, PortArg, GenerationArg, SiloNameArg, HostNameArg,
             StatusArg, ProxyPortArg, StartTimeArg, IAmAliveTimeArg)
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;

        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            -- Row already exists: undo the version bump above.
            RAISE EXCEPTION 'membership row already exists' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT 1;
    EXCEPTION
        WHEN assert_failure THEN
            RETURN QUERY SELECT 0;
    END;
END
$fn$;

-- Updates a silo row (status, suspicion votes, liveness) and bumps the table
-- version, atomically; same success rules and return value as insert_membership.
-- IAmAliveTime never goes backwards: the caller may hold a value read before the
-- target silo's latest heartbeat.
CREATE OR REPLACE FUNCTION update_membership(
    DeploymentIdArg varchar,
    AddressArg      varchar,
    PortArg         integer,
    GenerationArg   integer,
    StatusArg       integer,
    SuspectTimesArg varchar,
    IAmAliveTimeArg timestamptz,
    VersionArg      integer)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql
AS $fn$
DECLARE
    affected integer := 0;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
           SET Timestamp = now(),
               Version   = Version + 1
         WHERE DeploymentId = DeploymentIdArg
           AND Version      = VersionArg
           AND Version      < 2147483647;

        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            RAISE EXCEPTION 'membership version conflict' USING ERRCODE = 'assert_failure';
        END IF;

        UPDATE OrleansMembershipTable AS m
           SET Status       = StatusArg,
               SuspectTimes = SuspectTimesArg,
               IAmAliveTime = GREATEST(m.IAmAliveTime, IAmAliveTimeArg)
         WHERE m.DeploymentId = DeploymentIdArg
           AND m.Address      = AddressArg
           AND m.Port         = PortArg
           AND m.Generation   = GenerationArg;

        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            -- No such silo row: undo the version bump above.
            RAISE EXCEPTION 'membership row not found' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT 1;
    EXCEPTION
        WHEN assert_failure THEN
            RETURN QUERY SELECT 0;
    END;
END
$fn$;

-- -----------------------------------------------------------------------------
-- Query catalogue rows. Texts are dollar-quoted ($q$...$q$) so they need no
-- quote doubling. Read queries must return the columns the DLL reads BY NAME:
--   membership rows: DeploymentId, Address, Port, Generation, SiloName, HostName,
--                    Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime, Version
--   (the version row is LEFT JOINed so it comes back even with no silo rows;
--    a NULL StartTime means "no silo row")
--   gateways:        Address, ProxyPort, Generation
-- -----------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpdateIAmAlivetimeKey', $q$
SELECT update_i_am_alive_time(@DeploymentId, @Address, @Port, @Generation, @IAmAliveTime);
$q$
),
(
    'InsertMembershipVersionKey', $q$
SELECT row_count FROM insert_membership_version(@DeploymentId);
$q$
),
(
    'InsertMembershipKey', $q$
SELECT row_count
FROM insert_membership(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$q$
),
(
    'UpdateMembershipKey', $q$
SELECT row_count
FROM update_membership(
    @DeploymentId, @Address, @Port, @Generation,
    @Status, @SuspectTimes, @IAmAliveTime, @Version);
$q$
),
(
    'MembershipReadRowKey', $q$
SELECT v.DeploymentId,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime,
       v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address      = @Address
      AND m.Port         = @Port
      AND m.Generation   = @Generation
WHERE v.DeploymentId = @DeploymentId;
$q$
),
(
    'MembershipReadAllKey', $q$
SELECT v.DeploymentId,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime,
       v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
$q$
),
(
    'DeleteMembershipTableEntriesKey', $q$
DELETE FROM OrleansMembershipTable        WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
$q$
),
(
    'GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status       = @Status
  AND ProxyPort    > 0;
$q$
),
(
    -- Bulk fallback (used only when CleanupDefunctSiloEntryKey is absent):
    -- Dead rows whose start and last heartbeat are both older than the cut-off
    -- and that carry no suspicion votes.
    'CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status       = 6
  AND IAmAliveTime < @IAmAliveTime
  AND StartTime    < @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = '';
$q$
),
(
    -- Per-row cleanup used by the 10.4.2 DLL: the DLL reads all rows, picks the
    -- Dead rows it considers defunct, and deletes each one only if it still holds
    -- exactly the values it read (so a concurrent update wins over the delete).
    -- Does not touch the table version.
    'CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status       = 6
  AND Address      = @Address
  AND Port         = @Port
  AND Generation   = @Generation
  AND IAmAliveTime = @IAmAliveTime
  AND StartTime    = @StartTime
  AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
