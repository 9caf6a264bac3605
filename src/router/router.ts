// The route table. Routes match in definition order; the first match wins, and `match`
// yields every further match lazily so a framework's `pass` can move on to the next one.
//
// Speed without giving up that order: per method, candidate lists are precomputed, already
// sorted by definition order, so a lookup reads a Map or two and tries only routes that
// could match:
// - dynamic routes hang in a tree keyed by their fixed leading segments ("/api/users/:id"
//   under api → users); a path walks that tree as far as its segments lead, and the node
//   it stops at lists its own routes and those of every node above it;
// - a path equal to a literal route's path gets that route merged with the list of the
//   node its walk reaches.
import { compileMatcher, preparePath, type PreparedMatcher, type RouteParams } from "./pattern.js";

export interface RouteMatch<T> {
  readonly value: T;
  readonly params: RouteParams;
}

export interface RouteDefinition<T> {
  readonly method: string;
  readonly pattern: string | RegExp;
  readonly value: T;
}

interface Route<T> extends RouteDefinition<T> {
  readonly index: number;
  readonly matcher: PreparedMatcher;
}

interface PrefixNode<T> {
  /** the routes registered here and at every node above, in definition order */
  candidates: readonly Route<T>[];
  readonly own: Route<T>[];
  readonly children: Map<string, PrefixNode<T>>;
}

interface MethodTable<T> {
  readonly byLiteral: Map<string, readonly Route<T>[]>;
  readonly root: PrefixNode<T>;
}

export class Router<T> {
  private readonly strictPaths: boolean;
  private readonly definitions: Route<T>[] = [];
  /** built on the first match after a route was added */
  private tables: Map<string, MethodTable<T>> | undefined;

  constructor(options: { strictPaths?: boolean } = {}) {
    this.strictPaths = options.strictPaths ?? true;
  }

  /** Compiles the pattern now, so a malformed one throws PatternError at definition time. */
  add(method: string, pattern: string | RegExp, value: T): void {
    const matcher = compileMatcher(pattern, { strictPaths: this.strictPaths });
    this.definitions.push({ method: method.toUpperCase(), pattern, value, index: this.definitions.length, matcher });
    this.tables = undefined;
  }

  /**
   * Every route matching, lazily, in definition order. The result is an IterableIterator:
   * call `next()` for the first match and again after a `pass`, or use it in `for...of`.
   * `path` is the raw, still percent-encoded pathname. Iterating throws MalformedPathError
   * (status 400) when a matching route captures a malformed escape.
   */
  match(method: string, path: string): IterableIterator<RouteMatch<T>> {
    const tables = this.tables ?? this.buildTables();
    const table = tables.get(method) ?? tables.get(method.toUpperCase());
    if (table === undefined) return new RouteMatches<T>(NO_ROUTES, path);
    const canonical = preparePath(path, this.strictPaths);
    const candidates = table.byLiteral.get(canonical) ?? deepestNode(table.root, canonical).candidates;
    return new RouteMatches(candidates, canonical);
  }

  routes(): ReadonlyArray<RouteDefinition<T>> {
    return this.definitions.map(({ method, pattern, value }) => ({ method, pattern, value }));
  }

  private buildTables(): Map<string, MethodTable<T>> {
    const byMethod = new Map<string, Route<T>[]>();
    for (const route of this.definitions) {
      const routes = byMethod.get(route.method) ?? [];
      routes.push(route);
      byMethod.set(route.method, routes);
    }
    const tables = new Map<string, MethodTable<T>>();
    for (const [method, routes] of byMethod) tables.set(method, buildTable(routes));
    this.tables = tables;
    return tables;
  }
}

function buildTable<T>(routes: readonly Route<T>[]): MethodTable<T> {
  const root = prefixNode<T>();
  const literal = new Map<string, Route<T>[]>();
  for (const route of routes) {
    const path = route.matcher.literal;
    if (path !== undefined) {
      const exact = literal.get(path);
      if (exact) exact.push(route);
      else literal.set(path, [route]);
      continue;
    }
    let node = root;
    for (const segment of route.matcher.prefixSegments) {
      let child = node.children.get(segment);
      if (child === undefined) node.children.set(segment, (child = prefixNode()));
      node = child;
    }
    node.own.push(route);
  }
  inheritCandidates(root, []);
  const byLiteral = new Map<string, readonly Route<T>[]>();
  for (const [path, exact] of literal) byLiteral.set(path, inOrder(exact, deepestNode(root, path).candidates));
  return { byLiteral, root };
}

function prefixNode<T>(): PrefixNode<T> {
  return { candidates: [], own: [], children: new Map() };
}

function inheritCandidates<T>(node: PrefixNode<T>, above: readonly Route<T>[]): void {
  node.candidates = node.own.length === 0 ? above : inOrder(above, node.own);
  for (const child of node.children.values()) inheritCandidates(child, node.candidates);
}

/** Follows the path's segments down the tree as far as they lead. */
function deepestNode<T>(root: PrefixNode<T>, path: string): PrefixNode<T> {
  let node = root;
  if (path.charCodeAt(0) !== 47 /* "/" */) return node;
  let start = 1;
  while (node.children.size > 0) {
    const end = path.indexOf("/", start);
    const child = node.children.get(end === -1 ? path.slice(start) : path.slice(start, end));
    if (child === undefined) break;
    node = child;
    if (end === -1) break;
    start = end + 1;
  }
  return node;
}

function inOrder<T>(...lists: (readonly Route<T>[])[]): readonly Route<T>[] {
  return lists.flat().sort((a, b) => a.index - b.index);
}

const NO_ROUTES: readonly Route<never>[] = [];

/** Walks one candidate list, trying each route against the prepared path. */
class RouteMatches<T> implements IterableIterator<RouteMatch<T>> {
  private next_ = 0;

  constructor(
    private readonly candidates: readonly Route<T>[],
    private readonly canonical: string,
  ) {}

  next(): IteratorResult<RouteMatch<T>, undefined> {
    const candidates = this.candidates;
    while (this.next_ < candidates.length) {
      const route = candidates[this.next_++];
      const params = route.matcher.matchPrepared(this.canonical);
      if (params !== null) return { done: false, value: { value: route.value, params } };
    }
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): IterableIterator<RouteMatch<T>> {
    return this;
  }
}
