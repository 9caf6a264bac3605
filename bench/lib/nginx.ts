/** A throwaway nginx (Debian nginx-light) serving the static fixtures on loopback: the ceiling for files. */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PUBLIC_DIR } from "../targets/shared.js";

export const NGINX = "/usr/sbin/nginx";

export function nginxMissing(): string | undefined {
  return existsSync(NGINX) ? undefined : `${NGINX} not found (apt-get install nginx-light)`;
}

/** Writes a config into a fresh temp dir; returns the nginx arguments and a cleanup. */
export function nginxConfig(port: number): { args: string[]; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "frank-bench-nginx-"));
  // One worker to match the single-threaded Node targets; keep-alive limits raised so
  // that, like Node, nginx does not close wrk's connections every 1000 requests.
  const conf = `
daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${PUBLIC_DIR};
    location /static/ { }
  }
}
`;
  writeFileSync(join(dir, "nginx.conf"), conf);
  return {
    args: ["-p", dir, "-c", join(dir, "nginx.conf"), "-e", join(dir, "error.log")],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
