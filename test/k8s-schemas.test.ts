// `frank k8s` no longer carries the Kubernetes schemas at run time: it checks its options as the
// API server checks names, and here every shape of output it can write is validated against
// the schemas (kubernetes-models, a test-time dependency).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ManifestOptionError, type ManifestOptions, generateManifests } from "../src/k8s/index.js";
import { validateAgainstSchema } from "./support/kubernetes-schemas.js";

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const char = (alphabet: string) => fc.constantFrom(...alphabet.split(""));
/** An RFC 1035 label: a letter, then letters, digits and "-", ending in a letter or digit. */
const label = fc
  .tuple(
    char(LOWER),
    fc.string({ unit: char(`${LOWER}0123456789-`), maxLength: 61 }),
    fc.option(char(`${LOWER}0123456789`)),
  )
  .map(([first, middle, last]) => (last === null ? first : `${first}${middle}${last}`));
const subdomain = fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => labels.join(".").slice(0, 253));
/** Anything at all, to find an input frank accepts and the schemas refuse. */
const anything = fc.string({ maxLength: 70 });

const wellFormed: fc.Arbitrary<ManifestOptions> = fc.record(
  {
    name: label,
    image: fc.constantFrom(
      "registry.example/shop:1.0",
      "shop",
      "registry.example:5000/team/shop@sha256:" + "a".repeat(64),
    ),
    replicas: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    port: fc.integer({ min: 1024, max: 65535 }),
    namespace: label,
    ingressHost: fc.oneof(
      subdomain,
      subdomain.map((host) => `*.${host}`),
    ),
    ingressClass: subdomain,
    tlsSecret: subdomain,
    pdb: fc.boolean(),
    hpa: fc.boolean(),
  },
  { requiredKeys: ["name", "image"] },
);

/** Well-formed options with one of them replaced by anything at all (a string, or any integer). */
const options: fc.Arbitrary<ManifestOptions> = fc
  .tuple(
    wellFormed,
    fc.constantFrom("name", "image", "replicas", "port", "namespace", "ingressHost", "ingressClass", "tlsSecret"),
    anything,
    fc.integer(),
    fc.boolean(),
  )
  .map(([input, field, text, number, replace]) =>
    replace ? { ...input, [field]: field === "replicas" || field === "port" ? number : text } : input,
  );

describe("frank k8s and the Kubernetes schemas", () => {
  test("every option set frank accepts gives objects that pass the schemas; the others are refused with a reason", () => {
    let accepted = 0;
    fc.assert(
      fc.property(options, (input) => {
        let objects: ReturnType<typeof generateManifests>;
        try {
          objects = generateManifests(input);
        } catch (error) {
          assert.ok(error instanceof ManifestOptionError, String(error));
          return;
        }
        accepted++;
        for (const object of objects) validateAgainstSchema(object);
      }),
      { numRuns: 2000 },
    );
    assert.ok(accepted > 200, `only ${accepted} option sets were accepted: the generators say too little`);
  });

  // The API server's rules (apimachinery validation) that the schemas cannot express.
  for (const [field, value, why] of [
    ["name", "1shop", "a Service name must start with a letter (RFC 1035)"],
    ["name", "a".repeat(64), "a name is at most 63 characters"],
    ["name", "Shop", "names are lower case"],
    ["namespace", "n".repeat(64), "a namespace is at most 63 characters"],
    ["namespace", "store.eu", "a namespace is a label, without dots"],
    ["ingressHost", "198.18.0.1", "an Ingress host may not be an IP address"],
    ["ingressHost", "shop.example:443", "an Ingress host carries no port"],
    ["ingressHost", "shop_example", "an Ingress host is a DNS subdomain"],
    ["ingressClass", "Nginx", "an IngressClass name is a DNS subdomain"],
    ["tlsSecret", "tls secret", "a Secret name is a DNS subdomain"],
  ] as const) {
    test(`refuses ${field} ${JSON.stringify(value.length > 20 ? `${value.slice(0, 8)}…` : value)}: ${why}`, () => {
      const input: ManifestOptions = { name: "shop", image: "registry.example/shop:1.0", ingressHost: "shop.example" };
      assert.throws(() => generateManifests({ ...input, [field]: value }), ManifestOptionError);
    });
  }

  test("accepts what the API server accepts at the edges", () => {
    const objects = generateManifests({
      name: `s${"a".repeat(62)}`,
      image: "registry.example/shop:1.0",
      namespace: "0store",
      ingressHost: "*.shop.example",
      ingressClass: "ingress.example.com",
      tlsSecret: "shop-tls.v2",
      pdb: true,
      hpa: true,
    });
    for (const object of objects) validateAgainstSchema(object);
  });
});
