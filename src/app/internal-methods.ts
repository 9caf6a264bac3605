// The methods of App and Context that frank calls and apps do not, under symbols that only this
// module names: frank's entry points do not export it and the package's exports map keeps it from
// a deep import, so these methods are out of the public API. A call through a symbol key costs
// what a call through a name does, so the dispatch keeps its speed.

/** Context: applies a handler's result to the response being built. */
export const applyResult = Symbol("frank.applyResult");
/** Context: starts over for an error handler, keeping the headers that do not describe the old body. */
export const startOver = Symbol("frank.startOver");
/** Context: starts over with nothing kept, for the plain 500 after an error handler failed. */
export const resetResponse = Symbol("frank.resetResponse");
/** Context: whether a handler gave a body since the last start over. */
export const answered = Symbol("frank.answered");
/** Context: the Response for everything set so far. */
export const finishResponse = Symbol("frank.finishResponse");
/** App: logs an error with its stack and request. */
export const logError = Symbol("frank.logError");
