// Shawty tokens as real ASAs in the fan's wallet, as the Fan Hub and a wallet do it: the fan buys tokens with signed
// PURCHASE:SHAWTY groups; the pending list offers only the tokens a claim can deliver (a burned one is left out); the
// fan opts in (the unsigned opt-in from /nft/optin, signed with algosdk, posted to /submit) and claims; the token is
// then in the wallet on the ledger, a lock freezes the holding, a burn claws it back and destroys the ASA, an order's
// discount freezes it and the payment burns it, and the fan's own asset transfer to a friend moves the owner in our
// API. Every retry (claim, lock, burn, resubmitted transfer) answers the first result and doubles nothing.
// Usage: (cd tests/e2e && npm ci && node shawty-flow.mjs [baseUrl])   needs a development server (/simulate/holding)
import algosdk from "algosdk";
import assert from "node:assert/strict";
import { call, login, registerCreator, reporter, tipGroup } from "./lib.mjs";

const { step, done } = reporter();

async function poll(what, probe, ok, ms = 10_000) {
  let last;
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    last = await probe();
    if (ok(last)) return last;
  }
  throw new Error(`${what} did not happen within ${ms} ms: ${JSON.stringify(last?.body ?? last)}`);
}

function ok(response, what) {
  assert.equal(response.status, 200, `${what}: ${JSON.stringify(response.body)}`);
  return response.body;
}

const creator = algosdk.generateAccount();
const fan = algosdk.generateAccount();
const friend = algosdk.generateAccount();
const [creatorWallet, fanWallet, friendWallet] = [creator, fan, friend].map((a) => a.addr.toString());

const app = await registerCreator(creator);
const creatorToken = (await login(creator)).tokens.accessToken;
const productId = ok(await call("POST", `/creator/${creatorWallet}/products`, { slug: "chain-tee", name: "Chain Tee", price_algo: 3, stock_quantity: 5 }, creatorToken), "product").data.id;
ok(await call("POST", `/creator/${creatorWallet}/discounts`, { discountType: "PERCENT", value: 10, minShawtyTokens: 1 }, creatorToken), "discount");
step(`creator registered (app ${app.appId}) with product ${productId} and a 10% discount for a Shawty holder`);

const fanToken = (await login(fan)).tokens.accessToken;
const friendToken = (await login(friend)).tokens.accessToken;
for (let n = 0; n < 5; n++) {
  ok(await call("POST", "/submit-group", { signed_txns: tipGroup(fan, app, 2_000_000, "PURCHASE:SHAWTY", 100 + n).signed }), "purchase");
}
const bought = await poll("five Shawty tokens", () => call("GET", `/shawty/${fanWallet}/tokens`, undefined, fanToken), (r) => r.body?.total === 5);
const [custodyBurn, locked, burned, ordered, given] = bought.body.tokens.map((t) => t.asset_id).sort((a, b) => a - b);
assert.ok(bought.body.tokens.every((t) => t.in_wallet === false && t.ledger_frozen === false), "minted into platform custody");
step(`fan bought five Shawty ASAs with signed PURCHASE:SHAWTY groups: ${[custodyBurn, locked, burned, ordered, given].join(", ")}`);

// In custody a burn is what it always was; the pending list then leaves that token out.
ok(await call("POST", "/shawty/burn", { fan_wallet: fanWallet, asset_id: custodyBurn, item_description: "Sticker pack" }, fanToken), "custody burn");
const pending = ok(await call("GET", `/fan/${fanWallet}/pending`, undefined, fanToken), "pending").data.pending;
const pendingIds = pending.map((p) => p.asset_id).sort((a, b) => a - b);
assert.deepEqual(pendingIds, [locked, burned, ordered, given], JSON.stringify(pending));
step(`the Fan Hub's pending list offers the four claimable tokens, not the burned ${custodyBurn}`);

const holding = async (wallet, assetId) => ok(await call("GET", `/simulate/holding/${wallet}/${assetId}`), "holding");

async function optIn(account, token, assetId) {
  const wallet = account.addr.toString();
  const unsigned = ok(await call("POST", "/nft/optin", { assetId, fanWallet: wallet }, token), "opt-in").unsignedTxn;
  const signed = algosdk.decodeUnsignedTransaction(Buffer.from(unsigned, "base64")).signTxn(account.sk);
  ok(await call("POST", "/submit", { signed_txn: Buffer.from(signed).toString("base64") }), "submit opt-in");
}

// Every listed Claim button works: opt in, claim; a second claim returns the same delivery.
const claims = new Map();
for (const item of pending) {
  await optIn(fan, fanToken, item.asset_id);
  const claimed = ok(await call("POST", `/fan/${fanWallet}/claim/${item.id}`, undefined, fanToken), "claim");
  assert.equal(claimed.status, "delivered");
  const again = ok(await call("POST", `/fan/${fanWallet}/claim/${item.id}`, undefined, fanToken), "claim again");
  assert.equal(again.txId, claimed.txId, "a retried claim returns the first delivery");
  assert.deepEqual(await holding(fanWallet, item.asset_id), { wallet: fanWallet, asset_id: item.asset_id, asset_exists: true, opted_in: true, amount: 1, is_frozen: false });
  claims.set(item.asset_id, claimed.txId);
}
assert.equal(ok(await call("GET", `/fan/${fanWallet}/pending`, undefined, fanToken), "pending").meta.total, 0);
const rows = ok(await call("GET", `/shawty/${fanWallet}/tokens`, undefined, fanToken), "tokens").tokens;
assert.ok(rows.every((t) => t.in_wallet && t.ledger_holder === fanWallet), JSON.stringify(rows));
step(`claimed all four into the fan's wallet (1 unit each on the ledger); retried claims returned the same txIds; nothing left pending`);

// Lock freezes the holding; the same lock again changes nothing.
const lock = { fan_wallet: fanWallet, asset_id: locked, discount_description: "Backstage 20% off" };
ok(await call("POST", "/shawty/lock", lock, fanToken), "lock");
ok(await call("POST", "/shawty/lock", lock, fanToken), "lock again");
assert.equal((await holding(fanWallet, locked)).is_frozen, true);
const lockedRow = ok(await call("GET", `/shawty/${fanWallet}/tokens?include_spent=true`, undefined, fanToken), "tokens").tokens.find((t) => t.asset_id === locked);
assert.deepEqual([lockedRow.is_locked, lockedRow.ledger_frozen], [true, true]);
step(`lock of ${locked} froze the fan's holding on the ledger (retried lock: same answer)`);

// Burn claws it back to the platform and destroys the ASA; the same burn again answers the same.
const burn = { fan_wallet: fanWallet, asset_id: burned, item_description: "Signed poster" };
ok(await call("POST", "/shawty/burn", burn, fanToken), "burn");
ok(await call("POST", "/shawty/burn", burn, fanToken), "burn again");
const afterBurn = await holding(fanWallet, burned);
assert.deepEqual([afterBurn.amount, afterBurn.asset_exists], [0, false]);
const redemptions = ok(await call("GET", `/shawty/${fanWallet}/redemptions`), "redemptions").redemptions;
assert.equal(redemptions.filter((r) => r.asset_id === burned).length, 1);
step(`burn of ${burned} clawed it back and destroyed the ASA; the retried burn recorded nothing twice`);

// An order's discount freezes the claimed token; the payment burns it.
const cart = { fanWallet, items: [{ productId, quantity: 1 }], shawtyAssetIds: [ordered] };
const placed = ok(await call("POST", `/creator/${creatorWallet}/store/order`, cart, fanToken), "order").data;
assert.equal((await holding(fanWallet, ordered)).is_frozen, true);
const payment = placed.payment.unsigned_txns
  .map((b64) => algosdk.decodeUnsignedTransaction(Buffer.from(b64, "base64")))
  .map((txn) => Buffer.from(txn.signTxn(fan.sk)).toString("base64"));
ok(await call("POST", "/submit-group", { signed_txns: payment }), "order payment");
await poll("the discount token burned on the ledger", () => holding(fanWallet, ordered), (h) => h.asset_exists === false && h.amount === 0);
const orders = ok(await call("GET", `/fan/${fanWallet}/orders`, undefined, fanToken), "orders").data;
assert.equal(orders.find((o) => o.id === placed.order.id).status, "PAID");
assert.equal(ok(await call("GET", `/shawty/${fanWallet}/validate/${ordered}`), "validate").is_burned, true);
step(`order ${placed.order.id} froze ${ordered} for its discount; paid with the signed ${placed.payment.memo} group → PAID, token burned on the ledger`);

// A claimed token moves from the wallet only: the custody transfer is refused.
const custody = await call("POST", "/shawty/transfer", { from_wallet: fanWallet, to_wallet: friendWallet, asset_id: given }, fanToken);
assert.equal(custody.status, 409, JSON.stringify(custody.body));
assert.equal(custody.body.error.code, "in_wallet");

// The fan's own transfer, signed by the wallet; resubmitted, it answers the first txId.
await optIn(friend, friendToken, given);
const params = ok(await call("GET", "/params"), "params");
const suggestedParams = {
  fee: 0, minFee: params.minFee, flatFee: false, firstValid: params.firstValidRound, lastValid: params.lastValidRound,
  genesisID: params.genesisId, genesisHash: Buffer.from(params.genesisHash, "base64"),
};
const transfer = algosdk.makeAssetTransferTxnWithSuggestedParamsFromObject({ sender: fanWallet, receiver: friendWallet, assetIndex: given, amount: 1, suggestedParams });
const signedTransfer = Buffer.from(transfer.signTxn(fan.sk)).toString("base64");
const sent = ok(await call("POST", "/submit", { signed_txn: signedTransfer }), "transfer");
const resent = ok(await call("POST", "/submit", { signed_txn: signedTransfer }), "transfer again");
assert.equal(resent.txId, sent.txId);
const friendTokens = await poll("the friend owning the token", () => call("GET", `/shawty/${friendWallet}/tokens`, undefined, friendToken), (r) => r.body?.total === 1);
assert.deepEqual([friendTokens.body.tokens[0].asset_id, friendTokens.body.tokens[0].ledger_holder, friendTokens.body.tokens[0].in_wallet], [given, friendWallet, true]);
assert.ok(!ok(await call("GET", `/shawty/${fanWallet}/tokens`, undefined, fanToken), "tokens").tokens.some((t) => t.asset_id === given));
assert.equal(ok(await call("GET", `/nft/${given}`), "nft").owner_wallet, friendWallet);
assert.equal((await holding(friendWallet, given)).amount, 1);
step(`the fan's own transfer of ${given} (txId ${sent.txId}, resubmitted: same answer) made the friend its owner in our API`);

// The former owner's writes are stale; the new owner's act on its holding.
const stale = await call("POST", "/shawty/burn", { fan_wallet: fanWallet, asset_id: given, item_description: "Mug" }, fanToken);
assert.equal(stale.status, 409, JSON.stringify(stale.body));
ok(await call("POST", "/shawty/lock", { fan_wallet: friendWallet, asset_id: given, discount_description: "VIP" }, friendToken), "friend's lock");
assert.equal((await holding(friendWallet, given)).is_frozen, true);
step(`the former owner's burn is refused (${stale.body.error.code}); the friend's lock froze the friend's holding`);

done(fanWallet);
