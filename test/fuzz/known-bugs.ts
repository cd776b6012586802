import { CHECK_KNOWN_BUGS } from './config';

/**
 * Input categories on which a fuzz property is known to fail, each with a one-line summary. Empty
 * now: every bug the fuzzing found has been fixed, and every property checks every case.
 *
 * To park a bug found by a property until it is fixed:
 * 1. add an entry here, for example `'csv-wide-rows': 'readCsv overflows the stack on 70,000 columns'`;
 * 2. in the property, before its checks (which stay unchanged), leave the category's cases out:
 *    `if (columns > 60_000 && skipKnown('csv-wide-rows')) return;`, or pass an id computed from the
 *    case (`skipKnown(categoryOf(c))`, undefined for none);
 * 3. at the end of the test file, `knownBugTests({ 'csv-wide-rows': async () => … })`: a minimal
 *    reproduction returning the problem it shows, or null once fixed.
 * The properties then leave the category out (unless FUZZ_KNOWN_BUGS=1), and the reproduction test
 * fails when the fix lands, naming the entry to remove; remove the skip and the reproduction with it.
 */
export const KNOWN_BUGS: Record<string, string> = {};

/** Whether a property should leave out a case of the known-bug category `id` (undefined: none). */
export function skipKnown(id: string | undefined): boolean {
  return id !== undefined && id in KNOWN_BUGS && !CHECK_KNOWN_BUGS;
}

/**
 * One test per known bug of a file: its reproduction must still show the problem (a non-null
 * description). `repros` maps bug ids to functions returning the problem, or null once fixed.
 */
export function knownBugTests(repros: Record<string, () => string | null | Promise<string | null>>): void {
  const ids = Object.keys(repros).filter((id) => id in KNOWN_BUGS);
  if (ids.length === 0) return;
  describe('known bugs (KNOWN_BUGS in test/fuzz/known-bugs.ts) still reproduce', () => {
    test.each(ids)('%s', async (id) => {
      const problem = await repros[id]();
      if (problem === null)
        throw new Error(`known bug '${id}' no longer reproduces: remove it from KNOWN_BUGS in test/fuzz/known-bugs.ts`);
    });
  });
}
