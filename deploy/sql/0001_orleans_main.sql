-- =============================================================================
-- FanForge schema migration 0001: Orleans ADO.NET query catalogue (OrleansQuery)
-- =============================================================================
--
-- Target: PostgreSQL 13+ (verified on 15), Orleans 10.4.2 ADO.NET providers,
--         Npgsql 10 (ADO.NET invariant "Npgsql").
--
-- Every Orleans ADO.NET provider (clustering, grain persistence, reminders)
-- reads its SQL at start-up with
--     SELECT QueryKey, QueryText FROM OrleansQuery
-- and then runs only those texts. This script creates that table; scripts
-- 0002-0004 create each provider's tables and fill in its rows.
--
-- Contract source (FanForge's own script, not a copy of the upstream file):
--   * dotnet/orleans src/AdoNet/Shared/PostgreSQL-Main.sql
--     (read at commit 017a92bcadf38edd6e9c6f87ebec31180c05e86e).
--   * The query loader in the Microsoft.Orleans.*.AdoNet 10.4.2 assemblies
--     (built from dotnet/orleans commit 876ffe0338e41bc6339e85ee5696dbee6cf9a4c4),
--     decompiled: columns QueryKey and QueryText are read by name.
--   Table name, column names and the primary key must stay as they are:
--   the DLLs hard-code them, and later scripts upsert with ON CONFLICT (QueryKey).
--
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT here: the
-- FanForge migrator wraps each script in its own transaction.
-- =============================================================================

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

COMMENT ON TABLE OrleansQuery IS
    'Orleans ADO.NET provider query catalogue (QueryKey -> SQL text). Loaded and cached by each provider at start-up; restart silos/clients after changing rows. Managed by deploy/sql migrations.';
