// Shared helpers: call the API and log in exactly as the React frontend does.
import algosdk from "algosdk";
import assert from "node:assert/strict";

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
