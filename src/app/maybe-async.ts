/**
 * Values that are usually ready now and only sometimes a promise. Most routes, filters and
 * conditions answer synchronously; running them without `await` saves an async function and a
 * microtask turn at each step, which is a large share of a small request's cost. These helpers
 * keep going synchronously until a step really returns a promise, then continue after it.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `next(value)` now, or once the promise settles. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** Runs `step(items[i])` in order, synchronously until a step returns a promise. */
export function forEachInOrder<T>(
  items: readonly T[],
  step: (item: T) => MaybePromise<unknown>,
  from = 0,
): MaybePromise<void> {
  for (let i = from; i < items.length; i++) {
    const done = step(items[i]);
    if (done instanceof Promise) return done.then(() => forEachInOrder(items, step, i + 1));
  }
}
