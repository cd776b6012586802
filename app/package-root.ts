import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

const PACKAGE_NAME = 'tfjs-topo';

/**
 * The folder of tfjs-topo's package.json, found by walking up from `start`: the built tool runs
 * from app/dist/ (two folders down), the sources under jest from app/ (one down), and a
 * package.json of another name on the way (a workspace, a bundler's stub) is passed over.
 */
export function packageRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && readPackageJson(file)?.name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`cannot find the package.json of ${PACKAGE_NAME} in ${start} or any folder above it`);
}

/** The version in tfjs-topo's package.json (see packageRoot). */
export function packageVersion(start: string = __dirname): string {
  const { version } = readPackageJson(join(packageRoot(start), 'package.json')) ?? {};
  if (typeof version !== 'string') throw new Error(`the package.json of ${PACKAGE_NAME} has no version`);
  return version;
}

/** The parsed file, or undefined when it is unreadable or not JSON (a folder above may still hold ours). */
function readPackageJson(file: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
