// The image `frank k8s` writes the manifests for: built in one stage, run from a slim one as
// a numeric non-root user, with frank itself as PID 1 so SIGTERM reaches it.
import { RUN_AS_USER } from "./generate-manifests.js";

/** A maintained LTS line of Node; frank needs Node 20.19 or later (it loads an ES module with require). */
export const NODE_IMAGE = "node:22-bookworm-slim";

export interface DockerfileOptions {
  /** The app file frank serves, relative to the project root. */
  appFile: string;
  port: number;
}

/** TypeScript apps are bundled at image build time (`frank build`): a pod starts without esbuild or a build. */
function isTypeScript(appFile: string): boolean {
  return /\.(c|m)?tsx?$/.test(appFile);
}

export function generateDockerfile({ appFile, port }: DockerfileOptions): string {
  const build = isTypeScript(appFile)
    ? `# frank build bundles the app's TypeScript once, here (esbuild is a devDependency), so a pod
# starts from .frank/ without bundling anything and production needs no esbuild.
RUN npm run build --if-present && npx frank build ${JSON.stringify(appFile)} && npm prune --omit=dev`
    : "RUN npm run build --if-present && npm prune --omit=dev";
  return `# syntax=docker/dockerfile:1
# Written by \`frank k8s\`. Build from the project root: docker build -f PATH/TO/THIS/Dockerfile -t IMAGE .

# Build stage: every dependency, the build step if the project has one, then only
# production dependencies are kept.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
${build}

# Run stage: no compilers, no npm cache, files owned by root and only readable by the app.
FROM ${NODE_IMAGE}
WORKDIR /app
ENV APP_ENV=production PORT=${port}
COPY --from=build /app /app
# Numeric, so Kubernetes can check runAsNonRoot; ${RUN_AS_USER} is the image's "node" user.
USER ${RUN_AS_USER}:${RUN_AS_USER}
EXPOSE ${port}
# Exec form: node runs frank as PID 1 and receives SIGTERM itself. A shell form
# (ENTRYPOINT frank ...) or \`npm start\` would sit in between and swallow the signal,
# and Kubernetes would kill the pod mid-request after the grace period.
ENTRYPOINT ["node", "node_modules/frank/bin/frank.js"]
CMD [${JSON.stringify(appFile)}]
`;
}

/**
 * Kept next to the Dockerfile as Dockerfile.dockerignore, which BuildKit reads for that
 * Dockerfile: the host's node_modules must not overwrite the ones built for the image, and
 * local secrets must not end up in it.
 */
export function generateDockerignore(): string {
  return `node_modules
.frank
.git
.env
.env.*
npm-debug.log*
`;
}
