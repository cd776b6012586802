/**
 * A parser for the subset of Python literals that NumPy writes into .npy headers: dicts, tuples,
 * lists, strings, integers, True/False/None. The header is data, so it is parsed, never evaluated.
 */
import { quote } from './quote';

export type PyValue = string | number | boolean | null | PyValue[] | PyTuple | PyDict;

/** A Python tuple, kept apart from lists because `shape` must be a tuple. */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** A Python dict with string keys, in insertion order. */
export class PyDict {
  constructor(readonly entries: Map<string, PyValue>) {}
}

/**
 * The deepest nesting of dicts, tuples and lists accepted (NumPy writes 2 or 3 levels): deeper
 * input is refused before the recursive parser could run out of stack.
 */
export const MAX_NESTING = 64;

/** Parses one Python literal; throws an Error naming the offending position. */
export function parsePyLiteral(text: string): PyValue {
  const p = new Parser(text);
  const value = p.value();
  p.skipSpace();
  if (!p.atEnd()) p.fail('unexpected text after the literal');
  return value;
}

class Parser {
  private pos = 0;
  private depth = 0; // dicts, tuples and lists open around the position
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.pos >= this.s.length;
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.s[this.pos])) this.pos++;
  }

  fail(what: string): never {
    throw new Error(`${what} at character ${this.pos}`);
  }

  value(): PyValue {
    this.skipSpace();
    const c = this.s[this.pos];
    if (c === '{' || c === '(' || c === '[') {
      if (this.depth >= MAX_NESTING) this.fail(`nesting too deep (more than ${MAX_NESTING} levels)`);
      this.depth++;
      const v = c === '{' ? this.dict() : this.sequence(c === '(' ? ')' : ']');
      this.depth--;
      return v;
    }
    if (c === "'" || c === '"') return this.string();
    if (c === '-' || c === '+' || (c >= '0' && c <= '9')) return this.integer();
    for (const [word, v] of [
      ['True', true],
      ['False', false],
      ['None', null],
    ] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    return this.fail(
      this.atEnd() ? 'unexpected end' : `unexpected ${quote(String.fromCodePoint(this.s.codePointAt(this.pos) ?? 0))}`,
    );
  }

  private dict(): PyDict {
    const entries = new Map<string, PyValue>();
    this.pos++; // '{'
    for (;;) {
      this.skipSpace();
      if (this.s[this.pos] === '}') break;
      const key = this.value();
      if (typeof key !== 'string') this.fail('dict key is not a string');
      this.skipSpace();
      if (this.s[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      if (entries.has(key)) this.fail(`duplicate key ${quote(key)}`);
      entries.set(key, this.value());
      this.skipSpace();
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== '}') this.fail("expected ',' or '}'");
    }
    this.pos++;
    return new PyDict(entries);
  }

  /** A tuple or list; `(x)` without a comma is just `x`, as in Python. */
  private sequence(close: ')' | ']'): PyValue {
    const items: PyValue[] = [];
    let comma = false;
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.s[this.pos] === close) break;
      items.push(this.value());
      this.skipSpace();
      if (this.s[this.pos] === ',') {
        this.pos++;
        comma = true;
      } else if (this.s[this.pos] !== close) this.fail(`expected ',' or '${close}'`);
    }
    this.pos++;
    if (close === ']') return items;
    return items.length === 1 && !comma ? items[0] : new PyTuple(items);
  }

  private string(): string {
    const quote = this.s[this.pos++];
    let out = '';
    while (!this.atEnd() && this.s[this.pos] !== quote) {
      let c = this.s[this.pos++];
      if (c === '\\') {
        if (this.atEnd()) break;
        c = this.s[this.pos++]; // NumPy's descr strings need no escape beyond \' and \\
      }
      out += c;
    }
    if (this.atEnd()) this.fail('unterminated string');
    this.pos++;
    return out;
  }

  private integer(): number {
    const m = /^[-+]?\d+L?/.exec(this.s.slice(this.pos)); // "L": Python 2 long, seen in old files
    if (!m || /^[-+]?\d+L?[.eE]/.test(this.s.slice(this.pos))) this.fail('expected an integer');
    this.pos += m[0].length;
    const n = Number(m[0].replace('L', ''));
    if (!Number.isSafeInteger(n)) this.fail(`integer ${m[0]} is too large`);
    return n;
  }
}
