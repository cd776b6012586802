import { MinHeap } from '../../../src/persistence/toolkit/heap';
import { mulberry32 } from '../../reference/mulberry32';

describe('MinHeap', () => {
  test('each pop or replaceTop removes a smallest key with its own tag, across growth and interleaved pushes', () => {
    const random = mulberry32(2);
    const heap = new MinHeap(4);
    const inside = new Map<number, number>(); // tag → key of the entries the heap should hold
    let removals = 0;
    let replacements = 0;
    for (let step = 0; step < 5000; step++) {
      const u = random();
      const key = Math.floor(random() * 300); // many ties
      if (heap.size > 0 && u < 0.6) {
        const [top, tag] = [heap.keys[0], heap.tags[0]];
        expect(inside.get(tag)).toBe(top);
        expect(top).toBe(Math.min(...inside.values()));
        inside.delete(tag);
        removals++;
        if (u < 0.35) {
          heap.pop();
        } else {
          heap.replaceTop(key, step);
          inside.set(step, key);
          replacements++;
        }
      } else {
        heap.push(key, step);
        inside.set(step, key);
      }
      expect(heap.size).toBe(inside.size);
    }
    expect(removals).toBeGreaterThan(1000);
    expect(replacements).toBeGreaterThan(500);
    expect(heap.keys.length).toBeGreaterThan(4); // it grew
  });

  test('reserve makes room without losing entries', () => {
    const heap = new MinHeap(2);
    heap.push(5, 50);
    heap.push(1, 10);
    heap.reserve(100);
    expect(heap.keys.length).toBeGreaterThanOrEqual(102);
    expect([heap.keys[0], heap.tags[0], heap.size]).toEqual([1, 10, 2]);
  });
});
