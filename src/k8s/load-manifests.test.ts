import assert from "node:assert/strict";
import { test } from "node:test";
import { loadManifests } from "./load-manifests.js";

test("several documents, kind: List items, JSON, empty documents", () => {
  const { objects, notes } = loadManifests([
    {
      name: "a.yaml",
      text: "---\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: one\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: two\n    namespace: shop\n",
    },
    {
      name: "b.json",
      text: '{\n\t"apiVersion": "apps/v1", "kind": "Deployment",\n\t"metadata": {"name": "three"}\n}\n',
    },
  ]);
  assert.deepEqual(notes, []);
  assert.deepEqual(
    objects.map((object) => [object.ref, object.file, object.live]),
    [
      [{ kind: "Service", namespace: "default", name: "one" }, "a.yaml", false],
      [{ kind: "Pod", namespace: "shop", name: "two" }, "a.yaml", true],
      [{ kind: "Deployment", namespace: "default", name: "three" }, "b.json", false],
    ],
  );
});

test("documents without apiVersion and kind (values files, CI configs) are not objects", () => {
  const { objects, notes } = loadManifests([
    { name: "values.yaml", text: "replicaCount: 2\nimage:\n  tag: 1.0\n" },
    { name: "ci.yml", text: "jobs:\n  test:\n    runs-on: ubuntu\n" },
  ]);
  assert.deepEqual(objects, []);
  assert.deepEqual(notes, []);
});

test("locate gives the line of a field, or of its nearest parent when it is missing", () => {
  const [service] = loadManifests([
    {
      name: "svc.yaml",
      text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\nspec:\n  ports:\n  - port: 80\n    targetPort: web\n",
    },
  ]).objects;
  assert.equal(service!.locate(["spec", "ports", 0, "targetPort"]), "svc.yaml:8");
  assert.equal(service!.locate(["spec", "selector"]), "svc.yaml:6");
});

test("lines inside a List count from the top of the file", () => {
  const [, pod] = loadManifests([
    {
      name: "list.yaml",
      text: "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: a}}\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n",
    },
  ]).objects;
  assert.equal(pod!.locate(["metadata", "name"]), "list.yaml:8");
});

test("broken YAML is named with its file, line and column, and the other files are still read", () => {
  const { objects, notes } = loadManifests([
    { name: "bad.yaml", text: "kind: Service\nmetadata:\n  name: x\n   labels: {}\n" },
    { name: "good.yaml", text: "apiVersion: v1\nkind: Service\nmetadata: {name: why}\n" },
  ]);
  assert.deepEqual(
    objects.map((object) => object.ref.name),
    ["why"],
  );
  assert.equal(notes.length, 1);
  assert.equal(notes[0]!.file, "bad.yaml");
  assert.equal(notes[0]!.line, 3);
  assert.equal(notes[0]!.unreadable, true);
  assert.match(notes[0]!.reason, /^not valid YAML or JSON: /);
});

test("a repeated key is refused as kubectl refuses it, naming both lines", () => {
  const { objects, notes } = loadManifests([
    { name: "dup.yaml", text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n" },
  ]);
  assert.deepEqual(objects, []);
  assert.equal(notes[0]!.line, 5);
  assert.match(notes[0]!.reason, /mapping key "name" already defined at line 4/);
  assert.equal(notes[0]!.unreadable, true);
});

test("a multi-line single-quoted string indented like its key is read as kubectl reads it", () => {
  const text = [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: rollout",
    "  annotations:",
    "    example.com/conditions: '{",
    '    "success": [',
    '      {"path": "$.status"}',
    "    ]",
    "    }'",
    "data: {}",
  ].join("\n");
  const { objects, notes } = loadManifests([{ name: "quoted.yaml", text }]);
  assert.deepEqual(notes, []);
  const annotations = (objects[0]!.object.metadata as { annotations: Record<string, string> }).annotations;
  assert.equal(annotations["example.com/conditions"], '{ "success": [ {"path": "$.status"} ] }');
  assert.equal(objects[0]!.locate(["data"]), "quoted.yaml:11");
});

test("Helm templates, charts and kustomize patches are named, not read as broken or partial objects", () => {
  const { objects, notes } = loadManifests([
    { name: "chart/Chart.yaml", text: "apiVersion: v2\nname: shop\nversion: 1.0.0\n" },
    { name: "chart/values.yaml", text: "replicas: 2\n" },
    {
      name: "chart/templates/service.yaml",
      text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n",
    },
    {
      name: "loose/deploy.yaml",
      text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "shop.name" . }}\n',
    },
    {
      name: "overlay/kustomization.yaml",
      text: "resources:\n- ../base\npatches:\n- path: service-patch.yaml\n",
    },
    { name: "overlay/service-patch.yaml", text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\n" },
    { name: "base/service.yaml", text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\n" },
  ]);
  assert.deepEqual(
    objects.map((object) => object.file),
    ["base/service.yaml"],
  );
  assert.deepEqual(
    notes.map((note) => [note.file, note.unreadable, note.reason.split(":")[0]]),
    [
      ["overlay", false, "a kustomization with 1 patch file (patches)"],
      ["loose/deploy.yaml", false, "a Helm template ({{ … }})"],
      ["chart", false, "a Helm chart (3 files)"],
    ],
  );
  assert.match(notes[0]!.reason, /kubectl kustomize overlay \| frank doctor -f -/);
  assert.match(notes[2]!.reason, /helm template chart \| frank doctor -f -/);
});

test("a file the reader cannot handle is named, not thrown", () => {
  const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
  const { notes } = loadManifests([{ name: "deep.yaml", text: deep }]);
  assert.equal(notes.length, 1);
  assert.match(notes[0]!.reason, /nested more than 200 levels deep/);
});
