// Which task heads a merge keeps unmerged. Two cases:
// - multitask experts (the demo's): each expert was fine-tuned for one task of a shared
//   multi-head graph; its recipe says which, and that task's head initializers (listed in
//   the manifest) are carried from it;
// - fine-tunes that each have their own head (Hugging Face classifiers: one task each,
//   named differently): every expert's head becomes its own task of one multitask graph
//   (models/merge/assemble.ts).
import type { Manifest } from '../../schemas/manifest.ts';

export function carriedHeads(reference: Manifest | undefined, experts: (Manifest | undefined)[]): Record<string, number> {
  const carried: Record<string, number> = {};
  experts.forEach((m, i) => {
    const task = m?.recipe?.expertOf;
    if (typeof task === 'string') for (const init of reference?.tasks[task]?.head ?? []) carried[init] = i;
  });
  return carried;
}

/** The task of each expert when every expert is a single-task model with a task of its
 * own name; undefined otherwise (the experts' heads are then merged or carried as above). */
export function headTasks(experts: (Manifest | undefined)[]): string[] | undefined {
  if (experts.length < 2) return undefined;
  const tasks = experts.map((m) => (m && Object.keys(m.tasks).length === 1 ? Object.keys(m.tasks)[0] : undefined));
  if (tasks.some((t) => t === undefined) || new Set(tasks).size !== tasks.length) return undefined;
  return tasks as string[];
}

/** The merged manifest's tasks: each expert's own, reading its output in the merged graph. */
export function assembledTasks(experts: Manifest[], assembled: Record<string, { output: string; head: string[] }>): Manifest['tasks'] {
  return Object.fromEntries(
    experts.map((m) => {
      const [task, spec] = Object.entries(m.tasks)[0]!;
      return [task, { ...spec, output: assembled[task]!.output, head: assembled[task]!.head }];
    }),
  );
}
