import { describe, expect, it } from 'vitest';
import { closestName } from './closest-name.js';

describe('closestName', () => {
  it('counts two swapped letters as one typo', () => {
    expect(closestName({ wanted: 'nmae', names: ['accent', 'name'] })).toBe('name');
  });

  it('ignores case, underscores and dashes', () => {
    expect(closestName({ wanted: 'first_name', names: ['firstName', 'lastName'] })).toBe('firstName');
    expect(closestName({ wanted: 'Name', names: ['name'] })).toBe('name');
  });

  it('prefers the nearest name and returns null when nothing is close', () => {
    expect(closestName({ wanted: 'acent', names: ['accent', 'agent_name'] })).toBe('accent');
    expect(closestName({ wanted: 'title', names: ['name', 'accent'] })).toBeNull();
    expect(closestName({ wanted: 'x', names: [] })).toBeNull();
  });
});
