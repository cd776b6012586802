import { CHECK_KNOWN_BUGS } from './config';

/**
 * Input categories on which a fuzz property is known to fail, each with a one-line summary. The
 * properties leave these categories out (unless FUZZ_KNOWN_BUGS=1), and each test file checks, per
 * entry of its own, that a minimal reproduction still fails: when a fix lands, that check fails and
 * says which entry to remove from this list.
 */
export const KNOWN_BUGS: Record<string, string> = {
  // engines.test.ts
  // readers.test.ts
};

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
