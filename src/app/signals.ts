/**
 * Control flow of the DSL, as Sinatra's throw/catch: `halt` stops the request with a response,
 * `pass` moves to the next matching route. They are thrown and caught by the App, never seen outside.
 */
export class Halt {
  constructor(readonly result: unknown) {}
}

export class Pass {}
