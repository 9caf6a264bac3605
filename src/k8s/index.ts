// What the CLI and the doctor use from k8s/.
export { checkManifests } from "./check-manifests.js";
export { generateDockerfile, generateDockerignore, type DockerfileOptions } from "./dockerfile.js";
export { type Finding, type Severity, hasErrors } from "./finding.js";
export {
  DEFAULT_CONTAINER_PORT,
  ManifestOptionError,
  generateManifests,
  type ManifestOptions,
} from "./generate-manifests.js";
export * from "./lifecycle-defaults.js";
export { type InputNote, type LoadedManifests, type ManifestSource, loadManifests } from "./load-manifests.js";
export { isLoopbackHost } from "./loopback.js";
export type { ManifestObject, ObjectRef } from "./manifest-object.js";
export { renderYaml } from "./render-yaml.js";
