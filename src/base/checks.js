"use strict";
/**
 * Argument checks shared by the public entry points. Every error names the argument by its full
 * path (`options.dims`, `args.functional.p`) and says what was expected and what came instead.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.FLOAT32_MAX = void 0;
exports.describe = describe;
exports.checkOptions = checkOptions;
exports.checkArgs = checkArgs;
exports.asArgument = asArgument;
exports.checkFlag = checkFlag;
exports.checkDims = checkDims;
exports.checkKeys = checkKeys;
exports.checkNumber = checkNumber;
exports.checkInteger = checkInteger;
exports.checkInterval = checkInterval;
exports.checkGridShape = checkGridShape;
/** How a value reads in an error message: short, and never the whole of a large array. */
function describe(x) {
    if (x === null || x === undefined)
        return String(x);
    if (typeof x === 'function')
        return 'a function';
    if (ArrayBuffer.isView(x))
        return x.constructor.name;
    if (Array.isArray(x))
        return x.length > 8 ? `an array of ${x.length}` : `[${x.map(describe).join(', ')}]`;
    if (typeof x === 'string')
        return `'${x}'`;
    if (typeof x === 'object')
        return x.constructor?.name ?? 'object';
    return String(x);
}
/**
 * `options` itself, `{}` when it is undefined; an error when it is not an object, or (given `keys`)
 * when it has a key not in `keys`.
 */
function checkOptions(options, name = 'options', keys) {
    if (options === undefined)
        return {};
    if (options === null || typeof options !== 'object' || Array.isArray(options))
        throw new Error(`${name}: expected an object, got ${describe(options)}`);
    if (keys)
        checkKeys(options, keys, name);
    return options;
}
/** `args` of a constructor or factory that requires them: `checkOptions`, with undefined refused too. */
function checkArgs(args, name, keys) {
    if (args === undefined)
        throw new Error(`${name}: expected an object, got undefined`);
    return checkOptions(args, name, keys);
}
/** The largest finite float32: a setting that becomes a float32 tensor must stay below it. */
exports.FLOAT32_MAX = 3.4028234663852886e38;
/**
 * `make()`, with an error naming `from…` (default `options…`) renamed to `name…`: for a value
 * handed on to a constructor or a call, so that its errors name the argument by the caller's full
 * path (`asArgument('args.smear.block', …, 'options.block')`).
 */
function asArgument(name, make, from = 'options') {
    try {
        return make();
    }
    catch (e) {
        // `from` as a whole name: 'x' renames 'x: …' and 'x (map 1): …', not 'xs: …'.
        if (!(e instanceof Error) || !e.message.startsWith(from) || /^\w/.test(e.message.slice(from.length)))
            throw e;
        throw new Error(name + e.message.slice(from.length), { cause: e });
    }
}
/** `flag` when it is a boolean, `fallback` when it is undefined; an error naming `name` otherwise. */
function checkFlag(flag, name, fallback = false) {
    if (flag === undefined)
        return fallback;
    if (typeof flag !== 'boolean')
        throw new Error(`${name}: expected a boolean, got ${describe(flag)}`);
    return flag;
}
/**
 * The homology dimensions `dims` (the argument `name`), sorted: each an integer in 0..top, none
 * repeated; all of 0..top when undefined. `of` names what bounds them, e.g. "a 2-D input".
 */
function checkDims(dims, top, of, name = 'options.dims') {
    const all = Array.from({ length: top + 1 }, (_, k) => k);
    if (dims === undefined)
        return all;
    if (!Array.isArray(dims) || dims.length === 0)
        throw new Error(`${name}: expected a non-empty array of homology dimensions in 0..${top}, got ${describe(dims)}`);
    for (const k of dims)
        if (!Number.isInteger(k) || k < 0 || k > top)
            throw new Error(`${name}: homology dimension ${describe(k)} is out of range for ${of} (expected 0..${top})`);
    if (new Set(dims).size !== dims.length)
        throw new Error(`${name}: repeated dimension in [${dims.join(', ')}]`);
    return [...dims].sort((a, b) => a - b);
}
/**
 * An error naming `name.key` for the first key of `object` not in `allowed`, with the nearest allowed
 * name when one is close (a misspelt option is never ignored).
 */
function checkKeys(object, allowed, name) {
    for (const key of Object.keys(object)) {
        if (allowed.includes(key))
            continue;
        const near = nearestName(key, allowed);
        throw new Error(`${name}.${key}: unknown option${near ? ` (did you mean '${near}'?)` : ''}; expected one of ${allowed.join(', ')}`);
    }
}
/** The name in `names` closest to `key` (case-insensitive edit distance ≤ 2, or a difference of case only). */
function nearestName(key, names) {
    let best;
    let bestDistance = 3;
    for (const name of names) {
        const d = editDistance(key.toLowerCase(), name.toLowerCase());
        if (d < bestDistance)
            [best, bestDistance] = [name, d];
    }
    return best;
}
/** Levenshtein distance (short option names only). */
function editDistance(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++)
            row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = row;
    }
    return previous[b.length];
}
/**
 * `x` when it is a finite number in [lo, hi]; `fallback` when undefined (required when it is
 * undefined); else an error naming `name`.
 */
function checkNumber(x, name, fallback, lo = -Infinity, hi = Infinity) {
    if (x === undefined && fallback !== undefined)
        return fallback;
    if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi) {
        const range = hi === exports.FLOAT32_MAX
            ? `a finite float32 number ≥ ${lo}`
            : hi !== Infinity
                ? `a number from ${lo} to ${hi}`
                : lo !== -Infinity
                    ? `a number ≥ ${lo}`
                    : 'a finite number';
        throw new Error(`${name}: expected ${range}, got ${describe(x)}`);
    }
    return x;
}
/** An integer in lo..hi (hi may be Infinity); `fallback` when undefined (required when it is undefined). */
function checkInteger(x, name, fallback, lo, hi = Infinity) {
    if (x === undefined && fallback !== undefined)
        return fallback;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < lo || x > hi)
        throw new Error(`${name}: expected an integer ${hi === Infinity ? `≥ ${lo}` : `from ${lo} to ${hi}`}, got ${describe(x)}`);
    return x;
}
/** A pair `[min, max]` of numbers (integers when `integer`) with lo ≤ min ≤ max ≤ hi. */
function checkInterval(x, name, fallback, lo, hi, integer = false) {
    if (x === undefined)
        return [fallback[0], fallback[1]];
    const ok = Array.isArray(x) &&
        x.length === 2 &&
        x.every((v) => typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isInteger(v))) &&
        lo <= x[0] &&
        x[0] <= x[1] &&
        x[1] <= hi;
    if (!ok)
        throw new Error(`${name}: expected [min, max] ${integer ? 'integers ' : ''}with ${lo} ≤ min ≤ max ≤ ${hi}, got ${describe(x)}`);
    return [x[0], x[1]];
}
/**
 * `shape` of an image `[H, W]` or a volume `[D, H, W]` (positive integers), copied; an error naming
 * `shape` otherwise, or when it has more than `maxElements` elements (what an engine can index).
 */
function checkGridShape(shape, maxElements = 2 ** 31 - 1) {
    if (!Array.isArray(shape))
        throw new Error(`shape: expected an array of 2 or 3 positive integers, got ${describe(shape)}`);
    if (shape.length !== 2 && shape.length !== 3)
        throw new Error(`shape: expected 2 or 3 axes (an image or a volume), got ${describe(shape)}`);
    for (const n of shape)
        if (!Number.isInteger(n) || n < 1)
            throw new Error(`shape: expected positive integer sizes, got ${describe(shape)}`);
    if (shape.reduce((a, b) => a * b, 1) > maxElements)
        throw new Error(`shape: at most ${maxElements} elements are supported, got ${describe(shape)}`);
    return shape.slice();
}
