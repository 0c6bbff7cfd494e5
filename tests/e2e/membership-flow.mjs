// A fan buys a Bauni membership and a Shawty token exactly as the frontend's Tip page sends any payment: the tip group
// with memo MEMBERSHIP:BAUNI (5 ALGO) or PURCHASE:SHAWTY (2 ALGO). Checks the membership is active with a 30-day
// expiry within 2 s, then moves the development clock past the expiry and checks access ends.
// Usage: (cd tests/e2e && npm ci && node membership-flow.mjs [baseUrl])   needs a development server (/simulate/clock)
import algosdk from "algosdk";
import assert from "node:assert/strict";
import { call, liveFeed, login, registerCreator, reporter, tipGroup } from "./lib.mjs";

const { step, done } = reporter();
const creator = algosdk.generateAccount();
const fan = algosdk.generateAccount();
const creatorWallet = creator.addr.toString();
const fanWallet = fan.addr.toString();
const day = 24 * 3600 * 1000;

const app = await registerCreator(creator);
step(`creator registered; TipProxy app ${app.appId}`);
const { waitFor, close } = await liveFeed(`fan:${fanWallet}`);

const before = await call("GET", `/bauni/${fanWallet}/membership/${creatorWallet}`);
assert.equal(before.status, 200, JSON.stringify(before.body));
assert.equal(before.body.is_valid, false);
step(`not a member yet (cost ${before.body.cost_algo} ALGO, ${before.body.validity_days} days)`);

const clock = await call("GET", "/simulate/clock");
assert.equal(clock.status, 200, "the development clock route (Api:SimulationEndpoints on a co-hosted dev server)");
const paidAt = Date.parse(clock.body.now);
const started = Date.now();
const bought = await call("POST", "/submit-group", { signed_txns: tipGroup(fan, app, 5_000_000, "MEMBERSHIP:BAUNI", 0).signed });
assert.equal(bought.status, 200, JSON.stringify(bought.body));
let membership;
for (const deadline = Date.now() + 2000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
  membership = await call("GET", `/bauni/${fanWallet}/membership/${creatorWallet}`);
  if (membership.body.is_valid) break;
}
assert.equal(membership.body.is_valid, true, JSON.stringify(membership.body));
const expiresAt = Date.parse(membership.body.expires_at);
assert.ok(Math.abs(expiresAt - (paidAt + 30 * day)) < 60_000, `expires_at ${membership.body.expires_at} is 30 days after ${clock.body.now}`);
assert.equal(membership.body.days_remaining, 29);
step(`MEMBERSHIP:BAUNI group → active after ${Date.now() - started} ms, expires ${membership.body.expires_at}`);

const event = await waitFor((e) => e.type === "membership" && e.payload.status === "active", 2000);
assert.equal(event.payload.creatorWallet, creatorWallet);
const verify = await call("POST", "/bauni/verify", { fan_wallet: fanWallet, creator_wallet: creatorWallet });
assert.equal(verify.body.is_valid, true, JSON.stringify(verify.body));
step(`live 'membership' event; /bauni/verify: ${verify.body.message}`);

const shawty = await call("POST", "/submit-group", { signed_txns: tipGroup(fan, app, 2_000_000, "PURCHASE:SHAWTY", 1).signed });
assert.equal(shawty.status, 200, JSON.stringify(shawty.body));
const { tokens } = await login(fan);
let held;
for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
  held = await call("GET", `/shawty/${fanWallet}/tokens`, undefined, tokens.accessToken);
  if (held.status === 200 && held.body.total === 1) break;
}
assert.equal(held.body.total, 1, JSON.stringify(held.body));
const token = held.body.tokens[0];
assert.equal(token.creator_wallet, creatorWallet);
step(`PURCHASE:SHAWTY group → Shawty token ASA ${token.asset_id} (redeemable ${token.is_redeemable})`);

const advanced = await call("POST", "/simulate/clock/advance", { seconds: 30 * 24 * 3600 });
assert.equal(advanced.status, 200, JSON.stringify(advanced.body));
const expired = await call("GET", `/bauni/${fanWallet}/membership/${creatorWallet}`);
assert.equal(expired.body.is_valid, false, JSON.stringify(expired.body));
assert.equal(expired.body.days_remaining, 0);
const denied = await call("POST", "/bauni/verify", { fan_wallet: fanWallet, creator_wallet: creatorWallet });
assert.equal(denied.body.is_valid, false);
await waitFor((e) => e.type === "membership" && e.payload.status === "expired", 2000);
step(`clock +30 days (now ${advanced.body.now}) → membership expired: ${denied.body.message}`);

close();
done(fanWallet);
