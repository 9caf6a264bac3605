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
