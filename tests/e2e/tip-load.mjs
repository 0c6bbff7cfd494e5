// A steady tip load through the API, as many fans would send it from the Tip page, for fault drills: kill a silo or
// restart PostgreSQL while it runs. Every tip is retried with the same signed group until the API accepts it (a
// retry of an accepted group is a no-op), then the run waits until every pair shows exactly its tips and every owed
// Butki badge is minted. Prints one JSON report; exits 1 if anything was lost, doubled or answered with a 5xx other
// than 503.
// Usage: (cd tests/e2e && npm ci && node tip-load.mjs [baseUrl] [creators] [fansPerCreator] [tipsPerPair] [tipsPerSecond])
//   defaults: http://localhost:8000, 4 creators × 20 fans × 5 tips of 0.6 ALGO at 5 tips/s (400 tips, 80 badges)
// One machine plays every fan, so run the API with a per-IP budget that fits the load and its retries, e.g.
//   RateLimits__RequestsPerMinutePerIp=100000 deploy/local/start.sh
import algosdk from "algosdk";
import { baseUrl, call, registerCreator, tipGroup } from "./lib.mjs";

const [creatorCount, fansPerCreator, tipsPerPair, rate] = [3, 4, 5, 6].map((i, k) => Number(process.argv[i] ?? [4, 20, 5, 5][k]));
const amount = 600_000;
const settleMs = 180_000;
const started = Date.now();
const statuses = {};
const fiveHundreds = [];
let retries = 0;
let lastFailureAt = null;
let longestOutageMs = 0;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls until it answers at all: registration is set-up, not what the drill measures. */
async function patiently(what, action) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= 60) throw new Error(`${what}: ${error.message}`);
      await sleep(1000);
    }
  }
}

const creators = [];
for (let c = 0; c < creatorCount; c++) {
  const account = algosdk.generateAccount();
  creators.push({ account, wallet: account.addr.toString(), app: await patiently("register", () => registerCreator(account)) });
}

const pairs = creators.flatMap((creator) =>
  Array.from({ length: fansPerCreator }, () => {
    const fan = algosdk.generateAccount();
    return { creator, fan, wallet: fan.addr.toString() };
  }));

// Interleaved so every pair advances together: tip k of every pair before tip k + 1 of any.
const plan = [];
for (let k = 0; k < tipsPerPair; k++) {
  for (const pair of pairs) plan.push({ pair, group: tipGroup(pair.fan, pair.creator.app, amount, "", plan.length) });
}

/**
 * Submits one signed group until the API accepts it; the same bytes every time, so a retry cannot count twice.
 * Retries back off (0.5 s doubling to 4 s), as a wallet would, so an outage is not met with a flood.
 */
async function submit(tip) {
  for (let wait = 500; ; wait = Math.min(wait * 2, 4000)) {
    let status;
    let body;
    try {
      ({ status, body } = await call("POST", "/submit-group", { signed_txns: tip.group.signed }));
    } catch (error) {
      status = `network:${error.cause?.code ?? error.message}`;
    }
    statuses[status] = (statuses[status] ?? 0) + 1;
    // 503 with Retry-After is the promised answer to infrastructure trouble; any other 5xx is a defect.
    if (typeof status === "number" && status >= 500 && status !== 503) {
      fiveHundreds.push({ status, code: body?.error?.code, retryAfter: body?.error?.retry_after, at_ms: Date.now() - started });
    }
    if (status === 200) {
      if (lastFailureAt !== null) {
        longestOutageMs = Math.max(longestOutageMs, Date.now() - lastFailureAt);
        lastFailureAt = null;
      }
      return;
    }
    lastFailureAt ??= Date.now();
    retries++;
    await sleep(wait);
  }
}

const sends = [];
for (let i = 0; i < plan.length; i++) {
  const due = started + (i * 1000) / rate;
  if (due > Date.now()) await sleep(due - Date.now());
  sends.push(submit(plan[i]));
}
await Promise.all(sends);
const acknowledgedAt = Date.now();

// Every acknowledged tip must be counted once and every owed badge minted once.
const owedBadges = Math.floor(tipsPerPair / 5);
let views = [];
for (const deadline = Date.now() + settleMs; ; await sleep(1000)) {
  views = await Promise.all(pairs.map(async (pair) => {
    try {
      const { status, body } = await call("GET", `/butki/${pair.wallet}/loyalty/${pair.creator.wallet}`);
      return status === 200 ? body : null;
    } catch {
      return null;
    }
  }));
  const settled = views.every((v) => v && v.tip_count === tipsPerPair && v.butki_badges_earned === owedBadges && (owedBadges === 0 || v.last_badge_asset_id));
  if (settled || Date.now() > deadline) break;
}

const counted = views.map((v) => v?.tip_count ?? 0);
const report = {
  drill: "tip-load",
  base_url: baseUrl,
  planned: plan.length,
  acknowledged: plan.length,
  pairs: pairs.length,
  tips_per_pair: tipsPerPair,
  offered_per_second: rate,
  seconds_to_acknowledge_all: Math.round((acknowledgedAt - started) / 100) / 10,
  seconds_to_settle: Math.round((Date.now() - acknowledgedAt) / 100) / 10,
  retries,
  longest_refusal_streak_seconds: Math.round(longestOutageMs / 100) / 10,
  statuses,
  other_5xx: fiveHundreds.length,
  lost: counted.reduce((sum, n) => sum + Math.max(0, tipsPerPair - n), 0),
  doubled: counted.reduce((sum, n) => sum + Math.max(0, n - tipsPerPair), 0),
  badges_owed: pairs.length * owedBadges,
  badges_earned: views.reduce((sum, v) => sum + (v?.butki_badges_earned ?? 0), 0),
  pairs_with_last_badge_minted: views.filter((v) => v?.last_badge_asset_id).length,
  first_other_5xx: fiveHundreds.slice(0, 5),
};
console.log(JSON.stringify(report, null, 2));
process.exit(report.lost === 0 && report.doubled === 0 && report.other_5xx === 0 && (owedBadges === 0 || report.pairs_with_last_badge_minted === pairs.length) ? 0 : 1);
