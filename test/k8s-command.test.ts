// `frank k8s` writes objects that pass the Kubernetes schemas, that `frank doctor -f` finds
// nothing wrong with, and whose environment makes frank's own resolution listen where the
// Service sends traffic.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { run as doctor } from "../src/cli/doctor-command.js";
import { run as k8s } from "../src/cli/k8s-command.js";
import { type JsonObject, isObject } from "../src/k8s/json-access.js";
import { MINIMUM_GRACE_PERIOD_SECONDS, generateManifests } from "../src/k8s/index.js";
import { resolveServerConfig } from "../src/server/config.js";
import { commandIo } from "./support/command-io.js";
import { SchemaValidationError, validateAgainstSchema } from "./support/kubernetes-schemas.js";

async function k8sOutput(args: string[]) {
  const captured = commandIo();
  const code = await k8s(args, captured.io);
  return { code, stdout: captured.out(), stderr: captured.err() };
}

function documents(yamlText: string): JsonObject[] {
  return parseAllDocuments(yamlText)
    .map((document) => document.toJS() as unknown)
    .filter(isObject);
}

const ALL_FLAGS = [
  "--name",
  "shop",
  "--image",
  "registry.example/shop:1.0",
  "--replicas",
  "3",
  "--namespace",
  "store",
  "--ingress-host",
  "shop.example",
  "--ingress-class",
  "nginx",
  "--tls-secret",
  "shop-tls",
  "--pdb",
  "--hpa",
];

describe("frank k8s", () => {
  const workspace = mkdtempSync(join(tmpdir(), "frank-k8s-"));
  after(() => rmSync(workspace, { recursive: true, force: true }));

  test("prints Deployment, Service, Ingress, PDB and HPA that pass the Kubernetes schemas", async () => {
    const result = await k8sOutput(ALL_FLAGS);
    assert.equal(result.code, 0, result.stderr);
    const objects = documents(result.stdout);
    assert.deepEqual(
      objects.map((object) => object.kind),
      ["Deployment", "Service", "Ingress", "PodDisruptionBudget", "HorizontalPodAutoscaler"],
    );
    for (const object of objects) validateAgainstSchema(object);
  });

  test("the schema check rejects what Kubernetes would reject", () => {
    const [deployment] = generateManifests({ name: "shop", image: "registry.example/shop:1.0" });
    const spec = (deployment!.spec as JsonObject).template as JsonObject;
    const container = ((spec.spec as JsonObject).containers as JsonObject[])[0]!;
    (container.ports as JsonObject[])[0]!.containerPort = "8080";
    assert.throws(
      () => validateAgainstSchema(deployment!),
      (error: unknown) => {
        assert.ok(error instanceof SchemaValidationError);
        assert.match(error.message, /containerPort must be integer/);
        return true;
      },
    );
  });

  test("the ports, probes, environment and grace period agree with the launcher", async () => {
    const [deployment, service, ingress] = documents((await k8sOutput(ALL_FLAGS)).stdout) as any[];
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    assert.deepEqual(container.ports, [{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    assert.equal(service.spec.ports[0].targetPort, "http");
    assert.deepEqual(ingress.spec.rules[0].http.paths[0].backend.service, { name: "shop", port: { name: "http" } });
    assert.deepEqual(
      [container.readinessProbe.httpGet, container.livenessProbe.httpGet],
      [
        { path: "/readyz", port: "http" },
        { path: "/livez", port: "http" },
      ],
    );
    assert.ok(pod.terminationGracePeriodSeconds > MINIMUM_GRACE_PERIOD_SECONDS);
    // Prometheus' pod discovery scrapes frank's /metrics on the container port.
    assert.deepEqual(deployment.spec.template.metadata.annotations, {
      "prometheus.io/scrape": "true",
      "prometheus.io/port": String(container.ports[0].containerPort),
      "prometheus.io/path": "/metrics",
    });
    assert.equal(pod.enableServiceLinks, false);
    assert.deepEqual(container.securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    assert.ok(container.resources.requests.cpu && container.resources.limits.memory);
    assert.equal(deployment.spec.replicas, undefined, "with --hpa the autoscaler owns the replica count");

    // What frank itself makes of this environment inside the pod.
    const env = Object.fromEntries(
      container.env.map((variable: { name: string; value: string }) => [variable.name, variable.value]),
    );
    const config = resolveServerConfig({
      env: { ...env, KUBERNETES_SERVICE_HOST: "198.18.255.1" },
      probe: { hasIPv6: () => true, fileExists: () => false, readFile: () => undefined },
    });
    assert.equal(config.port.value, container.ports[0].containerPort);
    assert.equal(config.host.kind, "all");
    assert.equal(config.environment.value, "production");
    assert.deepEqual(config.warnings, []);
  });

  test("-o writes one file per object and a Dockerfile; frank doctor -f finds nothing in them", async () => {
    const directory = join(workspace, "deploy");
    const result = await k8sOutput([...ALL_FLAGS, "app.ts", "-o", directory]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readdirSync(directory).sort(), [
      "Dockerfile",
      "Dockerfile.dockerignore",
      "deployment.yaml",
      "hpa.yaml",
      "ingress.yaml",
      "pdb.yaml",
      "service.yaml",
    ]);
    const checked = commandIo();
    assert.equal(await doctor(["-f", directory], checked.io), 0, checked.out());
    assert.match(checked.out(), /^No Bad-Gateway causes found in 5 objects\.$/m);

    const again = await k8sOutput([...ALL_FLAGS, "-o", directory]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exist; pass --force/);
    assert.equal((await k8sOutput([...ALL_FLAGS, "-o", directory, "--force"])).code, 0);
  });

  test("the Dockerfile is multi-stage, runs as a numeric non-root user, and starts frank in exec form", async () => {
    const result = await k8sOutput([
      "--name",
      "shop",
      "--image",
      "registry.example/shop:1.0",
      "--port",
      "9000",
      "--dockerfile",
      "server.ts",
    ]);
    assert.equal(result.code, 0);
    const dockerfile = result.stdout;
    assert.equal(dockerfile.match(/^FROM /gm)?.length, 2);
    assert.match(dockerfile, /^COPY --from=build /m);
    assert.match(dockerfile, /^USER 1000:1000$/m);
    assert.match(dockerfile, /^ENV APP_ENV=production PORT=9000$/m);
    assert.match(dockerfile, /^ENTRYPOINT \["node", "node_modules\/frank\/bin\/frank\.js"\]$/m);
    assert.match(dockerfile, /^CMD \["server\.ts"\]$/m);
    assert.doesNotMatch(dockerfile, /^(ENTRYPOINT|CMD) [^[]/m, "no shell form: SIGTERM must reach frank");
    // The TypeScript app is bundled once in the build stage, before the dev dependencies go.
    assert.match(
      dockerfile,
      /^RUN npm run build --if-present && npx frank build "server\.ts" && npm prune --omit=dev$/m,
    );
  });

  test("a JavaScript app needs no frank build in its image", async () => {
    const result = await k8sOutput([
      "--name",
      "shop",
      "--image",
      "registry.example/shop:1.0",
      "--dockerfile",
      "server.js",
    ]);
    assert.equal(result.code, 0);
    assert.doesNotMatch(result.stdout, /frank build/);
    assert.match(result.stdout, /^RUN npm run build --if-present && npm prune --omit=dev$/m);
  });

  test("the generated manifests use the port given with --port everywhere it appears", async () => {
    const [deployment] = documents(
      (await k8sOutput(["--name", "api", "--image", "registry.example/api:2", "--port", "9000"])).stdout,
    ) as any[];
    const [container] = deployment.spec.template.spec.containers;
    assert.equal(container.ports[0].containerPort, 9000);
    assert.deepEqual(container.env, [
      { name: "APP_ENV", value: "production" },
      { name: "PORT", value: "9000" },
    ]);
    assert.equal(deployment.spec.replicas, 2);
  });

  for (const [args, pattern] of [
    [["--name", "shop"], /--name and --image are required/],
    [["--name", "shop", "--image", "x:1", "--replicas", "two"], /--replicas "two" is not a whole number/],
    [["--name", "shop", "--image", "x:1", "--colour", "red"], /Unknown option '--colour'/],
  ] as const) {
    test(`refuses ${args.join(" ")} with exit status 2 and the usage`, async () => {
      const result = await k8sOutput([...args]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, pattern);
      assert.match(result.stderr, /Usage: frank k8s/);
      assert.equal(result.stdout, "");
    });
  }

  // Each value is checked as the API server checks the field it is written to, before anything
  // is written: one line naming the flag, the value and the rule, and exit status 2.
  const seventy = "a".repeat(70);
  for (const [flag, value, pattern] of [
    ["--name", "Shop_1", /must be a DNS label that starts with a letter/],
    ["--name", "1shop", /must be a DNS label that starts with a letter/],
    ["--name", seventy, /is 70 characters long; at most 63 are allowed/],
    ["--namespace", "a b", /must be a DNS label:/],
    ["--namespace", "Shop", /must be a DNS label:/],
    ["--namespace", seventy, /is 70 characters long; at most 63 are allowed/],
    ["--ingress-host", "a b", /must be a DNS name:/],
    ["--ingress-host", "evil.com/x", /must be a DNS name:/],
    ["--ingress-host", `${seventy}.example`, /has a part of 70 characters/],
    ["--ingress-host", "198.18.0.1", /not an IP address/],
    ["--ingress-host", "Shop.Example", /must be a DNS name:/],
    ["--ingress-class", "nginx class", /must be a DNS name:/],
    ["--ingress-class", "nginx-", /must be a DNS name:/],
    ["--tls-secret", "shop_tls", /must be a DNS name:/],
    ["--tls-secret", `${"a".repeat(250)}.tls`, /at most 253 are allowed/],
  ] as const) {
    test(`refuses ${flag} ${value.length > 20 ? `${value.slice(0, 12)}… (${value.length} characters)` : JSON.stringify(value)} in one line with exit status 2`, async () => {
      const needsHost = flag === "--tls-secret" ? ["--ingress-host", "shop.example"] : [];
      const args =
        flag === "--name"
          ? ["--image", "x:1", flag, value]
          : ["--name", "shop", "--image", "x:1", ...needsHost, flag, value];
      const checked = await k8sOutput(args);
      assert.equal(checked.code, 2);
      assert.equal(checked.stdout, "");
      assert.equal(checked.stderr.split("\n").length, 2, checked.stderr); // one line and its newline
      assert.ok(checked.stderr.startsWith(`frank k8s: ${flag} ${JSON.stringify(value)} `), checked.stderr);
      assert.match(checked.stderr, pattern);
    });
  }

  test("values the API server accepts are written as given", async () => {
    const [, , ingress] = documents(
      (
        await k8sOutput([
          "--name",
          "shop",
          "--image",
          "x:1",
          "--namespace",
          "shop-prod",
          "--ingress-host",
          "*.shop.example",
          "--ingress-class",
          "nginx.example.com",
          "--tls-secret",
          "shop.example-tls",
        ])
      ).stdout,
    ) as any[];
    assert.equal(ingress.metadata.namespace, "shop-prod");
    assert.equal(ingress.spec.rules[0].host, "*.shop.example");
    assert.equal(ingress.spec.ingressClassName, "nginx.example.com");
    assert.equal(ingress.spec.tls[0].secretName, "shop.example-tls");
  });

  test("--tls-secret without --ingress-host is refused in one line", async () => {
    const result = await k8sOutput(["--name", "shop", "--image", "x:1", "--tls-secret", "tls"]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, "frank k8s: --tls-secret needs --ingress-host: the certificate is for a host name\n");
  });

  test("--help prints the usage", async () => {
    const result = await k8sOutput(["--help"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: frank k8s/);
  });
});
