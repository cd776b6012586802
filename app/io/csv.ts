import { quote } from './quote';

/**
 * A table of numbers from CSV text: one row per line, values separated by commas, semicolons,
 * tabs or spaces. Blank lines and lines starting with `#` are skipped; a first line that is not
 * all numbers is taken as a header. Throws an Error naming the line for ragged rows or
 * non-numeric values.
 */
export function readCsv(text: string): { data: Float64Array; shape: [number, number] } {
  const values: number[] = [];
  let columns = -1;
  let rows = 0;
  let first = true;
  const lines = text.split(/\r?\n/);
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l].trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s*[,;\t ]\s*/);
    const numbers = fields.map((f) => (f === '' ? NaN : Number(f)));
    const bad = numbers.findIndex((v, i) => Number.isNaN(v) && !/^nan$/i.test(fields[i]));
    if (bad >= 0) {
      if (first) {
        first = false;
        continue; // a header
      }
      throw new Error(`line ${l + 1}: ${quote(fields[bad])} is not a number`);
    }
    first = false;
    if (columns < 0) columns = numbers.length;
    else if (numbers.length !== columns)
      throw new Error(`line ${l + 1}: ${numbers.length} values, expected ${columns} like the rows above`);
    for (const v of numbers) values.push(v); // not push(...numbers): a wide row would overflow the stack
    rows++;
  }
  if (rows === 0) throw new Error('no rows of numbers');
  return { data: Float64Array.from(values), shape: [rows, columns] };
}
