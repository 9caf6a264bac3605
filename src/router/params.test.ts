// PathParams is checked by the compiler (`npm run typecheck`): every expectType line below fails
// to typecheck if the inferred params type drifts. The runtime test keeps the examples honest:
// each pattern really produces params of that shape.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { PathParams } from "./params.js";
import { compilePattern, type RouteParams } from "./pattern.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<_Check extends true>(): void {}

expectType<Equal<PathParams<"/hello/:name">, { name: string }>>();
expectType<Equal<PathParams<"/:foo/:bar">, { foo: string; bar: string }>>();
// biome-ignore lint/complexity/noBannedTypes: a pattern without params has exactly the empty object type
expectType<Equal<PathParams<"/about">, {}>>();
expectType<Equal<PathParams<"/f/*.*">, { splat: string[] }>>();
expectType<Equal<PathParams<"/:name/*">, { name: string; splat: string[] }>>();
expectType<Equal<PathParams<"/:a?">, { a?: string }>>();
expectType<Equal<PathParams<"/{name}">, { name: string }>>();
expectType<Equal<PathParams<"/{+path}">, { path: string }>>();
expectType<Equal<PathParams<"/{+splat}">, { splat: string[] }>>();
expectType<Equal<PathParams<"/*rest">, { rest: string }>>();
expectType<Equal<PathParams<"/posts/:id(.:format)?">, { id: string; format?: string }>>();
expectType<Equal<PathParams<"/{a|b}/:c">, { a?: string; b?: string; c: string }>>();
expectType<Equal<PathParams<"/:a|/x/:b">, { a?: string; b?: string }>>();
expectType<Equal<PathParams<"/:a/:a">, { a: string[] }>>();
expectType<Equal<PathParams<"/\\:name/:id">, { id: string }>>();
expectType<Equal<PathParams<"/user_:id.json">, { id: string }>>();
expectType<Equal<PathParams<string>, RouteParams>>();
expectType<Equal<PathParams<RegExp>["captures"], string[]>>();
expectType<Equal<PathParams<RegExp>["name"], string | string[] | undefined>>();

test("the typed examples match what the patterns produce", () => {
  const name: PathParams<"/hello/:name"> = { name: "frank" };
  assert.deepEqual(compilePattern("/hello/:name").match("/hello/frank"), name);
  const format: PathParams<"/posts/:id(.:format)?"> = { id: "1" };
  assert.deepEqual(compilePattern("/posts/:id(.:format)?").match("/posts/1"), format);
  const splat: PathParams<"/f/*.*"> = { splat: ["a", "txt"] };
  assert.deepEqual(compilePattern("/f/*.*").match("/f/a.txt"), splat);
  const twice: PathParams<"/:a/:a"> = { a: ["x", "y"] };
  assert.deepEqual(compilePattern("/:a/:a").match("/x/y"), twice);
  const regexp: PathParams<RegExp> = { captures: ["2024"], year: "2024" };
  assert.deepEqual(compilePattern(/\/(?<year>\d+)/).match("/2024"), regexp);
});
