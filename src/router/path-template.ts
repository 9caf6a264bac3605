// Sinatra patterns as URL path templates (`/users/{id}`), for OpenAPI documents.
//
// A template has no optional parts or alternatives, so each `?`, `( )` and `|` is expanded into
// the paths it stands for: "/posts/:id(.:format)?" gives "/posts/{id}" and "/posts/{id}.{format}".
// A splat becomes a parameter too ("/files/*" gives "/files/{splat}"): a client that
// percent-encodes the `/` inside its value reaches the same route with the same params, since
// captures are decoded after matching. A name used twice gets a number ("{splat}", "{splat2}").
import { parsePattern, type PatternNode } from "./parse.js";

export interface PathTemplateParam {
  /** The name in the template (unique within it). */
  name: string;
  /** The name in `c.params` ("splat" for an unnamed `*`). */
  capture: string;
  /** A splat: any characters, `/` included. */
  splat: boolean;
}

export interface PathTemplate {
  path: string;
  params: PathTemplateParam[];
}

type Piece = { text: string } | { capture: string; splat: boolean };

/** Characters a path template may hold as they are (RFC 3986 pchar and "/"); others are percent-encoded. */
const PLAIN = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;

/**
 * The path templates a pattern stands for, in the order of its alternatives; a string says why
 * there are none (a pattern that does not start with "/", or more than `limit` expansions).
 */
export function pathTemplates(pattern: string, limit = 16): PathTemplate[] | string {
  const expanded = expand(parsePattern(pattern), limit);
  if (expanded === undefined) return `it expands to more than ${limit} paths`;
  const templates: PathTemplate[] = [];
  const seen = new Set<string>();
  for (const pieces of expanded) {
    const template = render(pieces);
    if (!template.path.startsWith("/")) return 'it does not start with "/"';
    if (!seen.has(template.path)) {
      seen.add(template.path);
      templates.push(template);
    }
  }
  return templates;
}

/** Every sequence of pieces the nodes can match, or undefined past the limit. */
function expand(nodes: readonly PatternNode[], limit: number): Piece[][] | undefined {
  let results: Piece[][] = [[]];
  for (const node of nodes) {
    const options = expandNode(node, limit);
    if (options === undefined || results.length * options.length > limit) return undefined;
    results = results.flatMap((head) => options.map((tail) => [...head, ...tail]));
  }
  return results;
}

function expandNode(node: PatternNode, limit: number): Piece[][] | undefined {
  switch (node.kind) {
    case "separator":
      return [[{ text: "/" }]];
    case "char":
      return [[{ text: node.char }]];
    case "capture":
      return [[{ capture: node.name, splat: false }]];
    case "splat":
      return [[{ capture: node.name ?? "splat", splat: true }]];
    case "group":
      return expand(node.items, limit);
    case "union": {
      const all: Piece[][] = [];
      for (const alternative of node.alternatives) {
        const options = expand(alternative, limit);
        if (options === undefined || all.length + options.length > limit) return undefined;
        all.push(...options);
      }
      return all;
    }
    case "optional": {
      const options = expandNode(node.node, limit);
      return options === undefined || options.length + 1 > limit ? undefined : [[], ...options];
    }
  }
}

function render(pieces: Piece[]): PathTemplate {
  let path = "";
  const params: PathTemplateParam[] = [];
  const used = new Map<string, number>();
  for (const piece of pieces) {
    if ("text" in piece) {
      path += PLAIN.test(piece.text) ? piece.text : encodeURIComponent(piece.text);
      continue;
    }
    const count = (used.get(piece.capture) ?? 0) + 1;
    used.set(piece.capture, count);
    const name = count === 1 ? piece.capture : `${piece.capture}${count}`;
    path += `{${name}}`;
    params.push({ name, capture: piece.capture, splat: piece.splat });
  }
  return { path, params };
}
