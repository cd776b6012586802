import { checkDims, checkFlag, checkGridShape, checkOptions, describe as describeValue } from '../../src/base/checks';

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

describe('checkGridShape', () => {
  test('an image or a volume of positive integers, copied; the element limit named', () => {
    const shape = [4, 5];
    expect(checkGridShape(shape)).toEqual([4, 5]);
    expect(checkGridShape(shape)).not.toBe(shape);
    expect(() => checkGridShape([4])).toThrow(/shape: expected 2 or 3 axes \(an image or a volume\), got \[4\]/);
    expect(() => checkGridShape([4, 0])).toThrow(/shape: expected positive integer sizes, got \[4, 0\]/);
    expect(() => checkGridShape('4x4' as never)).toThrow(/shape: expected an array of 2 or 3 positive integers/);
    expect(() => checkGridShape([10, 10], 99)).toThrow(/shape: at most 99 elements are supported, got \[10, 10\]/);
    expect(checkGridShape([9, 11], 99)).toEqual([9, 11]);
  });
});
