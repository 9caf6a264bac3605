// Every object that runs containers carries a pod spec somewhere; the checks look at them
// the same way whether they came from a Deployment, a StatefulSet or a bare Pod.
import { type CommandWord, type SimpleCommand, simpleCommands } from "./command-line.js";
import { type ConfigSources, type ContainerEnv, containerEnv, expandReferences } from "./container-env.js";
import {
  type FieldPath,
  type JsonObject,
  arrayAt,
  isObject,
  numberAt,
  objectAt,
  stringAt,
  stringMapAt,
} from "./json-access.js";
import { type Listening, listeningOf } from "./listening.js";
import type { ManifestObject } from "./manifest-object.js";

export type { CommandWord } from "./command-line.js";

/** Where the pod template sits in each kind that has one. */
const TEMPLATE_PATHS: Record<string, FieldPath> = {
  Pod: [],
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  ReplicationController: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
};

/** Kinds whose pods run to completion: they are not behind a Service, so serving checks skip them. */
const RUN_TO_COMPLETION_KINDS = new Set(["Job", "CronJob"]);

export interface ContainerPort {
  name?: string;
  containerPort?: number;
  path: FieldPath;
}

export interface ContainerView {
  name: string;
  path: FieldPath;
  raw: JsonObject;
  image?: string;
  ports: ContainerPort[];
  /** command followed by args, with Kubernetes' $(NAME) references to known values filled in. */
  commandLine: CommandWord[];
  /** The simple commands the command line runs (a `sh -c` script has several). */
  commands: SimpleCommand[];
  env: ContainerEnv;
  /** Where its server listens, as far as the manifest shows. */
  listening: Listening;
  /**
   * Whether traffic is meant to reach this container: it declares a port, or it is the only
   * container. Sidecars that listen on loopback on purpose (database proxies) are not.
   */
  served: boolean;
}

export interface PodTemplateView {
  owner: ManifestObject;
  labels: Record<string, string>;
  /** Path of the pod spec inside the owner. */
  specPath: FieldPath;
  spec: JsonObject;
  containers: ContainerView[];
  longRunning: boolean;
}

export function podTemplatesOf(objects: readonly ManifestObject[], sources: ConfigSources): PodTemplateView[] {
  const templates: PodTemplateView[] = [];
  for (const owner of objects) {
    const templatePath = TEMPLATE_PATHS[owner.ref.kind];
    if (!templatePath) continue;
    const template = valueAt(owner.object, templatePath);
    const spec = objectAt(template, "spec");
    if (!spec) continue;
    const specPath = [...templatePath, "spec"];
    const containers = arrayAt(spec, "containers");
    templates.push({
      owner,
      labels: stringMapAt(objectAt(template, "metadata"), "labels"),
      specPath,
      spec,
      containers: containers.flatMap((container, index) =>
        isObject(container)
          ? [containerView(container, [...specPath, "containers", index], containers.length, owner, sources, spec)]
          : [],
      ),
      longRunning: !RUN_TO_COMPLETION_KINDS.has(owner.ref.kind),
    });
  }
  return templates;
}

/**
 * `kubectl get deploy,rs,pods -o yaml` lists a Deployment, its ReplicaSets and their Pods,
 * which all carry the same containers. A template whose labels include those of another
 * object's template in the same namespace, and which has an owner, was stamped out of it,
 * so container checks look only at the original and report each mistake once.
 */
export function withoutStampedCopies(templates: readonly PodTemplateView[]): PodTemplateView[] {
  return templates.filter(
    (copy) =>
      !isObject(arrayAt(objectAt(copy.owner.object, "metadata"), "ownerReferences")[0]) ||
      !templates.some(
        (original) =>
          original !== copy &&
          original.owner.ref.kind !== "Pod" &&
          original.owner.ref.namespace === copy.owner.ref.namespace &&
          labelsSelect(original.labels, copy.labels),
      ),
  );
}

/** A selector picks a pod when every one of its labels is on the pod. */
export function labelsSelect(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

export function describeDeclaredPorts(ports: readonly ContainerPort[]): string {
  return ports
    .filter((port) => port.containerPort !== undefined)
    .map((port) => (port.name ? `${port.name} (${port.containerPort})` : String(port.containerPort)))
    .join(", ");
}

function containerView(
  container: JsonObject,
  path: FieldPath,
  containerCount: number,
  owner: ManifestObject,
  sources: ConfigSources,
  podSpec: JsonObject,
): ContainerView {
  const ports: ContainerPort[] = arrayAt(container, "ports").flatMap((port, index) =>
    isObject(port)
      ? [
          {
            name: stringAt(port, "name"),
            containerPort: numberAt(port, "containerPort"),
            path: [...path, "ports", index],
          },
        ]
      : [],
  );
  const env = containerEnv(container, path, owner, sources);
  const words = (key: string): CommandWord[] =>
    arrayAt(container, key).flatMap((item, index) =>
      typeof item === "string" ? [{ value: expandReferences(item, env), path: [...path, key, index] }] : [],
    );
  const command = words("command");
  const commandLine = [...command, ...words("args")];
  const commands = simpleCommands(commandLine, command.length === 0);
  return {
    name: stringAt(container, "name") ?? "(no name)",
    path,
    raw: container,
    image: stringAt(container, "image"),
    ports,
    commandLine,
    commands,
    env,
    listening: listeningOf(container, commands, env, mountedConfigText(container, podSpec, owner, sources)),
    served: ports.length > 0 || containerCount === 1,
  };
}

/** The text of the ConfigMaps in the input mounted into the container: a server's config file may name its ports. */
function mountedConfigText(container: JsonObject, podSpec: JsonObject, owner: ManifestObject, sources: ConfigSources) {
  const mounted = new Set(arrayAt(container, "volumeMounts").map((mount) => stringAt(mount, "name")));
  const texts: string[] = [];
  for (const volume of arrayAt(podSpec, "volumes")) {
    if (!mounted.has(stringAt(volume, "name"))) continue;
    const name = stringAt(objectAt(volume, "configMap"), "name");
    const found = name ? sources.find("ConfigMap", owner.ref.namespace, name, owner.file) : undefined;
    if (found) texts.push(...found.data.values());
  }
  return texts;
}

function valueAt(root: unknown, path: FieldPath): unknown {
  let value = root;
  for (const segment of path) {
    if (!isObject(value) || typeof segment !== "string") return undefined;
    value = value[segment];
  }
  return value;
}
