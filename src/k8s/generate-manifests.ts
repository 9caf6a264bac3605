// `frank k8s`: a Deployment, Service and Ingress (and optionally a PodDisruptionBudget and a
// HorizontalPodAutoscaler) that agree with the launcher's rules, so that the path
// Ingress -> Service -> pod -> frank has no Bad Gateway in it by construction.
import type { JsonObject } from "./json-access.js";
import {
  dns1035LabelProblem,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  ingressHostProblem,
} from "./kubernetes-names.js";
import { GENERATED_GRACE_PERIOD_SECONDS, LIVENESS_PATH, METRICS_PATH, READINESS_PATH } from "./lifecycle-defaults.js";

/**
 * The container port. Above 1024 because the container runs as a non-root user with every
 * capability dropped, and binding a port below 1024 needs root or NET_BIND_SERVICE. The
 * Service still exposes port 80 to the cluster.
 */
export const DEFAULT_CONTAINER_PORT = 8080;
/** Service, Ingress and probes refer to the container port by this name, never by number. */
export const PORT_NAME = "http";
export const SERVICE_PORT = 80;
/** The uid of the `node` user in the official Node images; numeric so runAsNonRoot can verify it. */
export const RUN_AS_USER = 1000;

export interface ManifestOptions {
  name: string;
  image: string;
  replicas?: number;
  port?: number;
  namespace?: string;
  ingressHost?: string;
  ingressClass?: string;
  tlsSecret?: string;
  pdb?: boolean;
  hpa?: boolean;
}

export class ManifestOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ManifestOptionError";
  }
}

/** Kubernetes counts (replicas, the autoscaler's bounds) are 32-bit integers. */
const INT32_MAX = 2 ** 31 - 1;

export function generateManifests(options: ManifestOptions): JsonObject[] {
  const settings = checkedOptions(options);
  const objects = [deployment(settings), service(settings), ingress(settings)];
  if (settings.pdb) objects.push(podDisruptionBudget(settings));
  if (settings.hpa) objects.push(horizontalPodAutoscaler(settings));
  return objects;
}

type Settings = Required<Pick<ManifestOptions, "name" | "image" | "replicas" | "port" | "pdb" | "hpa">> &
  Pick<ManifestOptions, "namespace" | "ingressHost" | "ingressClass" | "tlsSecret">;

/** Each option is checked as the API server would check the field it ends up in. */
const NAME_RULES: Array<[keyof ManifestOptions, string, (value: string) => string | undefined]> = [
  ["name", "--name", dns1035LabelProblem],
  ["namespace", "--namespace", dns1123LabelProblem],
  ["ingressHost", "--ingress-host", ingressHostProblem],
  ["ingressClass", "--ingress-class", dns1123SubdomainProblem],
  ["tlsSecret", "--tls-secret", dns1123SubdomainProblem],
];

function checkedOptions(options: ManifestOptions): Settings {
  const { name, image } = options;
  for (const [key, flag, problemOf] of NAME_RULES) {
    const value = options[key];
    if (value === undefined && key !== "name") continue;
    const text = String(value ?? "");
    const problem = problemOf(text);
    if (problem) throw new ManifestOptionError(`${flag} ${JSON.stringify(text)} ${problem}`);
  }
  if (!image || /\s/.test(image))
    throw new ManifestOptionError(
      `--image "${image ?? ""}" must be an image reference such as registry.example/app:1.0`,
    );
  const port = options.port ?? DEFAULT_CONTAINER_PORT;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new ManifestOptionError(
      `--port ${port}: the container runs as a non-root user without capabilities, which cannot bind ports below 1024; use 1024 to 65535 (default ${DEFAULT_CONTAINER_PORT})`,
    );
  }
  const replicas = options.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > INT32_MAX)
    throw new ManifestOptionError(`--replicas ${replicas} must be a whole number of at least 1`);
  if (options.tlsSecret && !options.ingressHost) {
    throw new ManifestOptionError("--tls-secret needs --ingress-host: the certificate is for a host name");
  }
  return { ...options, name, image, port, replicas, pdb: options.pdb ?? false, hpa: options.hpa ?? false };
}

function metadata(settings: Settings, extra: JsonObject = {}): JsonObject {
  return {
    name: settings.name,
    ...(settings.namespace ? { namespace: settings.namespace } : {}),
    labels: labels(settings),
    ...extra,
  };
}

function labels(settings: Settings): Record<string, string> {
  return { "app.kubernetes.io/name": settings.name };
}

function deployment(settings: Settings): JsonObject {
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: PORT_NAME },
    periodSeconds,
    failureThreshold,
    timeoutSeconds: 2,
  });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(settings),
    spec: {
      // With an autoscaler the replica count is its business; kubectl apply would reset it.
      ...(settings.hpa ? {} : { replicas: settings.replicas }),
      selector: { matchLabels: labels(settings) },
      // A new pod is ready before an old one goes: no moment without endpoints.
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: {
          labels: labels(settings),
          // What Prometheus' usual pod discovery (kubernetes_sd_configs, role pod) keeps and where it scrapes.
          annotations: {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": String(settings.port),
            "prometheus.io/path": METRICS_PATH,
          },
        },
        spec: {
          // Service links put <NAME>_PORT=tcp://… variables in the environment; frank needs none.
          enableServiceLinks: false,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: GENERATED_GRACE_PERIOD_SECONDS,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUN_AS_USER,
            runAsGroup: RUN_AS_USER,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: settings.name,
              image: settings.image,
              ports: [{ name: PORT_NAME, containerPort: settings.port, protocol: "TCP" }],
              // No HOST: in a pod frank listens on all interfaces (:: dual-stack) by itself.
              env: [
                { name: "APP_ENV", value: "production" },
                { name: "PORT", value: String(settings.port) },
              ],
              readinessProbe: probe(READINESS_PATH, 5, 2),
              livenessProbe: probe(LIVENESS_PATH, 10, 3),
              resources: {
                requests: { cpu: "100m", memory: "128Mi" },
                // No CPU limit: throttling a busy server only adds latency; memory is capped.
                limits: { memory: "256Mi" },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ["ALL"] },
              },
              // The root filesystem is read-only; the TypeScript loader caches compiled files in /tmp.
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
        },
      },
    },
  };
}

function service(settings: Settings): JsonObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(settings),
    spec: {
      type: "ClusterIP",
      selector: labels(settings),
      ports: [{ name: PORT_NAME, port: SERVICE_PORT, targetPort: PORT_NAME, protocol: "TCP" }],
    },
  };
}

function ingress(settings: Settings): JsonObject {
  const backend = { service: { name: settings.name, port: { name: PORT_NAME } } };
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: metadata(settings),
    spec: {
      ...(settings.ingressClass ? { ingressClassName: settings.ingressClass } : {}),
      ...(settings.tlsSecret ? { tls: [{ hosts: [settings.ingressHost], secretName: settings.tlsSecret }] } : {}),
      rules: [
        {
          ...(settings.ingressHost ? { host: settings.ingressHost } : {}),
          http: { paths: [{ path: "/", pathType: "Prefix", backend }] },
        },
      ],
    },
  };
}

function podDisruptionBudget(settings: Settings): JsonObject {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: metadata(settings),
    // maxUnavailable rather than minAvailable: a one-replica app can still have its node drained.
    spec: { maxUnavailable: 1, selector: { matchLabels: labels(settings) } },
  };
}

function horizontalPodAutoscaler(settings: Settings): JsonObject {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: metadata(settings),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: settings.name },
      minReplicas: settings.replicas,
      maxReplicas: Math.min(settings.replicas * 4, INT32_MAX),
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
      ],
    },
  };
}
