import assert from "node:assert/strict";
import { test } from "node:test";
import { ManifestParseError, loadManifests } from "./load-manifests.js";

test("several documents, kind: List items, JSON, empty documents", () => {
  const objects = loadManifests([
    {
      name: "a.yaml",
      text: "---\n---\nkind: Service\nmetadata:\n  name: one\n---\nkind: List\nitems:\n- kind: Pod\n  metadata:\n    name: two\n    namespace: shop\n",
    },
    { name: "b.json", text: '{\n\t"kind": "Deployment",\n\t"metadata": {"name": "three"}\n}\n' },
  ]);
  assert.deepEqual(
    objects.map((object) => object.ref),
    [
      { kind: "Service", namespace: "default", name: "one" },
      { kind: "Pod", namespace: "shop", name: "two" },
      { kind: "Deployment", namespace: "default", name: "three" },
    ],
  );
});

test("locate gives the line of a field, or of its nearest parent when it is missing", () => {
  const [service] = loadManifests([
    {
      name: "svc.yaml",
      text: "kind: Service\nmetadata:\n  name: shop\nspec:\n  ports:\n  - port: 80\n    targetPort: web\n",
    },
  ]);
  assert.equal(service!.locate(["spec", "ports", 0, "targetPort"]), "svc.yaml:7");
  assert.equal(service!.locate(["spec", "selector"]), "svc.yaml:5");
});

test("lines inside a List count from the top of the file", () => {
  const [, pod] = loadManifests([
    {
      name: "list.yaml",
      text: "kind: List\nitems:\n- kind: Service\n  metadata: {name: a}\n- kind: Pod\n  metadata:\n    name: b\n",
    },
  ]);
  assert.equal(pod!.locate(["metadata", "name"]), "list.yaml:7");
});

test("broken YAML names the file, line and column", () => {
  assert.throws(
    () => loadManifests([{ name: "bad.yaml", text: "kind: Service\nmetadata:\n  name: x\n   labels: {}\n" }]),
    (error: unknown) =>
      error instanceof ManifestParseError &&
      error.file === "bad.yaml" &&
      error.line === 3 &&
      /^bad\.yaml:3:\d+: not valid YAML or JSON/.test(error.message),
  );
});
