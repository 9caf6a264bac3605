// `frank doctor -f`: files, directories and standard input; text and JSON; exit status 1 on
// errors, 0 on warnings only, 2 when an input cannot be read or there is nothing to check.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { run } from "../src/cli/doctor-command.js";
import type { Finding } from "../src/k8s/index.js";
import { commandIo } from "./support/command-io.js";

const CORPUS = join(import.meta.dirname, "fixtures", "manifests");
const INPUTS = join(CORPUS, "inputs");

async function doctor(args: string[], stdinText = "") {
  const { io, out, err } = commandIo(stdinText);
  const code = await run(args, io);
  return { code, stdout: out(), stderr: err() };
}

describe("frank doctor -f", () => {
  test("the seed's manifests from the official ruby image: exit 1, the object, the field, the line, why and the fix", async () => {
    const file = join(CORPUS, "broken", "server-defaults-to-loopback.seed-ruby-image.yaml");
    const result = await doctor(["-f", file]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stdout,
      [
        "error [server-defaults-to-loopback] Deployment default/shop spec.template.spec.containers[0].command[2]",
        `  at   ${file}:26`,
        "  what container shop listens on loopback only: rackup without -o listens on localhost only while RACK_ENV is development (its default)",
        "  why  traffic from the Service arrives on the pod's own address, not on loopback: connections are refused and the Ingress answers Bad Gateway",
        "  fix  set env RACK_ENV=production, or pass --host 0.0.0.0 (or -o ::)",
        "",
        "1 error, 0 warnings in 2 objects.",
        "",
      ].join("\n"),
    );
  });

  // With an image of its own, the image may set RACK_ENV=production (buildpacks do): frank says
  // what it cannot see, and how to look, as a warning. It used to be an error.
  test("the seed's manifests with an image of its own: a warning that says what to check in the pod", async () => {
    const file = join(CORPUS, "broken", "server-defaults-to-loopback.seed-rackup.yaml");
    const result = await doctor(["-f", file]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^warning \[server-defaults-to-loopback\] Deployment default\/shop/);
    assert.match(result.stdout, /the manifest cannot show whether RACK_ENV in the image's environment changes that/);
    assert.match(result.stdout, /kubectl exec deploy\/shop -c shop -- frank doctor/);
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
    assert.match(result.stderr, /^frank doctor: .*no-such-file\.yaml: cannot be read: no such file or directory$/m);
  });

  test("one anchor used 150 times is read as kubectl reads it", async () => {
    const result = await doctor(["-f", join(INPUTS, "anchor-used-150-times.yaml")]);
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
    assert.equal(result.stdout, "No Bad-Gateway causes found in 1 object.\n");
  });

  test("an alias bomb is one line and exit 2, and the rest of the input is still checked", async () => {
    const result = await doctor([
      "-f",
      join(INPUTS, "alias-bomb.yaml"),
      "-f",
      join(CORPUS, "broken", "target-port-name-missing.yaml"),
    ]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `frank doctor: ${join(INPUTS, "alias-bomb.yaml")}:10:19: not valid YAML or JSON: aliases expand to far more than the document holds (an alias bomb); kubectl refuses it too\n`,
    );
    assert.match(result.stdout, /^error \[target-port-name-missing\]/);
    const alone = await doctor(["-f", join(INPUTS, "alias-bomb.yaml")]);
    assert.equal(alone.code, 2);
    assert.equal(alone.stderr.split("\n").filter(Boolean).length, 2); // the file, and "nothing to check"
    assert.equal(alone.stdout, "");
  });

  test("a repeated key names its file and lines; the other files are checked, exit 2 without errors", async () => {
    const result = await doctor([
      "-f",
      join(INPUTS, "duplicate-key.yaml"),
      "-f",
      join(INPUTS, "anchor-used-150-times.yaml"),
    ]);
    assert.equal(
      result.stderr,
      `frank doctor: ${join(INPUTS, "duplicate-key.yaml")}:22:11: not valid YAML or JSON: mapping key "timeoutSeconds" already defined at line 21: kubectl refuses a repeated key too\n`,
    );
    assert.equal(result.stdout, "No Bad-Gateway causes found in 1 object (1 input not checked: see above).\n");
    assert.equal(result.code, 2);
  });

  test("a multi-line single-quoted string kubectl accepts is read, and the file checked", async () => {
    const result = await doctor(["-f", join(INPUTS, "multi-line-quoted.yaml")]);
    assert.equal(result.stderr, "");
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /^error \[target-port-name-missing\] Service default\/shop spec\.ports\[0\]\.targetPort\n {2}at {3}.*multi-line-quoted\.yaml:19\n/,
    );
  });

  test("a Helm chart is named with the command that renders it; alone it leaves nothing to check (exit 2)", async () => {
    const chart = join(INPUTS, "helm-chart");
    const result = await doctor(["-f", chart]);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      `frank doctor: ${chart}: a Helm chart (4 files): render it first: helm template ${chart} | frank doctor -f -\n` +
        "frank doctor: nothing to check: no Kubernetes object (apiVersion and kind) in the input\n",
    );
  });

  test("a kustomize overlay: the patch is not read as a Service, and the command that renders it is named", async () => {
    const folder = join(INPUTS, "kustomize");
    const result = await doctor(["-f", folder]);
    assert.equal(result.code, 0, result.stdout);
    assert.equal(result.stdout, "No Bad-Gateway causes found in 3 objects (1 input not checked: see above).\n");
    assert.match(
      result.stderr,
      /^frank doctor: .*overlays\/production: a kustomization with 1 patch file \(patches\): .*kubectl kustomize .*overlays\/production \| frank doctor -f -\n$/,
    );
  });

  test("an empty folder: nothing to check, exit 2", async () => {
    const folder = mkdtempSync(join(tmpdir(), "frank-doctor-empty-"));
    try {
      const result = await doctor(["-f", folder]);
      assert.equal(result.code, 2);
      assert.equal(result.stderr, `frank doctor: nothing to check: ${folder} holds no .yaml, .yml or .json file\n`);
      assert.equal(result.stdout, "");
    } finally {
      rmSync(folder, { recursive: true });
    }
  });

  test("symlinked folders are not followed (two links to .. end), a broken link is named, the rest is checked", async () => {
    const folder = mkdtempSync(join(tmpdir(), "frank-doctor-links-"));
    try {
      mkdirSync(join(folder, "k8s"));
      writeFileSync(join(folder, "k8s", "app.yaml"), readFileSync(join(CORPUS, "clean", "frank-app.yaml")));
      symlinkSync("..", join(folder, "k8s", "up"));
      symlinkSync("..", join(folder, "k8s", "again"));
      symlinkSync("missing.yaml", join(folder, "k8s", "gone.yaml"));
      symlinkSync("app.yaml", join(folder, "k8s", "same.yaml"));
      const result = await doctor(["-f", folder]);
      assert.equal(
        result.stderr,
        [
          `frank doctor: ${join(folder, "k8s", "again")}: a symlink to a folder: not followed (pass it as its own -f to check it)`,
          `frank doctor: ${join(folder, "k8s", "gone.yaml")}: a broken symlink (to missing.yaml): skipped`,
          `frank doctor: ${join(folder, "k8s", "up")}: a symlink to a folder: not followed (pass it as its own -f to check it)`,
          "",
        ].join("\n"),
      );
      // app.yaml and same.yaml (a symlinked file is read): the frank app twice, each in its own file.
      assert.match(result.stdout, /^No Bad-Gateway causes found in 6 objects \(3 inputs not checked: see above\)\.\n$/);
      assert.equal(result.code, 2); // the broken link named a manifest that cannot be read
    } finally {
      rmSync(folder, { recursive: true });
    }
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
