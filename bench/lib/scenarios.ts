/** The scenarios: what wrk requests and what a correct answer looks like. */
import { fileURLToPath } from "node:url";
import { HELLO, JSON_PAYLOAD } from "../targets/shared.js";

export type ScenarioName =
  | "hello"
  | "json"
  | "user"
  | "post-json"
  | "post-valid"
  | "static-small"
  | "static-big"
  | "missing";

export interface Scenario {
  name: ScenarioName;
  path: string;
  /** wrk Lua script, for requests other than a plain GET. */
  script?: string;
  /** What is wrong with an answer to this scenario's request, if anything. */
  check(answer: { status: number; body: Buffer }): string | undefined;
}

export const SMALL_FILE_BYTES = 1024;
export const BIG_FILE_BYTES = 256 * 1024;

const expectStatus = (want: number, answer: { status: number }) =>
  answer.status === want ? undefined : `status ${answer.status}, expected ${want}`;

const expectText = (want: string) => (answer: { status: number; body: Buffer }) =>
  expectStatus(200, answer) ??
  (answer.body.toString() === want ? undefined : `body ${JSON.stringify(answer.body.toString().slice(0, 80))}`);

const expectBytes = (want: number) => (answer: { status: number; body: Buffer }) =>
  expectStatus(200, answer) ??
  (answer.body.length === want ? undefined : `${answer.body.length} bytes, expected ${want}`);

const expectJson = (want: unknown) => (answer: { status: number; body: Buffer }) => {
  const wrong = expectStatus(200, answer);
  if (wrong) return wrong;
  try {
    return JSON.stringify(JSON.parse(answer.body.toString())) === JSON.stringify(want) ? undefined : "JSON differs";
  } catch {
    return "not JSON";
  }
};

/** The JSON document posted for `post-json` checks; wrk posts its own 1 KiB one (wrk/post-json.lua). */
export const POST_CHECK_BODY = {
  order: "check",
  items: [{ id: 1, name: "item 1", price: 3.5, tags: ["a", "b"] }],
  note: "x".repeat(900),
};

export const SCENARIOS: Scenario[] = [
  { name: "hello", path: "/hello", check: expectText(HELLO) },
  { name: "json", path: "/json", check: expectJson(JSON_PAYLOAD) },
  { name: "user", path: "/user/4242", check: expectText("User 4242") },
  {
    name: "post-json",
    path: "/echo",
    script: fileURLToPath(new URL("../wrk/post-json.lua", import.meta.url)),
    check: expectJson(POST_CHECK_BODY),
  },
  {
    // A route with a validated JSON body: each target checks the order with its own validator.
    name: "post-valid",
    path: "/orders",
    script: fileURLToPath(new URL("../wrk/post-order.lua", import.meta.url)),
    check: expectJson({ order: "check", items: 1 }),
  },
  { name: "static-small", path: "/static/small.txt", check: expectBytes(SMALL_FILE_BYTES) },
  { name: "static-big", path: "/static/big.bin", check: expectBytes(BIG_FILE_BYTES) },
  { name: "missing", path: "/no/such/page/anywhere", check: (answer) => expectStatus(404, answer) },
];

export const STATIC_SCENARIOS: ScenarioName[] = ["static-small", "static-big"];
