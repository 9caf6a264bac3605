// `frank doctor -f`: files, directories and standard input; text and JSON; exit status 1 on
// errors, 0 on warnings only, 2 when the input cannot be read.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { run } from "../src/cli/doctor-command.js";
import type { Finding } from "../src/k8s/index.js";
import { commandIo } from "./support/command-io.js";

const CORPUS = join(import.meta.dirname, "fixtures", "manifests");

async function doctor(args: string[], stdinText = "") {
  const { io, out, err } = commandIo(stdinText);
  const code = await run(args, io);
  return { code, stdout: out(), stderr: err() };
}

describe("frank doctor -f", () => {
  test("the seed's manifests: exit 1, the object, the field, the line, why and the fix", async () => {
    const file = join(CORPUS, "broken", "server-defaults-to-loopback.seed-rackup.yaml");
    const result = await doctor(["-f", file]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stdout,
      [
        "error [server-defaults-to-loopback] Deployment default/shop spec.template.spec.containers[0].command[0]",
        `  at   ${file}:19`,
        "  what container shop listens on loopback only: rackup without -o listens on localhost only while RACK_ENV is development (its default)",
        "  why  traffic from the Service arrives on the pod's own address, not on loopback: connections are refused and the Ingress answers Bad Gateway",
        "  fix  set env RACK_ENV=production, or pass --host 0.0.0.0 (or -o ::)",
        "",
        "1 error, 0 warnings in 3 objects.",
        "",
      ].join("\n"),
    );
  });

  test("warnings alone exit 0", async () => {
    const result = await doctor(["-f", join(CORPUS, "broken", "readiness-probe-missing.yaml")]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^warning \[readiness-probe-missing\]/);
  });

  test("kubectl output piped in on standard input, as JSON for machines", async () => {
    const text = readFileSync(join(CORPUS, "broken", "service-selector-matches-nothing.kubectl-list.yaml"), "utf8");
    const result = await doctor(["-f", "-", "--json"], text);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as { objects: number; ok: boolean; findings: Finding[] };
    assert.equal(report.objects, 3);
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.findings.map((finding) => [
        finding.severity,
        finding.code,
        finding.object,
        finding.path,
        finding.location,
      ]),
      [
        [
          "error",
          "service-selector-matches-nothing",
          { kind: "Service", namespace: "default", name: "shop" },
          "spec.selector",
          "-:36",
        ],
      ],
    );
  });

  test("kubectl output with ReplicaSets and Pods reports a mistake once, for the Deployment", async () => {
    const result = await doctor([
      "-f",
      join(CORPUS, "broken", "readiness-probe-missing.kubectl-list-with-pods.yaml"),
      "--json",
    ]);
    const report = JSON.parse(result.stdout) as { objects: number; findings: Finding[] };
    assert.equal(report.objects, 5);
    assert.deepEqual(
      report.findings.map((finding) => `${finding.code} ${finding.object.kind}/${finding.object.name}`),
      ["readiness-probe-missing Deployment/shop"],
    );
  });

  test("a directory and several -f are read together", async () => {
    const result = await doctor([
      "-f",
      join(CORPUS, "clean", "frank-app.yaml"),
      "-f",
      join(CORPUS, "clean", "json-document.json"),
    ]);
    assert.equal(result.code, 0, result.stdout);
    assert.equal(result.stdout, "No Bad-Gateway causes found in 5 objects.\n");
  });

  test("broken YAML: exit 2 with the file, line and column", async () => {
    const result = await doctor(["-f", "-"], "kind: Service\nmetadata:\n  name: shop\n   labels: {}\n");
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^frank doctor: -:3:\d+: not valid YAML or JSON: /);
    assert.equal(result.stdout, "");
  });

  test("a missing file: exit 2", async () => {
    const result = await doctor(["-f", join(CORPUS, "no-such-file.yaml")]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^frank doctor: cannot read .*no-such-file\.yaml: no such file or directory$/m);
  });

  test("a --port that is not a port: exit 2", async () => {
    const result = await doctor(["--port", "http"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--port "http" is not a port number/);
  });

  test("an unknown flag: exit 2 with the usage", async () => {
    const result = await doctor(["--verbose"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Unknown option '--verbose'/);
    assert.match(result.stderr, /Usage: frank doctor/);
  });
});
