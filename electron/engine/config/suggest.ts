// "Did you mean" for typed names: configuration keys, URL markers, connector providers. Case, dashes and dots
// are ignored so `DataFilesMonitor` finds `data-files-monitor`, and an Egeria class name finds its alias.

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function distance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The closest candidate if it is close enough to be a likely typo, else undefined. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = normalize(input);
  if (wanted.length === 0) return undefined;
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const norm = normalize(candidate);
    if (norm.length === 0) continue;
    // A fully-qualified class name typed with the wrong package still ends in the right simple name.
    const simple = normalize(candidate.split('.').pop() ?? candidate);
    const inputSimple = normalize(input.split('.').pop() ?? input);
    const score = Math.min(distance(wanted, norm), simple === inputSimple ? 0 : distance(inputSimple, simple) + 1);
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return bestScore <= limit ? best : undefined;
}
