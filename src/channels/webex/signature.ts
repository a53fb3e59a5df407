import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * `X-Spark-Signature`: lower-case hex HMAC-SHA1 of the raw request body with the webhook secret.
 * Checked over the bytes as received (never a re-serialization), in constant time.
 */
export function validWebexSignature(
  raw: Buffer | string,
  header: unknown,
  secret: string,
): boolean {
  if (typeof header !== "string" || !/^[0-9a-f]{40}$/i.test(header)) return false;
  const expected = createHmac("sha1", secret).update(raw).digest();
  const given = Buffer.from(header, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
