import { createHash, randomInt } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// 43 characters of base62 carry 43·log2(62) ≈ 256 bits: at least 32 random bytes.
const SECRET_LENGTH = 43;
const PREFIX = "pdg_";

/** `pdg_` then 43 base62 characters; anything else is refused before the database is asked. */
export const API_TOKEN_PATTERN = /^pdg_[0-9A-Za-z]{43}$/;

/** A new token secret. The prefix lets secret scanners and people recognize it. */
export function generateApiTokenSecret(): string {
  let secret = PREFIX;
  // randomInt draws each character uniformly (it rejects biased samples itself).
  for (let index = 0; index < SECRET_LENGTH; index += 1) secret += ALPHABET[randomInt(ALPHABET.length)];
  return secret;
}

export function isWellFormedApiToken(value: string): boolean {
  return API_TOKEN_PATTERN.test(value);
}

/** What the database stores instead of the secret: its SHA-256, hex. */
export function hashApiTokenSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
