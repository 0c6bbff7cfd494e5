// A fan tips a creator exactly as the frontend's Tip page does: an atomic group of two signed by the fan —
// [0] payment to the creator's TipProxy app address, [1] NoOp call to the app with ["tip", memo], flat fee 3000 —
// built from TestNet suggested params and posted base64 to /submit-group. Checks the tip reaches the loyalty
// routes and the /ws live feed within 2 s, and that the 5th tip earns a Butki badge.
// Usage: (cd tests/e2e && npm ci && node tip-flow.mjs [baseUrl])   default baseUrl http://localhost:8000
import algosdk from "algosdk";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { baseUrl, call, login, reporter } from "./lib.mjs";

const { step, done } = reporter();
const creator = algosdk.generateAccount();
const fan = algosdk.generateAccount();
const creatorWallet = creator.addr.toString();
const fanWallet = fan.addr.toString();

// The creator registers (the platform deploys its TipProxy) and the tip page reads the contract publicly.
const creatorLogin = await login(creator);
const register = await call("POST", "/creator/register", { wallet_address: creatorWallet, min_tip_algo: 0.5 }, creatorLogin.tokens.accessToken);
assert.equal(register.status, 200, JSON.stringify(register.body));
const contract = await call("GET", `/creator/${creatorWallet}/contract`);
assert.equal(contract.status, 200, JSON.stringify(contract.body));
const appId = contract.body.app_id ?? contract.body.appId;
const appAddress = contract.body.app_address ?? contract.body.appAddress;
step(`creator registered; TipProxy app ${appId} at ${appAddress}`);

// The live feed, subscribed to the fan's channel.
const socket = new WebSocket(baseUrl.replace(/^http/, "ws") + "/ws");
const events = [];
const waiters = [];
socket.on("message", (data) => {
  const event = JSON.parse(data.toString());
  events.push(event);
  waiters.splice(0).forEach((wake) => wake());
});
await new Promise((resolve, reject) => { socket.once("open", resolve); socket.once("error", reject); });
socket.send(JSON.stringify({ type: "subscribe", channel: `fan:${fanWallet}` }));
async function waitFor(predicate, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = events.find(predicate);
    if (found) return found;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no matching live event within ${ms} ms; got ${JSON.stringify(events.map((e) => e.type))}`);
    await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, left); });
  }
}
await waitFor((e) => e.type === "subscribed", 2000);
step("subscribed to the live feed");

// TestNet's suggested params, as the page takes them straight from TestNet algod.
const suggestedParams = {
  fee: 0, minFee: 1000, flatFee: false,
  firstValid: 50_000_000, lastValid: 50_001_000,
  genesisID: "testnet-v1.0",
  genesisHash: Buffer.from("SGO1GKSzyE7IEPItTxCByw9x8FmnrCDexi9/cOUJOiI=", "base64"),
};

async function tip(amountMicroAlgo, memo, n) {
  const pay = algosdk.makePaymentTxnWithSuggestedParamsFromObject({
    sender: fanWallet, receiver: appAddress, amount: amountMicroAlgo, suggestedParams: { ...suggestedParams, firstValid: suggestedParams.firstValid + n },
  });
  const appCall = algosdk.makeApplicationNoOpTxnFromObject({
    sender: fanWallet, appIndex: appId, appArgs: [new TextEncoder().encode("tip"), new TextEncoder().encode(memo)],
    suggestedParams: { ...suggestedParams, firstValid: suggestedParams.firstValid + n, flatFee: true, fee: 3000 },
  });
  algosdk.assignGroupID([pay, appCall]);
  const signed = [pay.signTxn(fan.sk), appCall.signTxn(fan.sk)].map((b) => Buffer.from(b).toString("base64"));
  const started = Date.now();
  const submitted = await call("POST", "/submit-group", { signed_txns: signed });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  assert.equal(submitted.body.txId, pay.txID(), "algod answers with the first member's txid");
  const event = await waitFor((e) => e.type === "tip" && e.payload.txId === appCall.txID(), 2000);
  return { submitted: submitted.body, appCallTxId: appCall.txID(), signed, liveMs: Date.now() - started, event };
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
const tooSmall = algosdk.makePaymentTxnWithSuggestedParamsFromObject({ sender: fanWallet, receiver: appAddress, amount: 100_000, suggestedParams: { ...suggestedParams, firstValid: suggestedParams.firstValid + 9 } });
const tooSmallCall = algosdk.makeApplicationNoOpTxnFromObject({ sender: fanWallet, appIndex: appId, appArgs: [new TextEncoder().encode("tip")], suggestedParams: { ...suggestedParams, firstValid: suggestedParams.firstValid + 9, flatFee: true, fee: 3000 } });
algosdk.assignGroupID([tooSmall, tooSmallCall]);
const refused = await call("POST", "/submit-group", { signed_txns: [tooSmall.signTxn(fan.sk), tooSmallCall.signTxn(fan.sk)].map((b) => Buffer.from(b).toString("base64")) });
assert.equal(refused.status, 400, JSON.stringify(refused.body));
assert.equal(refused.body.success, false);
step(`a tip below the minimum is refused: 400 ${refused.body.error.code}`);

socket.close();
done(fanWallet);
