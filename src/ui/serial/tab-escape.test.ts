import { describe, expect, it } from 'vitest';
import { createTabEscape } from './tab-escape.ts';

const key = (k: string, shiftKey = false) =>
  ({ type: 'keydown', key: k, shiftKey }) as KeyboardEvent;

describe('createTabEscape', () => {
  it('Tab goes to the device; Escape then Tab (Shift+Tab) leaves', () => {
    const decide = createTabEscape();
    expect(decide(key('Tab'))).toBe('pass');
    expect(decide(key('Escape'))).toBe('pass');
    expect(decide({ type: 'keyup', key: 'Escape' } as KeyboardEvent)).toBe('pass');
    expect(decide(key('Tab'))).toBe('leave-forward');
    expect(decide(key('Tab'))).toBe('pass'); // used up
    decide(key('Escape'));
    decide(key('Shift', true));
    expect(decide(key('Tab', true))).toBe('leave-back');
    decide(key('Escape'));
    decide(key('a'));
    expect(decide(key('Tab'))).toBe('pass'); // something else came between
  });
});
