import { checkDims, checkFlag, checkOptions, describe as describeValue } from '../../src/base/checks';

describe('argument checks', () => {
  test('describe: short, readable forms', () => {
    expect([null, undefined, 3, 'T', true].map(describeValue)).toEqual(['null', 'undefined', '3', "'T'", 'true']);
    expect(describeValue([1, 'a'])).toBe("[1, 'a']");
    expect(describeValue(new Array(20).fill(0))).toBe('an array of 20');
    expect(describeValue(new Float32Array(3))).toBe('Float32Array');
    expect(describeValue(new Map())).toBe('Map');
    expect(describeValue(() => 1)).toBe('a function');
  });

  test('checkOptions: undefined is {}, an object passes, anything else names the argument', () => {
    expect(checkOptions(undefined)).toEqual({});
    const o = { a: 1 };
    expect(checkOptions(o)).toBe(o);
    expect(() => checkOptions(null as never)).toThrow('options: expected an object, got null');
    expect(() => checkOptions([1] as never, 'args')).toThrow('args: expected an object, got [1]');
  });

  test('checkFlag and checkDims', () => {
    expect(checkFlag(undefined, 'options.x')).toBe(false);
    expect(checkFlag(undefined, 'options.x', true)).toBe(true);
    expect(() => checkFlag('yes', 'options.x')).toThrow("options.x: expected a boolean, got 'yes'");
    expect(checkDims(undefined, 2, 'a 3-D input')).toEqual([0, 1, 2]);
    expect(checkDims([2, 0], 2, 'a 3-D input')).toEqual([0, 2]);
    expect(() => checkDims([3], 2, 'a 3-D input')).toThrow(
      'options.dims: homology dimension 3 is out of range for a 3-D input (expected 0..2)',
    );
    expect(() => checkDims([1, 1], 2, 'x')).toThrow('options.dims: repeated dimension in [1, 1]');
    expect(() => checkDims([], 2, 'x')).toThrow(
      'options.dims: expected a non-empty array of homology dimensions in 0..2, got []',
    );
  });
});
