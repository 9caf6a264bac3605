// The numbers the manifests must agree with, taken from the server's lifecycle rules (the
// only part of server/ that k8s/ reads), so the generator and the grace-period check follow them.
import { DEFAULT_LIVENESS_PATH, DEFAULT_READINESS_PATH } from "../server/health.js";
import { DEFAULT_DRAIN_TIMEOUT_MS, KUBERNETES_SHUTDOWN_DELAY_MS } from "../server/lifecycle-config.js";
import { DEFAULT_METRICS_PATH } from "../server/metrics-endpoint.js";

/** Seconds frank keeps serving after SIGTERM (readiness already off) in Kubernetes. */
export const SHUTDOWN_DELAY_SECONDS = KUBERNETES_SHUTDOWN_DELAY_MS / 1000;

/** Seconds frank lets in-flight requests finish once it stops accepting. */
export const DRAIN_TIMEOUT_SECONDS = DEFAULT_DRAIN_TIMEOUT_MS / 1000;

/** The kubelet kills the pod at the end of the grace period, so it must outlast both. */
export const MINIMUM_GRACE_PERIOD_SECONDS = SHUTDOWN_DELAY_SECONDS + DRAIN_TIMEOUT_SECONDS;

/** What `frank k8s` writes: the minimum plus room for the process to exit. */
export const GENERATED_GRACE_PERIOD_SECONDS = MINIMUM_GRACE_PERIOD_SECONDS + 5;

/** Kubernetes' own default when a pod spec leaves terminationGracePeriodSeconds out. */
export const KUBERNETES_DEFAULT_GRACE_PERIOD_SECONDS = 30;

/** Health endpoints answered by frank's server layer. */
export const LIVENESS_PATH = DEFAULT_LIVENESS_PATH;
export const READINESS_PATH = DEFAULT_READINESS_PATH;

/** Where frank serves Prometheus metrics, on the app's own port. */
export const METRICS_PATH = DEFAULT_METRICS_PATH;
