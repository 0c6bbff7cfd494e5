// The template-to-badge path end to end, all through HTTP as the frontend does it: a creator registers, uploads a sticker
// template for its Butki badges (CreatorHub's multipart form), receives five tips (the Tip page's signed group), and the
// fan opts in to the badge (the unsigned transaction from /nft/optin, signed with algosdk, posted to /submit) and
// claims it; the delivered badge carries the template's name and image, and the image is served by its IPFS URL.
// Usage: (cd tests/e2e && npm ci && node template-badge-flow.mjs [baseUrl])   default baseUrl http://localhost:8000
import algosdk from "algosdk";
import assert from "node:assert/strict";
import { baseUrl, call, login, registerCreator, reporter, tipGroup } from "./lib.mjs";

const { step, done } = reporter();
const creator = algosdk.generateAccount();
const fan = algosdk.generateAccount();
const creatorWallet = creator.addr.toString();
const fanWallet = fan.addr.toString();

const app = await registerCreator(creator);
step(`creator registered; TipProxy app ${app.appId}`);

// CreatorHub's createTemplate: FormData with name, category, sticker_type, tip_threshold and the image file.
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(crypto.getRandomValues(new Uint8Array(2048)))]);
const form = new FormData();
form.append("name", "Night Owl Badge");
form.append("category", "butki_badge");
form.append("sticker_type", "soulbound");
form.append("tip_threshold", "1");
form.append("image", new Blob([png], { type: "image/png" }), "owl.png");
const creatorToken = (await login(creator)).tokens.accessToken;
const uploaded = await fetch(`${baseUrl}/creator/${creatorWallet}/sticker-template`, { method: "POST", headers: { Authorization: `Bearer ${creatorToken}` }, body: form });
const template = await uploaded.json();
assert.equal(uploaded.status, 200, JSON.stringify(template));
assert.equal(template.stickerType, "soulbound");
assert.equal(template.mint_count, 0);
step(`template ${template.id} uploaded; image pinned as ${template.ipfsHash}`);

const image = await fetch(template.imageUrl.replace(/^http:\/\/localhost:8000/, baseUrl));
assert.equal(image.status, 200);
assert.deepEqual(Buffer.from(await image.arrayBuffer()), png);
step(`the image is served at its IPFS URL (${image.headers.get("content-type")})`);

const templates = await call("GET", `/creator/${creatorWallet}/templates`, undefined, creatorToken);
assert.equal(templates.status, 200);
assert.equal(templates.body.templates.length, 1);
step("GET /templates lists it");

for (let n = 0; n < 5; n++) {
  const submitted = await call("POST", "/submit-group", { signed_txns: tipGroup(fan, app, 1_000_000, "", n).signed });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
}
step("five tips submitted");

const fanToken = (await login(fan)).tokens.accessToken;
let pending;
for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
  pending = await call("GET", `/fan/${fanWallet}/pending`, undefined, fanToken);
  if (pending.body?.data?.pending?.length === 1) break;
}
const badge = pending.body.data.pending[0];
assert.ok(badge, `no pending badge: ${JSON.stringify(pending.body)}`);
assert.equal(badge.templateName, "Night Owl Badge");
assert.equal(badge.imageUrl, template.imageUrl);
step(`Butki badge ASA ${badge.asset_id} minted from the template, pending the fan's opt-in`);

const early = await call("POST", `/fan/${fanWallet}/claim/${badge.id}`, undefined, fanToken);
assert.equal(early.status, 400);
assert.equal(early.body.error.code, "not_opted_in");
step("a claim before the opt-in is refused (400 not_opted_in)");

const optIn = await call("POST", "/nft/optin", { assetId: badge.asset_id, fanWallet }, fanToken);
assert.equal(optIn.status, 200, JSON.stringify(optIn.body));
const unsigned = algosdk.decodeUnsignedTransaction(Buffer.from(optIn.body.unsignedTxn, "base64"));
const signedOptIn = Buffer.from(unsigned.signTxn(fan.sk)).toString("base64");
const submittedOptIn = await call("POST", "/submit", { signed_txn: signedOptIn });
assert.equal(submittedOptIn.status, 200, JSON.stringify(submittedOptIn.body));
step("the fan signed the returned opt-in with algosdk and submitted it");

const claimed = await call("POST", `/fan/${fanWallet}/claim/${badge.id}`, undefined, fanToken);
assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
assert.equal(claimed.body.status, "delivered");
const again = await call("POST", `/fan/${fanWallet}/claim/${badge.id}`, undefined, fanToken);
assert.equal(again.body.txId, claimed.body.txId);
step(`claimed: delivered by ${claimed.body.txId}; a repeated claim returns the same transfer`);

const inventory = await call("GET", `/fan/${fanWallet}/inventory`, undefined, fanToken);
const owned = inventory.body.data.find((n) => n.asset_id === badge.asset_id);
assert.equal(owned.deliveryStatus, "delivered");
assert.equal(owned.image_url, template.imageUrl);
const used = await call("GET", `/creator/${creatorWallet}/templates`, undefined, creatorToken);
assert.equal(used.body.templates[0].mint_count, 1);
const refused = await call("DELETE", `/creator/${creatorWallet}/template/${template.id}`, undefined, creatorToken);
assert.equal(refused.status, 409);
step("inventory shows the delivered badge with the template's image; the used template cannot be deleted (409)");

done();
