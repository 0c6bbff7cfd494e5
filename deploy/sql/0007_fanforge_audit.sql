-- FanForge's own table (not an Orleans provider's): the audit trail of admin actions and creator configuration
-- changes, read by GET /admin/audit. Append-only: the API inserts (once per entry_key, the changed thing and its
-- version, so a retried request adds nothing) and reads; the triggers below refuse UPDATE, DELETE and TRUNCATE from
-- anyone, the table's owner included, so removing history takes a deliberate ALTER TABLE … DISABLE TRIGGER by its owner.

CREATE TABLE IF NOT EXISTS fanforge_audit (
    id             bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    serviceid      varchar(150) NOT NULL,
    entry_key      text         NOT NULL,
    at             timestamptz  NOT NULL,
    kind           text         NOT NULL,
    actor          text         NOT NULL,
    actor_role     text         NOT NULL,
    wallet         text,
    subject        text         NOT NULL,
    changes        jsonb        NOT NULL,
    request_id     text         NOT NULL,
    client_address text,
    CONSTRAINT fanforge_audit_entry_key UNIQUE (serviceid, entry_key)
);

-- Reads are newest first, by (at, id), filtered by wallet (the entry's wallet or its actor), kind or time; keyset
-- pages continue below the previous page's last (at, id).
CREATE INDEX IF NOT EXISTS ix_fanforge_audit_at ON fanforge_audit (serviceid, at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_fanforge_audit_wallet ON fanforge_audit (serviceid, wallet, at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_fanforge_audit_actor ON fanforge_audit (serviceid, actor, at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_fanforge_audit_kind ON fanforge_audit (serviceid, kind, at DESC, id DESC);

CREATE OR REPLACE FUNCTION fanforge_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'fanforge_audit is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS fanforge_audit_append_only ON fanforge_audit;
CREATE TRIGGER fanforge_audit_append_only BEFORE UPDATE OR DELETE ON fanforge_audit
    FOR EACH ROW EXECUTE FUNCTION fanforge_audit_refuse_change();

DROP TRIGGER IF EXISTS fanforge_audit_no_truncate ON fanforge_audit;
CREATE TRIGGER fanforge_audit_no_truncate BEFORE TRUNCATE ON fanforge_audit
    FOR EACH STATEMENT EXECUTE FUNCTION fanforge_audit_refuse_change();
