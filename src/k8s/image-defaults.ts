// What a container image does when the manifest gives it no command: only for images whose
// behaviour is documented and fixed (the official nginx and httpd images), and only while no
// volume replaces their configuration.
import { isObject, arrayAt, stringAt, type JsonObject } from "./json-access.js";

interface ImageDefault {
  port: number;
  /** A volume mounted here can change the port. */
  configPath: string;
}

const SERVER_IMAGES: Record<string, ImageDefault> = {
  nginx: { port: 80, configPath: "/etc/nginx" },
  httpd: { port: 80, configPath: "/usr/local/apache2/conf" },
  "nginxinc/nginx-unprivileged": { port: 8080, configPath: "/etc/nginx" },
};

/**
 * Official language images set none of the variables that decide where rackup, rails, flask
 * or gunicorn listen (RACK_ENV, RAILS_ENV, FLASK_RUN_HOST, GUNICORN_CMD_ARGS, PORT), so with
 * them the manifest shows the whole environment.
 */
const BASE_IMAGES = new Set(["ruby", "python", "node", "php", "pypy", "debian", "ubuntu", "alpine", "busybox"]);

/** The repository of an image reference without registry, tag or digest: "nginx", "bitnami/nginx". */
export function imageRepository(image: string): string {
  let name = image.split("@")[0]!;
  const lastSlash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  if (colon > lastSlash) name = name.slice(0, colon);
  const parts = name.split("/");
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) {
    // A registry: only Docker Hub's names are the official images.
    if (!/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)$/.test(parts[0]!)) return name;
    parts.shift();
  }
  if (parts[0] === "library" && parts.length === 2) parts.shift();
  return parts.join("/");
}

/** The port the image's own command listens on, when the manifest leaves it in charge. */
export function imageDefaultPort(container: JsonObject): { port: number; image: string } | undefined {
  const image = stringAt(container, "image");
  if (!image) return undefined;
  const known = SERVER_IMAGES[imageRepository(image)];
  if (!known) return undefined;
  if (arrayAt(container, "command").length > 0 || arrayAt(container, "args").length > 0) return undefined;
  const configMounted = arrayAt(container, "volumeMounts").some(
    (mount) => isObject(mount) && (stringAt(mount, "mountPath") ?? "").startsWith(known.configPath),
  );
  return configMounted ? undefined : { port: known.port, image: imageRepository(image) };
}

/** Images whose own command is a shell: started without a command, they run no server. */
const SHELL_IMAGES = new Set(["busybox", "alpine", "debian", "ubuntu"]);
/** Programs that keep a container alive without serving anything. */
const IDLE_PROGRAMS = new Set(["sleep", "tail", "cat", "pause"]);

/** The container runs no server: it sleeps, tails, or is a shell image left to its own command. */
export function runsNoServer(container: {
  image?: string;
  commands: ReadonlyArray<{ program: string; background: boolean }>;
}): boolean {
  const last = container.commands.filter((command) => !command.background).at(-1);
  if (last) return IDLE_PROGRAMS.has(last.program);
  return container.image !== undefined && SHELL_IMAGES.has(imageRepository(container.image));
}

export function isOfficialBaseImage(image: string | undefined): boolean {
  return image !== undefined && BASE_IMAGES.has(imageRepository(image));
}
