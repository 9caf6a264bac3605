// The numbers the manifests must agree with. They live here, in one place, until the
// server's lifecycle module owns them; the generator and the grace-period check read them.

/** Seconds frank keeps serving after SIGTERM (readiness already off) in Kubernetes. */
export const SHUTDOWN_DELAY_SECONDS = 5;

/** Seconds frank lets in-flight requests finish once it stops accepting. */
export const DRAIN_TIMEOUT_SECONDS = 20;

/** The kubelet kills the pod at the end of the grace period, so it must outlast both. */
export const MINIMUM_GRACE_PERIOD_SECONDS = SHUTDOWN_DELAY_SECONDS + DRAIN_TIMEOUT_SECONDS;

/** What `frank k8s` writes: the minimum plus room for the process to exit. */
export const GENERATED_GRACE_PERIOD_SECONDS = MINIMUM_GRACE_PERIOD_SECONDS + 5;

/** Kubernetes' own default when a pod spec leaves terminationGracePeriodSeconds out. */
export const KUBERNETES_DEFAULT_GRACE_PERIOD_SECONDS = 30;

/** Health endpoints answered by frank's server layer. */
export const LIVENESS_PATH = "/livez";
export const READINESS_PATH = "/readyz";
