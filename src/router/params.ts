// Route params typed from the pattern string, so `c.params.name` is known for "/hello/:name".
//
// The type reads the same syntax as parse.ts: `:name`, `*`, `*name`, `{name}`, `{+name}`,
// `{+splat}`, `{a|b}`, `?`, `( )`, `|` and `\x` escapes. It errs on the side of "maybe absent":
// a name inside parentheses, behind `?`, or in a pattern with a top-level `|` is optional.
// A name used twice is a string[]; `splat` is always a string[].
import type { RouteParams } from "./pattern.js";

export type PathParams<P extends string | RegExp> = P extends string
  ? string extends P
    ? RouteParams
    : ParamsFrom<Scan<P, [], [], false>>
  : RegExpParams;

/** A RegExp route: numbered groups in order, named groups also by name. */
export type RegExpParams = { captures: string[]; [name: string]: string | string[] | undefined };

type Lower =
  | "a"
  | "b"
  | "c"
  | "d"
  | "e"
  | "f"
  | "g"
  | "h"
  | "i"
  | "j"
  | "k"
  | "l"
  | "m"
  | "n"
  | "o"
  | "p"
  | "q"
  | "r"
  | "s"
  | "t"
  | "u"
  | "v"
  | "w"
  | "x"
  | "y"
  | "z";
type Digit = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";
type WordChar = Lower | Uppercase<Lower> | Digit | "_";

/** [name, optional, kind] for every capture met while scanning */
type Entry = [name: string, optional: boolean, kind: "named" | "splat"];

type ReadWord<S extends string, Name extends string = ""> = S extends `${infer C}${infer Rest}`
  ? C extends WordChar
    ? ReadWord<Rest, `${Name}${C}`>
    : [Name, S]
  : [Name, S];

/** After a capture: a `?` suffix makes it optional and is consumed. */
type Suffixed<Rest extends string, InGroup extends boolean> = Rest extends `?${infer After}`
  ? [true, After]
  : [InGroup, Rest];

type InGroup<Depth extends unknown[]> = Depth extends [] ? false : true;

type Alternatives<Body extends string> = Body extends `${infer Name}|${infer More}`
  ? [[Name, true, "named"], ...Alternatives<More>]
  : [[Body, true, "named"]];

type Scan<
  S extends string,
  Depth extends unknown[],
  Found extends Entry[],
  TopAlternation extends boolean,
> = S extends `\\${string}`
  ? S extends `\\${infer _Escaped}${infer Rest}`
    ? Scan<Rest, Depth, Found, TopAlternation>
    : Found
  : S extends `:${infer Rest}`
    ? ReadWord<Rest> extends [infer Name extends string, infer After extends string]
      ? Suffixed<After, InGroup<Depth>> extends [infer Optional extends boolean, infer Next extends string]
        ? Scan<Next, Depth, [...Found, [Name, Optional, "named"]], TopAlternation>
        : never
      : never
    : S extends `*${infer Rest}`
      ? ReadWord<Rest> extends [infer Name extends string, infer After extends string]
        ? Name extends ""
          ? Scan<After, Depth, [...Found, ["splat", false, "splat"]], TopAlternation>
          : Suffixed<After, InGroup<Depth>> extends [infer Optional extends boolean, infer Next extends string]
            ? Scan<Next, Depth, [...Found, [Name, Optional, "named"]], TopAlternation>
            : never
        : never
      : S extends `{+${infer Name}}${infer Rest}`
        ? Name extends "splat"
          ? Scan<Rest, Depth, [...Found, ["splat", false, "splat"]], TopAlternation>
          : Suffixed<Rest, InGroup<Depth>> extends [infer Optional extends boolean, infer Next extends string]
            ? Scan<Next, Depth, [...Found, [Name, Optional, "named"]], TopAlternation>
            : never
        : S extends `{${infer Body}}${infer Rest}`
          ? Body extends `${string}|${string}`
            ? Scan<Rest, Depth, [...Found, ...Alternatives<Body>], TopAlternation>
            : Suffixed<Rest, InGroup<Depth>> extends [infer Optional extends boolean, infer Next extends string]
              ? Scan<Next, Depth, [...Found, [Body, Optional, "named"]], TopAlternation>
              : never
          : S extends `(${infer Rest}`
            ? Scan<Rest, [...Depth, unknown], Found, TopAlternation>
            : S extends `)${infer Rest}`
              ? Scan<Rest, Depth extends [unknown, ...infer Outer] ? Outer : [], Found, TopAlternation>
              : S extends `|${infer Rest}`
                ? Scan<Rest, Depth, Found, Depth extends [] ? true : TopAlternation>
                : S extends `${string}${infer Rest}`
                  ? Scan<Rest, Depth, Found, TopAlternation>
                  : TopAlternation extends true
                    ? { [I in keyof Found]: [Found[I][0], true, Found[I][2]] }
                    : Found;

type Named<E extends Entry[]> = E[number] extends infer X
  ? X extends [infer N extends string, boolean, "named"]
    ? N
    : never
  : never;
type RequiredNamed<E extends Entry[]> = E[number] extends infer X
  ? X extends [infer N extends string, false, "named"]
    ? N
    : never
  : never;

type Occurrences<E extends Entry[], Name extends string, Count extends unknown[] = []> = E extends [
  infer Head extends Entry,
  ...infer Tail extends Entry[],
]
  ? Occurrences<Tail, Name, [Name] extends [Head[0]] ? ([Head[0]] extends [Name] ? [...Count, unknown] : Count) : Count>
  : Count["length"];

type ValueOf<E extends Entry[], Name extends string> = Occurrences<E, Name> extends 0 | 1 ? string : string[];

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ParamsFrom<E> = E extends Entry[]
  ? Simplify<
      { [N in RequiredNamed<E>]: ValueOf<E, N> } & { [N in Exclude<Named<E>, RequiredNamed<E>>]?: ValueOf<E, N> } & ([
          Extract<E[number], [string, boolean, "splat"]>,
        ] extends [never]
          ? unknown
          : { splat: string[] })
    >
  : never;
