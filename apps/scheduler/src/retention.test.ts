import { describe, expect, it } from 'vitest';
import { DEFAULT_TTL_STRATEGY, parseDefaultTtlStrategy } from './retention.js';

describe('REGATTA_DEFAULT_TTL_STRATEGY', () => {
  it('keeps finished workflows 7 days when unset, forever with {}', () => {
    expect(parseDefaultTtlStrategy(undefined)).toEqual({ secondsAfterCompletion: 604_800 });
    expect(DEFAULT_TTL_STRATEGY).toEqual({ secondsAfterCompletion: 604_800 });
    expect(parseDefaultTtlStrategy('{}')).toEqual({});
  });

  it("reads Argo's ttlStrategy as YAML or JSON", () => {
    expect(parseDefaultTtlStrategy('{secondsAfterSuccess: 60, secondsAfterFailure: 86400}')).toEqual({ secondsAfterSuccess: 60, secondsAfterFailure: 86_400 });
    expect(parseDefaultTtlStrategy('{"secondsAfterCompletion": 0}')).toEqual({ secondsAfterCompletion: 0 });
  });

  it('refuses a misspelt field, a negative or fractional number, and text that is no object, naming the variable', () => {
    expect(() => parseDefaultTtlStrategy('{secondsAfterSucess: 60}')).toThrow(/^REGATTA_DEFAULT_TTL_STRATEGY: .*secondsAfterSucess/);
    expect(() => parseDefaultTtlStrategy('{secondsAfterSuccess: -1}')).toThrow(/^REGATTA_DEFAULT_TTL_STRATEGY\.secondsAfterSuccess: /);
    expect(() => parseDefaultTtlStrategy('{secondsAfterSuccess: 1.5}')).toThrow(/^REGATTA_DEFAULT_TTL_STRATEGY\.secondsAfterSuccess: /);
    expect(() => parseDefaultTtlStrategy('604800')).toThrow(/^REGATTA_DEFAULT_TTL_STRATEGY: /);
    expect(() => parseDefaultTtlStrategy('{secondsAfterSuccess: [')).toThrow(/^REGATTA_DEFAULT_TTL_STRATEGY: not YAML or JSON/);
  });
});
