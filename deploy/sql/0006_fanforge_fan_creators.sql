-- FanForge's own table (not an Orleans provider's): which creators each fan has paid, the index behind a fan's pages.
-- One row per (fan, creator), inserted idempotently by the silos in batches. Before this table the index was a grain
-- state row per fan (state name 'fan-tip-index', JSON {"CreatorWallets": [...]}) in OrleansStorage; those rows are
-- copied here once, and may be deleted afterwards. Rerunning the copy (the INSERT below) is harmless.

CREATE TABLE IF NOT EXISTS fanforge_fan_creators (
    serviceid varchar(150) NOT NULL,
    fan       text         NOT NULL,
    creator   text         NOT NULL,
    PRIMARY KEY (serviceid, fan, creator)
);

INSERT INTO fanforge_fan_creators (serviceid, fan, creator)
SELECT legacy.serviceid, legacy.fan, c.creator
  FROM (SELECT serviceid, grainidextensionstring AS fan,
               convert_from(payloadbinary, 'UTF8')::jsonb -> 'CreatorWallets' AS creators
          FROM orleansstorage
         WHERE graintypestring = 'fan-tip-index'
           AND payloadbinary IS NOT NULL
           AND grainidextensionstring IS NOT NULL) AS legacy
 CROSS JOIN LATERAL jsonb_array_elements_text(
           CASE WHEN jsonb_typeof(legacy.creators) = 'array' THEN legacy.creators ELSE '[]'::jsonb END) AS c(creator)
ON CONFLICT DO NOTHING;
