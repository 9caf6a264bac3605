import { ConfigError } from "./config-error.js";
import { portHolder } from "./port-holder.js";

/** Why a listen() failed, in one line that says what to do. */
export function explainListenError(error: NodeJS.ErrnoException, address: string, port: number): ConfigError {
  const where = `${address.includes(":") ? `[${address}]` : address}:${port}`;
  switch (error.code) {
    case "EADDRINUSE": {
      const holder = portHolder(port);
      return new ConfigError(
        `port ${port} is already in use (${where})` +
          (holder ? ` by process ${holder}` : "") +
          `; stop that process or choose another port with --port or PORT`,
      );
    }
    case "EACCES":
      return new ConfigError(
        port < 1024
          ? `permission denied listening on ${where}: ports below 1024 need root or CAP_NET_BIND_SERVICE. ` +
              `Listen on 1024 or above (e.g. --port 8080) and point the Service's targetPort at it, or grant CAP_NET_BIND_SERVICE`
          : `permission denied listening on ${where}`,
      );
    case "EADDRNOTAVAIL":
      return new ConfigError(
        `cannot listen on ${where}: ${address} is not an address of this machine (try --host :: for all interfaces)`,
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new ConfigError(`cannot listen on ${where}: the host name ${address} does not resolve`);
    default:
      return new ConfigError(`cannot listen on ${where}: ${error.message}`);
  }
}
