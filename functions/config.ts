// Limits and budgets, from [vars] in wrangler.toml (strings) with sane defaults.
export interface Limits {
  maxInputs: number;
  maxTextChars: number;
  maxBodyBytes: number;
  sessionBudgetBytes: number;
}

const int = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
};

export function limits(env: Partial<Record<string, unknown>>): Limits {
  const v = (k: string) => (typeof env[k] === 'string' ? (env[k] as string) : undefined);
  return {
    maxInputs: int(v('MAX_INPUTS'), 64),
    maxTextChars: int(v('MAX_TEXT_CHARS'), 4000),
    maxBodyBytes: int(v('MAX_BODY_BYTES'), 1 << 20),
    // ORT's own heap starts near 16 MiB and JS needs room too: 64 MiB of sessions keeps
    // an isolate well inside its 128 MB.
    sessionBudgetBytes: int(v('SESSION_BUDGET_MB'), 64) * (1 << 20),
  };
}
