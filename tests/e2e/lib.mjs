// Shared helpers: call the API and log in exactly as the React frontend does.
import algosdk from "algosdk";
import assert from "node:assert/strict";
import WebSocket from "ws";

export const baseUrl = process.argv[2] ?? process.env.FANFORGE_URL ?? "http://localhost:8000";

export async function call(method, path, body, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** What the frontend's signBytes helper sends: base64 of the 64-byte signature over "MX" + nonce. */
export function sign(nonce, account) {
  return Buffer.from(algosdk.signBytes(new TextEncoder().encode(nonce), account.sk)).toString("base64");
}

export async function login(account) {
  const wallet = account.addr.toString();
  const challenge = await call("POST", "/auth/challenge", { walletAddress: wallet });
  assert.equal(challenge.status, 200, JSON.stringify(challenge.body));
  const verify = await call("POST", "/auth/verify", { walletAddress: wallet, nonce: challenge.body.nonce, signature: sign(challenge.body.nonce, account) });
  assert.equal(verify.status, 200, JSON.stringify(verify.body));
  return { challenge: challenge.body, tokens: verify.body };
}

export function reporter() {
  const steps = [];
  return {
    step(name) { steps.push(name); console.log(`ok - ${name}`); },
    done(who) { console.log(`\n${steps.length} steps passed against ${baseUrl}${who ? ` as ${who}` : ""}`); },
  };
}

/** The creator registers (the platform deploys its TipProxy) and the tip page reads the contract publicly. */
export async function registerCreator(account) {
  const wallet = account.addr.toString();
  const { tokens } = await login(account);
  const register = await call("POST", "/creator/register", { wallet_address: wallet, min_tip_algo: 0.5 }, tokens.accessToken);
  assert.equal(register.status, 200, JSON.stringify(register.body));
  const contract = await call("GET", `/creator/${wallet}/contract`);
  assert.equal(contract.status, 200, JSON.stringify(contract.body));
  return { appId: contract.body.app_id ?? contract.body.appId, appAddress: contract.body.app_address ?? contract.body.appAddress };
}

/** The live feed on one channel; waitFor resolves with the first event matching a predicate. */
export async function liveFeed(channel) {
  const socket = new WebSocket(baseUrl.replace(/^http/, "ws") + "/ws");
  const events = [];
  const waiters = [];
  socket.on("message", (data) => {
    events.push(JSON.parse(data.toString()));
    waiters.splice(0).forEach((wake) => wake());
  });
  await new Promise((resolve, reject) => { socket.once("open", resolve); socket.once("error", reject); });
  socket.send(JSON.stringify({ type: "subscribe", channel }));
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
  return { waitFor, close: () => socket.close() };
}

// TestNet's suggested params, as the page takes them straight from TestNet algod.
const suggestedParams = {
  fee: 0, minFee: 1000, flatFee: false,
  firstValid: 50_000_000, lastValid: 50_001_000,
  genesisID: "testnet-v1.0",
  genesisHash: Buffer.from("SGO1GKSzyE7IEPItTxCByw9x8FmnrCDexi9/cOUJOiI=", "base64"),
};

/**
 * The Tip page's group, signed by the fan: [pay → app address, NoOp app call ("tip", memo?) with a flat fee of 3000].
 * `n` shifts the validity window so equal payments are distinct transactions.
 */
export function tipGroup(fan, app, amountMicroAlgo, memo, n) {
  const sender = fan.addr.toString();
  const params = { ...suggestedParams, firstValid: suggestedParams.firstValid + n };
  const pay = algosdk.makePaymentTxnWithSuggestedParamsFromObject({ sender, receiver: app.appAddress, amount: amountMicroAlgo, suggestedParams: params });
  const appArgs = [new TextEncoder().encode("tip"), ...(memo ? [new TextEncoder().encode(memo)] : [])];
  const appCall = algosdk.makeApplicationNoOpTxnFromObject({ sender, appIndex: app.appId, appArgs, suggestedParams: { ...params, flatFee: true, fee: 3000 } });
  algosdk.assignGroupID([pay, appCall]);
  return { pay, appCall, signed: [pay.signTxn(fan.sk), appCall.signTxn(fan.sk)].map((b) => Buffer.from(b).toString("base64")) };
}
