// Which initializers a merge carries unmerged: each task's head, from the expert whose
// recipe says it was trained for that task (the manifest lists each head's initializers).
import type { Manifest } from '../../schemas/manifest.ts';

export function carriedHeads(reference: Manifest | undefined, experts: (Manifest | undefined)[]): Record<string, number> {
  const carried: Record<string, number> = {};
  experts.forEach((m, i) => {
    const task = m?.recipe?.expertOf;
    if (typeof task === 'string') for (const init of reference?.tasks[task]?.head ?? []) carried[init] = i;
  });
  return carried;
}
