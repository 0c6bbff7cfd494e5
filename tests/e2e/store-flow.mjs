// The merch store end to end, as the frontend and a wallet do it: a creator lists a product and a Shawty discount; a
// fan buys a Shawty with a signed group, quotes, orders, signs the returned payment group → PAID (token burned, stock
// sold); then a second order is paid by card: checkout against a fake Stripe (real request/response formats) and a
// signed checkout.session.completed webhook → PAID.
// Usage: start the dev server with Stripe pointed at the fake this script runs on port 12111:
//   Stripe__SecretKey=sk_test_dev Stripe__WebhookSecret=whsec_dev_e2e Stripe__ApiBase=http://127.0.0.1:12111 \
//     dotnet run --project api
//   (cd tests/e2e && npm ci && node store-flow.mjs [baseUrl])
import algosdk from "algosdk";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { call, login, registerCreator, reporter, tipGroup } from "./lib.mjs";

const webhookSecret = process.env.FANFORGE_STRIPE_WEBHOOK_SECRET ?? "whsec_dev_e2e";
const stripePort = Number(process.env.FANFORGE_FAKE_STRIPE_PORT ?? 12111);
const { step, done } = reporter();

// A fake Stripe API: POST /v1/checkout/sessions (form-encoded, Bearer sk_…) answered with a Checkout Session object.
const sessions = new Map();
const stripe = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => { body += chunk; });
  req.on("end", () => {
    res.setHeader("Content-Type", "application/json");
    if (!(req.headers.authorization ?? "").startsWith("Bearer sk_")) {
      res.writeHead(401).end(JSON.stringify({ error: { type: "invalid_request_error", message: "Invalid API Key provided." } }));
      return;
    }
    if (req.method !== "POST" || req.url !== "/v1/checkout/sessions") {
      res.writeHead(404).end(JSON.stringify({ error: { type: "invalid_request_error", message: `No such resource: ${req.url}` } }));
      return;
    }
    const form = new URLSearchParams(body);
    const id = `cs_test_e2e${sessions.size + 1}`;
    const amount = Number(form.get("line_items[0][price_data][unit_amount]")) * Number(form.get("line_items[0][quantity]") ?? 1);
    const session = {
      id, object: "checkout.session", amount_subtotal: amount, amount_total: amount, currency: form.get("line_items[0][price_data][currency]"),
      client_reference_id: form.get("client_reference_id"), metadata: { order_id: form.get("metadata[order_id]") }, mode: form.get("mode"),
      payment_intent: null, payment_status: "unpaid", status: "open", expires_at: Number(form.get("expires_at")), livemode: false,
      url: `https://checkout.stripe.com/c/pay/${id}`, idempotencyKey: req.headers["idempotency-key"],
    };
    sessions.set(id, session);
    res.writeHead(200).end(JSON.stringify(session));
  });
});
await new Promise((resolve) => stripe.listen(stripePort, "127.0.0.1", resolve));

async function poll(what, probe, ok, ms = 5000) {
  let last;
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    last = await probe();
    if (ok(last)) return last;
  }
  throw new Error(`${what} did not happen within ${ms} ms: ${JSON.stringify(last?.body ?? last)}`);
}

const creator = algosdk.generateAccount();
const fan = algosdk.generateAccount();
const creatorWallet = creator.addr.toString();
const fanWallet = fan.addr.toString();
const app = await registerCreator(creator);
const creatorToken = (await login(creator)).tokens.accessToken;
const product = await call("POST", `/creator/${creatorWallet}/products`, { slug: "tour-tee", name: "Tour Tee", price_algo: 3, stock_quantity: 10 }, creatorToken);
assert.equal(product.status, 200, JSON.stringify(product.body));
const productId = product.body.data.id;
const rule = await call("POST", `/creator/${creatorWallet}/discounts`, { discountType: "PERCENT", value: 10, minShawtyTokens: 1 }, creatorToken);
assert.equal(rule.status, 200, JSON.stringify(rule.body));
step(`creator listed product ${productId} (3 ALGO, stock 10) and discount rule ${rule.body.data.id} (10% with a Shawty)`);

const fanToken = (await login(fan)).tokens.accessToken;
async function buyShawty(n) {
  const bought = await call("POST", "/submit-group", { signed_txns: tipGroup(fan, app, 2_000_000, "PURCHASE:SHAWTY", n).signed });
  assert.equal(bought.status, 200, JSON.stringify(bought.body));
  const fresh = (r) => r.body?.tokens?.map((t) => t.asset_id).find((id) => !used.has(id));
  return fresh(await poll("the Shawty token", () => call("GET", `/shawty/${fanWallet}/tokens`, undefined, fanToken), fresh));
}
const used = new Set();
const token = await buyShawty(0);
used.add(token);
step(`fan bought Shawty ASA ${token} with a signed PURCHASE:SHAWTY group`);

const cart = (tokenId, quantity) => ({ fanWallet, items: [{ productId, quantity }], shawtyAssetIds: [tokenId] });
const quote = await call("POST", `/creator/${creatorWallet}/store/quote`, cart(token, 2), fanToken);
assert.equal(quote.status, 200, JSON.stringify(quote.body));
assert.deepEqual([quote.body.subtotal_algo, quote.body.discount_algo, quote.body.total_algo], [6, 0.6, 5.4]);
step(`quote: subtotal ${quote.body.subtotal_algo}, discount ${quote.body.discount_algo}, total ${quote.body.total_algo} ALGO`);

const placed = await call("POST", `/creator/${creatorWallet}/store/order`, cart(token, 2), fanToken);
assert.equal(placed.status, 200, JSON.stringify(placed.body));
const order = placed.body.data.order;
assert.equal(order.status, "PENDING_PAYMENT");
const signed = placed.body.data.payment.unsigned_txns
  .map((b64) => algosdk.decodeUnsignedTransaction(Buffer.from(b64, "base64")))
  .map((txn) => Buffer.from(txn.signTxn(fan.sk)).toString("base64"));
const paid = await call("POST", "/submit-group", { signed_txns: signed });
assert.equal(paid.status, 200, JSON.stringify(paid.body));
const afterChain = await poll("the chain payment", () => call("GET", `/fan/${fanWallet}/orders`, undefined, fanToken), (r) => r.body?.data?.[0]?.status === "PAID");
const burned = await call("GET", `/shawty/${fanWallet}/validate/${token}`);
assert.equal(burned.body.is_burned, true);
const stock1 = (await call("GET", `/creator/${creatorWallet}/store`)).body.data.find((p) => p.id === productId).stock_quantity;
assert.equal(stock1, 8);
step(`order ${order.id} paid with the signed ${placed.body.data.payment.memo} group → ${afterChain.body.data[0].status}, token burned, stock 10 → ${stock1}`);

const token2 = await buyShawty(1);
used.add(token2);
const cardOrder = (await call("POST", `/creator/${creatorWallet}/store/order`, cart(token2, 1), fanToken)).body.data.order;
const checkout = await call("POST", "/payments/checkout", { order_id: cardOrder.id }, fanToken);
assert.equal(checkout.status, 200, JSON.stringify(checkout.body));
const session = sessions.get(checkout.body.session_id);
assert.equal(session.metadata.order_id, String(cardOrder.id));
assert.equal(session.idempotencyKey, `order-${cardOrder.id}-checkout`);
step(`card checkout for order ${cardOrder.id}: session ${session.id}, ${session.amount_total} ${session.currency} minor units, ${checkout.body.url}`);

const now = Math.floor(Date.now() / 1000);
const event = JSON.stringify({
  id: `evt_e2e_${cardOrder.id}`, object: "event", api_version: "2026-10-28.endive", created: now, livemode: false, pending_webhooks: 1,
  request: { id: null, idempotency_key: null }, type: "checkout.session.completed",
  data: { object: { ...session, idempotencyKey: undefined, payment_intent: `pi_e2e_${cardOrder.id}`, payment_status: "paid", status: "complete" } },
});
const signature = createHmac("sha256", webhookSecret).update(`${now}.${event}`).digest("hex");
const webhook = await fetch(new URL("/payments/webhook", process.argv[2] ?? process.env.FANFORGE_URL ?? "http://localhost:8000"), {
  method: "POST", headers: { "Content-Type": "application/json", "Stripe-Signature": `t=${now},v1=${signature}` }, body: event,
});
assert.equal(webhook.status, 200, await webhook.text());
const afterCard = await poll("the card payment", () => call("GET", `/fan/${fanWallet}/orders`, undefined, fanToken),
  (r) => r.body?.data?.find((o) => o.id === cardOrder.id)?.status === "PAID");
assert.equal((await call("GET", `/shawty/${fanWallet}/validate/${token2}`)).body.is_burned, true);
const stock2 = (await call("GET", `/creator/${creatorWallet}/store`)).body.data.find((p) => p.id === productId).stock_quantity;
assert.equal(stock2, 7);
const tampered = await fetch(new URL("/payments/webhook", process.argv[2] ?? "http://localhost:8000"), {
  method: "POST", headers: { "Content-Type": "application/json", "Stripe-Signature": `t=${now},v1=${"0".repeat(64)}` }, body: event,
});
assert.equal(tampered.status, 401);
step(`signed checkout.session.completed → order ${cardOrder.id} ${afterCard.body.data.find((o) => o.id === cardOrder.id).status}, token burned, stock → ${stock2}; a bad signature is 401`);

stripe.close();
done(fanWallet);
