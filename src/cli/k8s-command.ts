// `frank k8s [FILE] --name NAME --image IMAGE [...] [-o DIR]`: manifests and a Dockerfile that
// agree with the launcher. Every option is checked as the API server would check it before anything
// is written (the tests validate every shape of output against the Kubernetes schemas).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  DEFAULT_CONTAINER_PORT,
  ManifestOptionError,
  generateDockerfile,
  generateDockerignore,
  generateManifests,
  renderYaml,
} from "../k8s/index.js";

export const K8S_USAGE = `Usage: frank k8s [FILE] --name NAME --image IMAGE [options]

Writes a Deployment, Service and Ingress for the app in FILE (default app.ts) that agree with
how frank listens: container port "http" (${DEFAULT_CONTAINER_PORT}), Service targetPort http, Ingress
backend by port name, APP_ENV=production, probes on /livez and /readyz, a grace period longer
than the shutdown delay plus the drain, a locked-down securityContext. With -o, also a Dockerfile.

Options:
  --name NAME            name of every object and the app.kubernetes.io/name label (required)
  --image IMAGE          container image (required)
  --replicas N           replicas (default 2; the autoscaler's minimum with --hpa)
  --port N               container port, 1024-65535 (default ${DEFAULT_CONTAINER_PORT}: a non-root container cannot bind below 1024)
  --namespace NS         namespace of every object
  --ingress-host HOST    host the Ingress answers for (default: any host)
  --ingress-class CLASS  ingressClassName
  --tls-secret SECRET    TLS secret for --ingress-host
  --pdb                  also a PodDisruptionBudget
  --hpa                  also a HorizontalPodAutoscaler (CPU 70%)
  -o, --output DIR       write one file per object, a Dockerfile and its .dockerignore into DIR
                         (default: the objects as YAML on stdout)
  --dockerfile           print only the Dockerfile on stdout
  --force                with -o, replace files that exist
  -h, --help             this help
`;

export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const FILE_NAMES: Record<string, string> = {
  Deployment: "deployment.yaml",
  Service: "service.yaml",
  Ingress: "ingress.yaml",
  PodDisruptionBudget: "pdb.yaml",
  HorizontalPodAutoscaler: "hpa.yaml",
};

export async function run(args: string[], io: CommandIO = process): Promise<number> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by its assignment in the try below (control-flow inference)
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        name: { type: "string" },
        image: { type: "string" },
        replicas: { type: "string" },
        port: { type: "string" },
        namespace: { type: "string" },
        "ingress-host": { type: "string" },
        "ingress-class": { type: "string" },
        "tls-secret": { type: "string" },
        pdb: { type: "boolean" },
        hpa: { type: "boolean" },
        output: { type: "string", short: "o" },
        dockerfile: { type: "boolean" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    io.stderr.write(`frank k8s: ${(error as Error).message}\n\n${K8S_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(K8S_USAGE);
    return 0;
  }
  if (positionals.length > 1) return usageError(io, `one app FILE at most, got ${positionals.join(" ")}`);
  if (!values.name || !values.image) return usageError(io, "--name and --image are required");
  const replicas = wholeNumber(values.replicas);
  const port = wholeNumber(values.port);
  if (replicas === null) return usageError(io, `--replicas "${values.replicas}" is not a whole number`);
  if (port === null) return usageError(io, `--port "${values.port}" is not a port number`);

  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by its assignment in the try below (control-flow inference)
  let objects;
  try {
    objects = generateManifests({
      name: values.name,
      image: values.image,
      replicas,
      port,
      namespace: values.namespace,
      ingressHost: values["ingress-host"],
      ingressClass: values["ingress-class"],
      tlsSecret: values["tls-secret"],
      pdb: values.pdb,
      hpa: values.hpa,
    });
  } catch (error) {
    if (error instanceof ManifestOptionError) {
      // A value the API server would refuse: one line that says which and why.
      io.stderr.write(`frank k8s: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const dockerfile = generateDockerfile({ appFile: positionals[0] ?? "app.ts", port: port ?? DEFAULT_CONTAINER_PORT });

  if (values.dockerfile) {
    io.stdout.write(dockerfile);
    return 0;
  }
  if (!values.output) {
    io.stdout.write(renderYaml(objects));
    return 0;
  }
  const files = [
    ...objects.map((object) => ({ name: FILE_NAMES[String(object.kind)]!, text: renderYaml([object]) })),
    { name: "Dockerfile", text: dockerfile },
    { name: "Dockerfile.dockerignore", text: generateDockerignore() },
  ];
  const existing = files.filter((file) => existsSync(join(values.output!, file.name)));
  if (existing.length > 0 && !values.force) {
    io.stderr.write(
      `frank k8s: ${existing.map((file) => join(values.output!, file.name)).join(", ")} exist; pass --force to replace them\n`,
    );
    return 1;
  }
  mkdirSync(values.output, { recursive: true });
  for (const file of files) {
    writeFileSync(join(values.output, file.name), file.text);
    io.stderr.write(`wrote ${join(values.output, file.name)}\n`);
  }
  io.stderr.write(
    `Build from the project root with: docker build -f ${join(values.output, "Dockerfile")} -t ${values.image} .\n` +
      `Check before applying:            frank doctor -f ${values.output}\n`,
  );
  return 0;
}

/** undefined when absent, null when not a whole number. */
function wholeNumber(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  return /^\d+$/.test(text) ? Number(text) : null;
}

function usageError(io: CommandIO, message: string): number {
  io.stderr.write(`frank k8s: ${message}\n\n${K8S_USAGE}`);
  return 2;
}
