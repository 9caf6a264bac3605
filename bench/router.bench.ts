/**
 * `npm run bench:router`: route matching alone, frank's Router against find-my-way (Fastify's
 * router) and Hono's RegExpRouter, with 50 and 1,000 routes.
 *
 * Each table holds n routes, half static (`/page{i}/about`) and half with parameters
 * (`/res{i}/:id/items/:item`); a second set puts every route under one shared prefix
 * (`/api/v1/res{i}/...`), the shape of a real API. One iteration looks up the same eight
 * paths spread over the table, so numbers are per eight lookups. Every router is first
 * checked to answer each path with the right route and params.
 *
 * What each call returns differs: frank yields the first match with decoded params (and can
 * go on to the next match for `pass`); find-my-way returns the handler with decoded params;
 * Hono returns handler indexes and raw param values, decoded later by its Context.
 */
import assert from "node:assert/strict";
import FindMyWay from "find-my-way";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { bench, do_not_optimize, group, run } from "mitata";
import { Router } from "../src/router/router.js";

type Kind = "static" | "param";
interface Table {
  readonly label: string;
  readonly routes: { path: string; kind: Kind; id: number }[];
  /** the paths looked up, with the route id and params each must give */
  readonly lookups: Record<Kind, { path: string; id: number; params: Record<string, string> }[]>;
}

function table(size: number, prefix: string): Table {
  const routes: Table["routes"] = [];
  for (let i = 0; i < size / 2; i++) {
    routes.push({ path: `${prefix}/page${i}/about`, kind: "static", id: routes.length });
    routes.push({ path: `${prefix}/res${i}/:id/items/:item`, kind: "param", id: routes.length });
  }
  const picks = [0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1].map((at) =>
    Math.min(size / 2 - 1, Math.floor((at * size) / 2)),
  );
  return {
    label: `${size} routes${prefix === "" ? "" : `, all under ${prefix}`}`,
    routes,
    lookups: {
      static: picks.map((i) => ({ path: `${prefix}/page${i}/about`, id: 2 * i, params: {} })),
      param: picks.map((i) => ({
        path: `${prefix}/res${i}/${1000 + i}/items/x${i}`,
        id: 2 * i + 1,
        params: { id: `${1000 + i}`, item: `x${i}` },
      })),
    },
  };
}

type Lookup = (path: string) => unknown;

function routers(
  routes: Table["routes"],
): Record<string, { lookup: Lookup; check: (path: string) => [number, Record<string, string>] }> {
  const frank = new Router<number>();
  const fmw = FindMyWay();
  const hono = new RegExpRouter<number>();
  for (const { path, id } of routes) {
    frank.add("GET", path, id);
    fmw.on("GET", path, () => {}, { id });
    hono.add("GET", path, id);
  }
  return {
    frank: {
      lookup: (path) => frank.match("GET", path).next().value,
      check: (path) => {
        const found = frank.match("GET", path).next().value!;
        return [found.value, { ...found.params } as Record<string, string>];
      },
    },
    "find-my-way": {
      lookup: (path) => fmw.find("GET", path),
      check: (path) => {
        const found = fmw.find("GET", path)!;
        return [(found.store as { id: number }).id, { ...found.params } as Record<string, string>];
      },
    },
    "hono RegExpRouter": {
      lookup: (path) => hono.match("GET", path),
      check: (path) => {
        const [[[id, indexes]], stash] = hono.match("GET", path) as [[number, Record<string, number>][], string[]];
        const params: Record<string, string> = {};
        for (const name in indexes) params[name] = stash[indexes[name]];
        return [id, params];
      },
    },
  };
}

const tables = [table(50, ""), table(1000, ""), table(50, "/api/v1"), table(1000, "/api/v1")];
const names = ["frank", "find-my-way", "hono RegExpRouter"];

for (const t of tables) {
  const contenders = routers(t.routes);
  for (const kind of ["static", "param"] as const) {
    const paths = t.lookups[kind].map((lookup) => lookup.path);
    for (const [name, router] of Object.entries(contenders)) {
      for (const lookup of t.lookups[kind]) {
        assert.deepEqual(router.check(lookup.path), [lookup.id, lookup.params], `${name} on ${lookup.path}`);
      }
    }
    group(`${t.label}: ${kind}`, () => {
      for (const name of names) {
        const lookup = contenders[name].lookup;
        bench(`${t.label}: ${kind}: ${name}`, () => {
          for (let i = 0; i < paths.length; i++) do_not_optimize(lookup(paths[i]));
        });
      }
    });
  }
}

const { benchmarks } = await run({ format: "quiet" });
const average = new Map(benchmarks.map((trial) => [trial.alias, trial.runs[0].stats?.avg ?? NaN]));

const rows: string[][] = [["routes", "lookups", ...names.map((name) => `${name} (ns/lookup)`), "frank / find-my-way"]];
for (const t of tables) {
  for (const kind of ["static", "param"] as const) {
    const perLookup = names.map((name) => average.get(`${t.label}: ${kind}: ${name}`)! / t.lookups[kind].length);
    rows.push([t.label, kind, ...perLookup.map((ns) => ns.toFixed(1)), `${(perLookup[0] / perLookup[1]).toFixed(2)}x`]);
  }
}
const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
console.log(line(rows[0]));
console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
for (const row of rows.slice(1)) console.log(line(row));
console.log(
  `\nnode ${process.version}; averages from mitata; lower is better; goal: frank within 1.5x of find-my-way at 1,000 routes`,
);
