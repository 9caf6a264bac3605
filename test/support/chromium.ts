// Real headless Chromium (the Debian package), driven by playwright-core.
import { existsSync } from "node:fs";
import { chromium, type Browser, type LaunchOptions } from "playwright-core";

export const CHROMIUM_BINARY = "/usr/bin/chromium";

/** Why Chromium cannot be launched here, or undefined when it can. */
export function chromiumUnavailableReason(): string | undefined {
  return existsSync(CHROMIUM_BINARY) ? undefined : `${CHROMIUM_BINARY} is missing (Debian package chromium)`;
}

/** `options` adds to the defaults (a proxy, for instance). */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    ...options,
    executablePath: CHROMIUM_BINARY,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
