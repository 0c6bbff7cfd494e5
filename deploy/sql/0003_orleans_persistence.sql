-- =============================================================================
-- FanForge schema migration 0003: Orleans ADO.NET grain persistence
-- =============================================================================
--
-- Requires 0001 (OrleansQuery). Used by AddAdoNetGrainStorage(...).
--
-- Contract checked against (FanForge's own script, not a copy of upstream):
--   * dotnet/orleans src/AdoNet/Orleans.Persistence.AdoNet/PostgreSQL-Persistence.sql
--     (read at commits 017a92bcadf38edd6e9c6f87ebec31180c05e86e and
--     918b6c1b8ec8a944047ad767371e41c2e756bd5d; both still carry the pre-7.0
--     payloadxml/payloadjson columns, which current upstream dropped).
--   * Orleans.Persistence.AdoNet.dll 10.4.2 (dotnet/orleans commit
--     876ffe0338e41bc6339e85ee5696dbee6cf9a4c4), decompiled, which is the
--     authority for what is bound and read:
--       all four keys bind GrainIdHash int4, GrainIdN0 int8, GrainIdN1 int8,
--         GrainTypeHash int4, GrainTypeString text, GrainIdExtensionString text
--         (NULL for keys without a string extension), ServiceId text;
--       WriteToStorageKey also binds GrainStateVersion int4 (NULL = never written)
--         and PayloadBinary bytea; it reads column NewGrainStateVersion;
--       ClearStorageKey / DeleteStorageKey also bind GrainStateVersion and read
--         the FIRST column of the first row as the new ETag (no row = conflict);
--       ReadFromStorageKey reads columns PayloadBinary and Version by name.
--     The DLL binds NO @PayloadJson / @PayloadXml, so the queries must not
--     reference them.
--   * DeleteStorageKey is optional for the DLL but required by
--     AdoNetGrainStorageOptions.DeleteStateOnClear = true; it is included.
--
-- Payload: the provider stores whatever its IGrainStorageSerializer produces in
-- payloadbinary (bytea). FanForge uses SystemTextJsonGrainStorageSerializer, so
-- the bytes are UTF-8 JSON:  SELECT convert_from(payloadbinary, 'UTF8') ...
-- Do not change the column to json/jsonb: the DLL sends bytea.
--
-- Version conflicts: a write/clear/delete whose GrainStateVersion no longer
-- matches changes nothing and hands back the caller's own version (write) or
-- no row (clear/delete); the DLL then throws InconsistentStateException.
--
-- modifiedon is timestamp WITHOUT time zone holding UTC, as upstream; it is
-- only ever set server-side (never bound from .NET), so Npgsql's DateTime rules
-- do not apply to it.
--
-- Idempotent: IF NOT EXISTS, CREATE OR REPLACE FUNCTION (same name, argument
-- names and types as upstream), OrleansQuery upserts. No BEGIN/COMMIT.
-- =============================================================================

-- No primary key (upstream design): rows are found by the non-unique
-- (grainidhash, graintypehash) index, and hash collisions are resolved by
-- comparing the full identity columns.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    grainidhash            integer                     NOT NULL,
    grainidn0              bigint                      NOT NULL,
    grainidn1              bigint                      NOT NULL,
    graintypehash          integer                     NOT NULL,
    graintypestring        varchar(512)                NOT NULL,
    grainidextensionstring varchar(512)                NULL,
    serviceid              varchar(150)                NOT NULL,
    payloadbinary          bytea                       NULL,
    modifiedon             timestamp without time zone NOT NULL,
    version                integer                     NULL
);

CREATE INDEX IF NOT EXISTS ix_orleansstorage
    ON OrleansStorage USING btree (grainidhash, graintypehash);

-- Insert-or-update of one grain state with optimistic concurrency.
--   _grainstateversion NULL : first write; inserts version 1 unless a row for
--                             this grain already exists.
--   otherwise               : updates the row only if its version matches and
--                             bumps it.
-- Returns one row: the new version on success, or the caller's version
-- (NULL for a failed first write) on conflict.
CREATE OR REPLACE FUNCTION writetostorage(
    _grainidhash            integer,
    _grainidn0              bigint,
    _grainidn1              bigint,
    _graintypehash          integer,
    _graintypestring        varchar,
    _grainidextensionstring varchar,
    _serviceid              varchar,
    _grainstateversion      integer,
    _payloadbinary          bytea)
RETURNS TABLE (newgrainstateversion integer)
LANGUAGE plpgsql
AS $fn$
DECLARE
    result_version integer := _grainstateversion;
    affected       integer := 0;
BEGIN
    IF _grainstateversion IS NOT NULL THEN
        UPDATE OrleansStorage AS s
           SET payloadbinary = _payloadbinary,
               modifiedon    = (now() AT TIME ZONE 'utc'),
               version       = s.version + 1
         WHERE s.grainidhash     = _grainidhash
           AND s.graintypehash   = _graintypehash
           AND s.grainidn0       = _grainidn0
           AND s.grainidn1       = _grainidn1
           AND s.graintypestring = _graintypestring
           AND s.grainidextensionstring IS NOT DISTINCT FROM _grainidextensionstring
           AND s.serviceid       = _serviceid
           AND s.version         = _grainstateversion;

        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected > 0 THEN
            result_version := _grainstateversion + 1;
        END IF;
    ELSE
        INSERT INTO OrleansStorage
            (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
             grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
        SELECT _grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring,
               _grainidextensionstring, _serviceid, _payloadbinary,
               (now() AT TIME ZONE 'utc'), 1
        WHERE NOT EXISTS
        (
            SELECT 1
              FROM OrleansStorage AS s
             WHERE s.grainidhash     = _grainidhash
               AND s.graintypehash   = _graintypehash
               AND s.grainidn0       = _grainidn0
               AND s.grainidn1       = _grainidn1
               AND s.graintypestring = _graintypestring
               AND s.grainidextensionstring IS NOT DISTINCT FROM _grainidextensionstring
               AND s.serviceid       = _serviceid
        );

        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected > 0 THEN
            result_version := 1;
        END IF;
    END IF;

    RETURN QUERY SELECT result_version;
END
$fn$;

-- -----------------------------------------------------------------------------
-- Query catalogue rows (dollar-quoted texts).
-- -----------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'WriteToStorageKey', $q$
SELECT newgrainstateversion AS NewGrainStateVersion
FROM writetostorage(
    @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
    @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
$q$
),
(
    'ReadFromStorageKey', $q$
SELECT PayloadBinary, ModifiedOn, Version
FROM OrleansStorage
WHERE GrainIdHash     = @GrainIdHash
  AND GrainTypeHash   = @GrainTypeHash
  AND GrainIdN0       = @GrainIdN0
  AND GrainIdN1       = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND ServiceId       = @ServiceId;
$q$
),
(
    -- Keeps the row (payload NULL, version bumped); used when
    -- DeleteStateOnClear = false (the Orleans default).
    'ClearStorageKey', $q$
UPDATE OrleansStorage
   SET PayloadBinary = NULL,
       ModifiedOn    = (now() AT TIME ZONE 'utc'),
       Version       = Version + 1
WHERE GrainIdHash     = @GrainIdHash
  AND GrainTypeHash   = @GrainTypeHash
  AND GrainIdN0       = @GrainIdN0
  AND GrainIdN1       = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND ServiceId       = @ServiceId
  AND Version         = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
$q$
),
(
    -- Removes the row; used when DeleteStateOnClear = true. Returns a value
    -- different from the caller's ETag so the DLL sees success.
    'DeleteStorageKey', $q$
DELETE FROM OrleansStorage
WHERE GrainIdHash     = @GrainIdHash
  AND GrainTypeHash   = @GrainTypeHash
  AND GrainIdN0       = @GrainIdN0
  AND GrainIdN1       = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND ServiceId       = @ServiceId
  AND Version         = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;
$q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
