import { createHash, randomBytes } from "node:crypto";

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Random 7-char lowercase alphanumerics, the shape of real AppConfig IDs. */
export function newId(): string {
  const bytes = randomBytes(7);
  let out = "";
  for (const b of bytes) out += ID_ALPHABET[b % ID_ALPHABET.length];
  return out;
}

/** The same shape, derived from a name: predefined strategies have one ID everywhere. */
export function stableId(name: string): string {
  const digest = createHash("sha256").update(name).digest();
  let out = "";
  for (let i = 0; i < 7; i++) out += ID_ALPHABET[digest[i] % ID_ALPHABET.length];
  return out;
}
