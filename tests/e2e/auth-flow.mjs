// Wallet login against a running FanForge API exactly as the React frontend does it:
// POST /auth/challenge, algosdk.signBytes(utf8(nonce)) (= Ed25519 over "MX" + nonce), POST /auth/verify,
// then the additions: refresh rotation, creator registration with the token already held, logout.
// Usage: (cd tests/e2e && npm ci && node auth-flow.mjs [baseUrl])   default baseUrl http://localhost:8000
import algosdk from "algosdk";
import assert from "node:assert/strict";
import { call, login, reporter, sign } from "./lib.mjs";

const fan = algosdk.generateAccount();
const wallet = fan.addr.toString();
const { step, done } = reporter();

// 1. Login with signBytes.
const { challenge, tokens } = await login(fan);
assert.equal(tokens.walletAddress, wallet);
assert.equal(tokens.role, "fan");
assert.equal(tokens.tokenType, "Bearer");
step("challenge + signBytes + verify issues a fan token");

// 2. The same nonce again is refused (single use), and so is another wallet's signature.
const replay = await call("POST", "/auth/verify", { walletAddress: wallet, nonce: challenge.nonce, signature: sign(challenge.nonce, fan) });
assert.equal(replay.status, 400);
assert.equal(replay.body.error.code, "invalid_nonce");
const intruder = algosdk.generateAccount();
const second = await call("POST", "/auth/challenge", { walletAddress: wallet });
const forged = await call("POST", "/auth/verify", { walletAddress: wallet, nonce: second.body.nonce, signature: sign(second.body.nonce, intruder) });
assert.equal(forged.status, 401);
assert.equal(forged.body.error.code, "invalid_signature");
step("replayed nonce → 400 invalid_nonce; another key's signature → 401 invalid_signature");

// 3. Refresh rotates.
const refreshed = await call("POST", "/auth/refresh", { refreshToken: tokens.refreshToken });
assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
assert.notEqual(refreshed.body.refreshToken, tokens.refreshToken);
step("refresh rotates the refresh token");

// 4. Register as a creator with the token already held (the frontend does not log in again).
const register = await call("POST", "/creator/register", { wallet_address: wallet, min_tip_algo: 0.5 }, refreshed.body.accessToken);
assert.equal(register.status, 200, JSON.stringify(register.body));
assert.equal(register.body.walletAddress, wallet);
const relogin = await login(fan);
assert.equal(relogin.tokens.role, "creator");
step("register as creator; the next login carries role creator");

// 5. Logout ends the session: its access token stops working at once.
const logout = await call("POST", "/auth/logout", undefined, relogin.tokens.accessToken);
assert.equal(logout.status, 200);
const afterLogout = await call("POST", "/creator/register", { wallet_address: wallet, min_tip_algo: 0.5 }, relogin.tokens.accessToken);
assert.equal(afterLogout.status, 401);
step("logout revokes the access token");

done(wallet);
