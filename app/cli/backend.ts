import type * as tfCore from '@tensorflow/tfjs-core';
import { inputError, oneLine, usageError } from './errors';

/**
 * The packages that register each backend the demo can run on, in order of preference. A backend
 * exists only once its package is loaded, and nothing else in the tool loads them.
 */
export const BACKEND_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  cpu: ['@tensorflow/tfjs-backend-cpu'],
  wasm: ['@tensorflow/tfjs-backend-wasm'],
  tensorflow: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
};

/**
 * Loads a package for its side effects (registering a backend): resolves to false when it is not
 * installed, throws when it is installed but fails to load (e.g. tfjs-node without libtensorflow).
 */
export type PackageLoader = (name: string) => Promise<boolean>;

/** Node's require, telling "not installed" apart from "installed but broken". */
export const nodePackageLoader: PackageLoader = async (name) => {
  try {
    require.resolve(name);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'MODULE_NOT_FOUND') return false;
    throw e;
  }
  await import(name);
  return true;
};

/** The part of tfjs-core that selecting a backend needs (a test may pass a stand-in). */
export type BackendEngine = Pick<typeof tfCore, 'findBackendFactory' | 'setBackend' | 'getBackend'>;

/**
 * Loads the package of backend `name` and makes it tfjs' backend. Every way of not ending up on
 * `name` is an error naming what to do: an unknown name (usage), a package that is not installed,
 * fails to load or registers nothing with this tfjs-core, a backend that fails to start, and a
 * silent fallback to another backend.
 */
export async function selectBackend(
  name: string,
  tf: BackendEngine,
  load: PackageLoader = nodePackageLoader,
): Promise<void> {
  const loaded = await loadFirstInstalled(name, backendPackages(name), load);
  if (tf.findBackendFactory(name) == null) {
    // Typically two copies of tfjs-core: the package registered its backend with the other one.
    throw inputError(
      `--backend ${name}: ${loaded} loaded but registered no backend '${name}' with this @tensorflow/tfjs-core ` +
        '(are two versions of tfjs-core installed? install matching versions)',
    );
  }
  let started: boolean;
  try {
    started = await tf.setBackend(name);
  } catch (e) {
    throw inputError(`--backend ${name}: the backend failed to start: ${oneLine(e)}`);
  }
  if (!started) throw inputError(`--backend ${name}: the backend failed to start (see the warnings above)`);
  const active = tf.getBackend();
  if (active !== name) throw inputError(`--backend ${name}: tfjs fell back to backend '${active}'`);
}

/** The packages of backend `name`; an unknown name is a usage error listing the known ones. */
export function backendPackages(name: string): readonly string[] {
  if (!Object.prototype.hasOwnProperty.call(BACKEND_PACKAGES, name)) {
    throw usageError(
      `--backend: unknown backend '${name}' (expected one of ${Object.keys(BACKEND_PACKAGES).join(', ')})`,
    );
  }
  return BACKEND_PACKAGES[name];
}

/** Loads the first installed package of `packages`, and names it; none installed is an error naming them all. */
async function loadFirstInstalled(name: string, packages: readonly string[], load: PackageLoader): Promise<string> {
  for (const pkg of packages) {
    let installed: boolean;
    try {
      installed = await load(pkg);
    } catch (e) {
      throw inputError(`--backend ${name}: ${pkg} is installed but failed to load: ${oneLine(e)}`);
    }
    if (installed) return pkg;
  }
  const none =
    packages.length === 1
      ? 'it is not installed'
      : packages.length === 2
        ? 'neither is installed'
        : 'none is installed';
  const which = [...packages].reverse().join(' or '); // the plain package first, the GPU one as the alternative
  throw inputError(`--backend ${name}: install ${which} (${none})`);
}
