// A fan tips a creator exactly as the frontend's Tip page does: an atomic group of two signed by the fan —
// [0] payment to the creator's TipProxy app address, [1] NoOp call to the app with ["tip", memo], flat fee 3000 —
// built from TestNet suggested params and posted base64 to /submit-group. Checks the tip reaches the loyalty
// routes and the /ws live feed within 2 s, and that the 5th tip earns a Butki badge.
// Usage: (cd tests/e2e && npm ci && node tip-flow.mjs [baseUrl])   default baseUrl http://localhost:8000
import algosdk from "algosdk";
import assert from "node:assert/strict";
import { call, liveFeed, login, registerCreator, reporter, tipGroup } from "./lib.mjs";

const { step, done } = reporter();
const creator = algosdk.generateAccount();
const fan = algosdk.generateAccount();
const creatorWallet = creator.addr.toString();
const fanWallet = fan.addr.toString();

const app = await registerCreator(creator);
step(`creator registered; TipProxy app ${app.appId} at ${app.appAddress}`);

const { waitFor, close } = await liveFeed(`fan:${fanWallet}`);
step("subscribed to the live feed");

async function tip(amountMicroAlgo, memo, n) {
  const { pay, signed } = tipGroup(fan, app, amountMicroAlgo, memo, n);
  const started = Date.now();
  const submitted = await call("POST", "/submit-group", { signed_txns: signed });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  assert.equal(submitted.body.txId, pay.txID(), "algod answers with the first member's txid");
  // A tip is the group's payment (what moved, from whom), so its event carries the payment's txid: the one /submit-group answered.
  const event = await waitFor((e) => e.type === "tip" && e.payload.txId === pay.txID(), 2000);
  return { submitted: submitted.body, payTxId: pay.txID(), signed, liveMs: Date.now() - started, event };
}

const first = await tip(1_000_000, "great stream", 0);
step(`tip 1 submitted (txId ${first.submitted.txId}); on /ws after ${first.liveMs} ms`);

const loyalty = await call("GET", `/butki/${fanWallet}/loyalty/${creatorWallet}`);
assert.equal(loyalty.status, 200);
assert.equal(loyalty.body.tip_count, 1);
assert.equal(loyalty.body.total_tipped_algo, 1);
assert.equal(loyalty.body.tips_to_next_badge, 4);
step("/butki loyalty shows tip_count 1");

// Retrying the same signed group (a lost response) is a no-op that returns the first answer.
const retry = await call("POST", "/submit-group", { signed_txns: first.signed });
assert.equal(retry.status, 200, JSON.stringify(retry.body));
assert.equal(retry.body.txId, first.submitted.txId);
assert.equal((await call("GET", `/butki/${fanWallet}/loyalty/${creatorWallet}`)).body.tip_count, 1);
step("resubmitting the same group returns the first answer and counts nothing twice");

for (let n = 1; n < 5; n++) {
  const t = await tip(600_000, "", n);
  step(`tip ${n + 1} on /ws after ${t.liveMs} ms`);
}
const badge = await waitFor((e) => e.type === "badge" && e.payload.creatorWallet === creatorWallet, 2000);
assert.equal(badge.payload.badgeNumber, 1);
const after = await call("GET", `/butki/${fanWallet}/loyalty/${creatorWallet}`);
assert.equal(after.body.tip_count, 5);
assert.equal(after.body.butki_badges_earned, 1);
step("the 5th tip earns Butki badge #1 (live badge event, butki_badges_earned 1)");

// The badge is minted (a soulbound ARC-3 ASA) and waits in the fan's pending list for its opt-in and claim.
const fanLogin = await login(fan);
let pending;
for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
  pending = await call("GET", `/fan/${fanWallet}/pending`, undefined, fanLogin.tokens.accessToken);
  if (pending.status === 200 && pending.body.meta.total === 1) break;
}
assert.equal(pending.status, 200, JSON.stringify(pending.body));
assert.equal(pending.body.meta.total, 1, JSON.stringify(pending.body));
const item = pending.body.data.pending[0];
assert.equal(item.stickerType, "soulbound");
const minted = await call("GET", `/butki/${fanWallet}/loyalty/${creatorWallet}`);
assert.equal(minted.body.last_badge_asset_id, item.asset_id);
step(`/fan/{fan}/pending lists the badge: asset ${item.asset_id} (${item.templateName})`);

// A tip below the creator's minimum is refused by the contract, and nothing is counted.
const refused = await call("POST", "/submit-group", { signed_txns: tipGroup(fan, app, 100_000, "", 9).signed });
assert.equal(refused.status, 400, JSON.stringify(refused.body));
assert.equal(refused.body.success, false);
step(`a tip below the minimum is refused: 400 ${refused.body.error.code}`);

close();
done(fanWallet);
