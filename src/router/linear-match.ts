// Matching in time linear in the path, with the captures a backtracking engine would give.
//
// A pattern's regex tree (regex-tree.ts) becomes a small program of instructions, as in
// Thompson's construction. Whether the end of the program can be reached from instruction `pc`
// at position `pos` depends only on (pc, pos), never on how the match got there (the language
// has no back-references), so each pair is decided once and remembered: at most
// instructions × (path length + 1) decisions per match. The captures then follow the path a
// backtracking engine would take, choosing at each fork the first branch that can still reach
// the end. A negative look-ahead is a program of its own (in the same instruction list, ending
// in its own MATCH), asked about each position at most once.
//
// V8's engine backtracks: `/*/*/*/edit` against a long path of slashes tries every split of it,
// which grows with the cube of its length. Here that path costs a few instructions per character.
import type { RegexTree } from "./regex-tree.js";

// Instruction codes. `a` and `b` are their operands.
const TEXT = 0; // a: index in texts; matches that text
const SET = 1; // a: index in sets; matches one code unit
const SPLIT = 2; // try a, then b
const JUMP = 3; // go to a
const SAVE = 4; // a: capture slot; records the position
const NOT_AHEAD = 5; // a: first instruction of a look-ahead; passes when it cannot match here
const END = 6; // passes at the end of the input
const MATCH = 7;

interface CharSet {
  readonly codes: readonly number[];
  readonly negated: boolean;
}

interface Program {
  readonly ops: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly texts: readonly string[];
  readonly sets: readonly CharSet[];
}

// What is known of a pair (pc, pos).
const UNKNOWN = 0;
const REACHES = 1;
const FAILS = 2;
const VISITING = 3;

// Matching is synchronous and never re-entered, so every match shares one stack and one block
// of memory (cleared per match): allocating typed arrays per match would cost more than matching.
/** Larger blocks are allocated for the one match that needs them, then dropped. */
const MAX_SHARED_BYTES = 1024 * 1024;
let sharedMemory: Uint8Array = new Uint8Array(16 * 1024);
/** pc, position and successors tried, for each pair on the depth-first stack */
const SMALL_STACK = 3 * 256;
let sharedStack: Int32Array = new Int32Array(SMALL_STACK);

/** A compiled tree: `exec` gives, like RegExp's, the whole match and each capture (undefined when it took no part). */
export class LinearMatcher {
  readonly #program: Program;
  readonly #captures: number;
  /** Text every match starts with (the pattern's literal beginning): a cheap early "no". */
  readonly #prefix: string;

  constructor(tree: RegexTree) {
    const compiler = new Compiler();
    compiler.compile(tree);
    this.#program = compiler.program();
    this.#captures = compiler.captures;
    this.#prefix = literalPrefix(this.#program);
  }

  /** Anchored at the start; at the end only where the tree says so (END). */
  exec(input: string): (string | undefined)[] | null {
    if (!input.startsWith(this.#prefix)) return null;
    // A hostile path may have grown the stack; it is not kept past the match that needed it.
    if (sharedStack.length * 4 > MAX_SHARED_BYTES) sharedStack = new Int32Array(SMALL_STACK);
    const program = this.#program;
    const width = input.length + 1;
    const size = program.ops.length * width;
    let memory = sharedMemory;
    if (size > memory.length) {
      memory = new Uint8Array(size);
      if (size <= MAX_SHARED_BYTES) sharedMemory = memory;
    } else {
      memory.fill(UNKNOWN, 0, size);
    }
    if (!reaches(program, memory, input, 0, 0)) return null;

    const slots: number[] = new Array(this.#captures * 2).fill(-1);
    const { ops, a, b, texts } = program;
    let pc = 0;
    let pos = 0;
    for (;;) {
      switch (ops[pc]) {
        case MATCH: {
          const found: (string | undefined)[] = [input.slice(0, pos)];
          for (let i = 0; i < this.#captures; i++) {
            const start = slots[2 * i];
            found.push(start === -1 ? undefined : input.slice(start, slots[2 * i + 1]));
          }
          return found;
        }
        case TEXT:
          pos += texts[a[pc]].length;
          pc++;
          break;
        case SET:
          pos++;
          pc++;
          break;
        case SPLIT: {
          // The first branch when it can still reach the end: what backtracking would take.
          const known = memory[a[pc] * width + pos];
          const first = known === REACHES || (known !== FAILS && reaches(program, memory, input, a[pc], pos));
          pc = first ? a[pc] : b[pc];
          break;
        }
        case JUMP:
          pc = a[pc];
          break;
        case SAVE:
          slots[a[pc]] = pos;
          pc++;
          break;
        default:
          // NOT_AHEAD and END: reaches() proved they pass here.
          pc++;
      }
    }
  }
}

/**
 * Can MATCH be reached from instruction `startPc` at position `startPos`? Depth-first over the
 * successors of each pair in priority order, on an explicit stack (paths may be long); a pair is
 * decided when one successor reaches (so does every pair below it on the stack) or all fail.
 */
function reaches(program: Program, memory: Uint8Array, input: string, startPc: number, startPos: number): boolean {
  const width = input.length + 1;
  const known = memory[startPc * width + startPos];
  if (known === REACHES || known === FAILS) return known === REACHES;
  const { ops, a, b, texts, sets } = program;
  const length = input.length;
  const base = stackTop;
  let stack = sharedStack;
  let top = base;
  if (3 * top + 3 > stack.length) stack = growStack();
  stack[3 * top] = startPc;
  stack[3 * top + 1] = startPos;
  stack[3 * top + 2] = 0;
  memory[startPc * width + startPos] = VISITING;
  let reached = false;
  while (top >= base) {
    const pc = stack[3 * top];
    const pos = stack[3 * top + 1];
    const tried = stack[3 * top + 2]++;
    let nextPc = -1;
    let nextPos = pos;
    switch (ops[pc]) {
      case MATCH:
        reached = true;
        break;
      case TEXT:
        if (tried === 0 && input.startsWith(texts[a[pc]], pos)) {
          nextPc = pc + 1;
          nextPos = pos + texts[a[pc]].length;
        }
        break;
      case SET:
        if (tried === 0 && pos < length) {
          const set = sets[a[pc]];
          if (set.codes.includes(input.charCodeAt(pos)) !== set.negated) {
            nextPc = pc + 1;
            nextPos = pos + 1;
          }
        }
        break;
      case SPLIT:
        nextPc = tried === 0 ? a[pc] : tried === 1 ? b[pc] : -1;
        break;
      case JUMP:
        if (tried === 0) nextPc = a[pc];
        break;
      case SAVE:
        if (tried === 0) nextPc = pc + 1;
        break;
      case END:
        if (tried === 0 && pos === length) nextPc = pc + 1;
        break;
      case NOT_AHEAD:
        if (tried === 0) {
          stackTop = top + 1;
          if (!reaches(program, memory, input, a[pc], pos)) nextPc = pc + 1;
          stack = sharedStack; // the look-ahead may have grown it
        }
        break;
    }
    if (reached) break;
    if (nextPc === -1) {
      memory[pc * width + pos] = FAILS;
      top--;
      continue;
    }
    const next = nextPc * width + nextPos;
    const state = memory[next];
    if (state === REACHES) {
      reached = true;
      break;
    }
    // FAILS, or VISITING (a loop that consumed nothing, which the tree forbids): not this way.
    if (state !== UNKNOWN) continue;
    memory[next] = VISITING;
    top++;
    if (3 * top + 3 > stack.length) {
      stackTop = top;
      stack = growStack();
    }
    stack[3 * top] = nextPc;
    stack[3 * top + 1] = nextPos;
    stack[3 * top + 2] = 0;
  }
  if (reached) for (let i = base; i <= top; i++) memory[stack[3 * i] * width + stack[3 * i + 1]] = REACHES;
  stackTop = base;
  return reached;
}

/** The text the main program matches first, before any fork: what every match starts with. */
function literalPrefix(program: Program): string {
  let prefix = "";
  for (let pc = 0; pc < program.ops.length; pc++) {
    const op = program.ops[pc];
    if (op === TEXT) prefix += program.texts[program.a[pc]];
    else if (op !== SAVE) break;
  }
  return prefix;
}

/** Where a look-ahead's search starts on the shared stack: above the search that asked. */
let stackTop = 0;

function growStack(): Int32Array {
  const grown = new Int32Array(sharedStack.length * 2);
  grown.set(sharedStack);
  sharedStack = grown;
  return grown;
}

/**
 * Thompson's construction; captures are numbered in the order their "(" appears, as in RegExp.
 * A look-ahead's program follows the main one in the same list.
 */
class Compiler {
  captures = 0;
  readonly #ops: number[] = [];
  readonly #a: number[] = [];
  readonly #b: number[] = [];
  readonly #texts: string[] = [];
  readonly #sets: CharSet[] = [];
  /** look-aheads still to compile, with the NOT_AHEAD instruction that will point at them */
  readonly #pending: Array<{ tree: RegexTree; instruction: number }> = [];

  /** Compiles `tree` as the main program, then every look-ahead it holds. */
  compile(tree: RegexTree): void {
    this.#emitProgram(tree, true);
    while (this.#pending.length > 0) {
      const { tree: ahead, instruction } = this.#pending.shift()!;
      this.#a[instruction] = this.#ops.length;
      this.#emitProgram(ahead, false);
    }
  }

  program(): Program {
    return {
      ops: Uint8Array.from(this.#ops),
      a: Int32Array.from(this.#a),
      b: Int32Array.from(this.#b),
      texts: this.#texts,
      sets: this.#sets,
    };
  }

  #emit(op: number, first = 0, second = 0): number {
    this.#ops.push(op);
    this.#a.push(first);
    this.#b.push(second);
    return this.#ops.length - 1;
  }

  #emitProgram(tree: RegexTree, capturing: boolean): void {
    this.#visit(tree, capturing);
    this.#emit(MATCH);
  }

  #visit(node: RegexTree, capturing: boolean): void {
    const ops = this.#ops;
    const a = this.#a;
    const b = this.#b;
    switch (node.kind) {
      case "text":
        if (node.text !== "") this.#emit(TEXT, this.#texts.push(node.text) - 1);
        return;
      case "set": {
        const codes = [...node.chars].map((char) => char.charCodeAt(0));
        this.#emit(SET, this.#sets.push({ codes, negated: node.negated }) - 1);
        return;
      }
      case "sequence":
        for (const item of node.items) this.#visit(item, capturing);
        return;
      case "alternatives": {
        // Each option but the last: a fork into it or on to the next, and a jump past the rest.
        const jumps: number[] = [];
        const last = node.options.length - 1;
        for (let i = 0; i < last; i++) {
          const fork = this.#emit(SPLIT, ops.length + 1);
          this.#visit(node.options[i], capturing);
          jumps.push(this.#emit(JUMP));
          b[fork] = ops.length;
        }
        this.#visit(node.options[last], capturing);
        for (const jump of jumps) a[jump] = ops.length;
        return;
      }
      case "optional": {
        const fork = this.#emit(SPLIT, ops.length + 1);
        this.#visit(node.item, capturing);
        b[fork] = ops.length;
        return;
      }
      case "repeat": {
        const start = ops.length;
        if (node.min === 1) {
          // The item, then a fork back to it or on.
          this.#visit(node.item, capturing);
          const after = ops.length + 1;
          if (node.greedy) this.#emit(SPLIT, start, after);
          else this.#emit(SPLIT, after, start);
          return;
        }
        // A fork into the item (which jumps back to the fork) or past it.
        const fork = this.#emit(SPLIT);
        this.#visit(node.item, capturing);
        this.#emit(JUMP, start);
        const body = start + 1;
        const after = ops.length;
        a[fork] = node.greedy ? body : after;
        b[fork] = node.greedy ? after : body;
        return;
      }
      case "capture": {
        if (!capturing) {
          this.#visit(node.item, capturing);
          return;
        }
        const slot = this.captures++ * 2;
        this.#emit(SAVE, slot);
        this.#visit(node.item, capturing);
        this.#emit(SAVE, slot + 1);
        return;
      }
      case "notAhead":
        this.#pending.push({ tree: node.item, instruction: this.#emit(NOT_AHEAD) });
        return;
      case "end":
        this.#emit(END);
        return;
    }
  }
}
