import { backendPackages, nodePackageLoader, PackageLoader, selectBackend } from './backend';
import type { Command } from './command';
import { EXIT_OK, inputError, oneLine, usageError } from './errors';
import { CliIO } from './io';
import { decodeArray, firstNonFinite, formatShape, readInput } from './load';
import { parseArgs } from './options';
import { readPngSegmentationFolder } from '../io/png-folder';
import type { OwnImages } from '../demo/segmentation';

const USAGE = `Usage: tfjs-topo demo [--out DIR] [--steps N] [--full | --quick] [--only NAME,...] [--seed S]
                      [--backend NAME] [--speed-seconds T] [--image PATH] [--segmentation-data DIR]
                      [--workers N]

Reproduces the experiments of "A Fast and Robust Method for Global Topological Functional
Optimization" (STUMP) and writes DIR/report.html (self-contained) and DIR/summary.md.

  --out DIR          output folder (default: demo-report)
  --steps N          Adam steps per run of wells, circle and blobs (default 10000, the paper's)
  --full             the paper's sizes: 10,000 steps, 600 s speed runs, 1000 smear samples
  --quick            tiny sizes, to check the pipeline in seconds (the numbers mean nothing)
  --only LIST        some of: wells, circle, blobs, speed, robustness, smear, gradients, cells, points,
                     mesh, segmentation
  --seed S           seed of every random choice (default 1)
  --backend NAME     tfjs backend: cpu (default, @tensorflow/tfjs-backend-cpu), wasm
                     (@tensorflow/tfjs-backend-wasm) or tensorflow (@tensorflow/tfjs-node-gpu if
                     installed, else @tensorflow/tfjs-node); the package must be installed
  --speed-seconds T  optimization time per method in the speed comparison (default 4; 600 with --full)
  --image PATH       also close membranes on this 2-D image (.png or .npy; dark membranes), in the cells part
  --segmentation-data DIR
                     train the segmentation comparison on DIR/images/*.png and DIR/masks/*.png (paired
                     by name; square, sides a multiple of 8; the last fifth held out) instead of
                     synthetic membranes
  --workers N        worker threads for the independent parts (default: one per core)

A default run takes a few minutes on two cores; progress goes to stderr.
`;

/**
 * The demo command, loading backend packages with `loadPackage` (a test passes a stand-in, since
 * tfjs-node and tfjs-backend-wasm are optional and may not be installed).
 */
export function makeDemoCommand(loadPackage: PackageLoader = nodePackageLoader): Command {
  return {
    name: 'demo',
    summary: "reproduce the paper's experiments and write a visual report",
    usage: USAGE,
    async run(args: readonly string[], io: CliIO): Promise<number> {
      const opts = parseArgs(args, {
        out: 'value',
        steps: 'value',
        full: 'flag',
        quick: 'flag',
        only: 'value',
        seed: 'value',
        backend: 'value',
        image: 'value',
        'segmentation-data': 'value',
        'speed-seconds': 'value',
        workers: 'value',
      });
      if (opts.flags.has('full') && opts.flags.has('quick'))
        throw usageError('demo: --full and --quick exclude each other');
      if (opts.positionals.length > 0) throw usageError(`demo: unexpected argument '${opts.positionals[0]}'`);
      const integer = (name: string, min: number): number | undefined => {
        const v = opts.values.get(name);
        if (v === undefined) return undefined;
        if (!/^\d+$/.test(v) || Number(v) < min)
          throw usageError(`--${name}: expected an integer ≥ ${min}, got '${v}'`);
        return Number(v);
      };
      // Every option is checked before the demo and tfjs load (seconds), so a typo fails at once.
      const steps = integer('steps', 1);
      const seed = integer('seed', 0);
      const speedSeconds = integer('speed-seconds', 1);
      const workers = integer('workers', 1);
      const backend = opts.values.get('backend') ?? 'cpu';
      backendPackages(backend);
      const { DEMO_PARTS, runDemo } = await import('../demo/run-demo');
      const only = opts.values
        .get('only')
        ?.split(',')
        .map((s) => s.trim());
      const unknown = only?.find((name) => !(DEMO_PARTS as readonly string[]).includes(name));
      if (unknown !== undefined)
        throw usageError(`--only: unknown part '${unknown}' (expected some of ${DEMO_PARTS.join(', ')})`);
      const image = opts.values.has('image') ? loadImage(opts.values.get('image') as string, io) : undefined;
      const dataDir = opts.values.get('segmentation-data');
      const segmentationData = dataDir === undefined ? undefined : loadSegmentationData(dataDir);
      const tf = await import('@tensorflow/tfjs-core');
      await import('@tensorflow/tfjs-layers'); // registers the gradients of the core ops in Node
      await selectBackend(backend, tf, loadPackage);
      await runDemo({
        out: opts.values.get('out') ?? 'demo-report',
        steps,
        full: opts.flags.has('full'),
        scale: {
          ...(opts.flags.has('quick')
            ? {
                steps: 5,
                speedSeconds: 0.2,
                draws: 2,
                smearSamples: 3,
                gradientSteps: 5,
                gramDraws: 3,
                cellSteps: 5,
                cloudSteps: 3,
                meshSteps: 5,
                segmentation: { warmupSteps: 2, fineTuneSteps: 2, size: 32, train: 16, test: 8 },
              }
            : {}),
          ...(speedSeconds === undefined ? {} : { speedSeconds }),
        },
        only: only as never,
        seed,
        workers,
        image,
        segmentationData,
        log: (line) => io.stderr(line + '\n'),
      });
      return EXIT_OK;
    },
  };
}

export const demoCommand: Command = makeDemoCommand();

/** The `--image` file as a 2-D image, with the CLI's usual messages for unreadable or unsuitable files. */
function loadImage(
  path: string,
  io: CliIO,
): { values: Float32Array | Float64Array; shape: [number, number]; name: string } {
  let loaded;
  try {
    loaded = decodeArray(path, readInput(path, io.readFile));
  } catch (e) {
    throw inputError(`--image ${path}: ${oneLine(e)}`);
  }
  const { data, shape } = loaded;
  if (shape.length !== 2 || shape[0] < 8 || shape[1] < 8)
    throw inputError(`--image ${path}: expected a 2-D image of at least 8×8, got shape ${formatShape(shape)}`);
  const bad = firstNonFinite(data);
  if (bad >= 0) throw inputError(`--image ${path}: element ${bad} is ${data[bad]}; expected finite values`);
  return { values: data, shape: [shape[0], shape[1]], name: path.split(/[\\/]/).pop() as string };
}

/** `--segmentation-data DIR`: DIR/images and DIR/masks as PNGs, checked for the U-Net's needs. */
function loadSegmentationData(dir: string): OwnImages {
  let set;
  try {
    set = readPngSegmentationFolder(dir);
  } catch (e) {
    throw inputError(`--segmentation-data ${dir}: ${oneLine(e)}`);
  }
  const [n, h, w] = set.shape;
  if (h !== w || h % 8 !== 0 || h < 16)
    throw inputError(
      `--segmentation-data ${dir}: expected square images with sides a multiple of 8 (≥ 16), got ${h}×${w}`,
    );
  if (n < 2) throw inputError(`--segmentation-data ${dir}: expected at least 2 image/mask pairs, got ${n}`);
  return { images: set.images, masks: set.masks, shape: set.shape, source: `your images (${dir}, ${n} files)` };
}
