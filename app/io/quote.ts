/**
 * File content in one-line messages. `quote` shows text read from a file with its control characters
 * (C0, DEL, C1), the Unicode line and paragraph separators and the backslash escaped JSON-style
 * (`\n`, `\r`, `\t`, `\u0000`, `\u2028`, `\\`), so that what is shown is unambiguous and never
 * breaks the line; `flattenControls` is the last line of defence for a whole message.
 */

const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/g; // eslint-disable-line no-control-regex
const SHORT: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with its control characters, line and paragraph separators and backslashes escaped. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => SHORT[c] ?? unicodeEscape(c));
}

/** The longest file text quoted whole; longer text is cut there and ends with '…'. */
export const QUOTE_MAX = 80;

/** `text` (file content) in single quotes, escaped, and cut after QUOTE_MAX characters. */
export function quote(text: string): string {
  let shown = text;
  if (text.length > QUOTE_MAX) {
    const end = /[\ud800-\udbff]/.test(text[QUOTE_MAX - 1]) ? QUOTE_MAX - 1 : QUOTE_MAX; // not inside a pair
    shown = text.slice(0, end) + '…';
  }
  return `'${escapeControls(shown)}'`;
}

const LINE_BREAK = /\s*[\n\r\v\f\u0085\u2028\u2029]\s*/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g; // eslint-disable-line no-control-regex

/**
 * A message made one line, whatever it holds: a line break (CR, LF, VT, FF, NEL, U+2028, U+2029)
 * and the whitespace around it become one space, a tab a space, and other control characters are
 * escaped (`\u0000`). Backslashes are left alone: text already escaped by `quote` reads the same.
 */
export function flattenControls(text: string): string {
  return text.replace(LINE_BREAK, ' ').replace(CONTROL, (c) => (c === '\t' ? ' ' : unicodeEscape(c)));
}
