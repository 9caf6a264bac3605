/**
 * What every benchmark target serves, so that all of them answer the same requests.
 * Each target file imports only this module and its own framework.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const HELLO = "Hello, World!";
export const JSON_PAYLOAD = { message: "Hello, World!" };

/** Port and host the runner passes to every target. */
export const PORT = Number(process.env.PORT ?? 3000);
export const HOST = "127.0.0.1";

/**
 * The folder whose `static/` subfolder holds the fixture files (`small.txt`, `big.bin`).
 * The runner writes it; targets only read it.
 */
export const PUBLIC_DIR =
  process.env.BENCH_PUBLIC ?? resolve(fileURLToPath(new URL(".", import.meta.url)), "../../.bench/public");
export const STATIC_DIR = resolve(PUBLIC_DIR, "static");

/**
 * Fifty parameter routes around `/user/:id` (25 registered before it, 25 after),
 * so routers that walk their table in order pay for it as they would in a real app.
 */
const resources = [
  "account",
  "address",
  "article",
  "basket",
  "billing",
  "book",
  "campaign",
  "category",
  "channel",
  "comment",
  "company",
  "contract",
  "coupon",
  "device",
  "document",
  "event",
  "feature",
  "file",
  "group",
  "invoice",
  "job",
  "label",
  "member",
  "message",
  "note",
];
export const ROUTES_BEFORE_USER = resources.map((r) => `/${r}/:id`);
export const ROUTES_AFTER_USER = resources.map((r) => `/${r}/:id/history/:entry`);

/** The body of every one of the 50 other routes: never requested, but registered. */
export function otherRouteBody(pattern: string): string {
  return `route ${pattern}`;
}
