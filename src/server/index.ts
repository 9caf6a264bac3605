export { toNodeListener, type NodeListenerOptions } from "./node-adapter.js";
export { serve, type ServeOptions, type RunningServer } from "./serve.js";
export {
  resolveServerConfig,
  ConfigError,
  DEFAULT_PORT,
  type ServerConfig,
  type Sourced,
  type HostKind,
  type ConfigInputs,
  type ContainerInfo,
  type SystemProbe,
} from "./config.js";
export { detectContainer, SERVICE_ACCOUNT_TOKEN } from "./container.js";
export { bannerLines, warningLines, listeningUrls, because } from "./banner.js";
export { portHolder } from "./port-holder.js";
export type { BoundAddress } from "./listen.js";
export { GracefulShutdown, type ShutdownOptions, type ShutdownPhase, type ShutdownReport } from "./shutdown.js";
export { withHealthChecks, DEFAULT_LIVENESS_PATH, DEFAULT_READINESS_PATH, type HealthOptions } from "./health.js";
export { DEFAULT_LIMITS, explainClientErrors, limitRequestBody, serverOptions, type ServerLimits } from "./limits.js";
export {
  resolveLifecycle,
  limitsOf,
  KUBERNETES_SHUTDOWN_DELAY_MS,
  DEFAULT_DRAIN_TIMEOUT_MS,
  type LifecycleConfig,
  type LifecycleFlags,
  type AccessLogFormat,
} from "./lifecycle-config.js";
export { clientAddress } from "./node-request.js";
export type { ServeLogging } from "./serve.js";
