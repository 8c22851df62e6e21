// The rules CreateMerge checks across fields, per method, as JSON Schema for the OpenAPI
// document (if the method is M, then …), made from the same table (schemas/merge-methods.ts)
// the check itself reads: a base where the method needs one, only the method's own
// parameters, unlabelled_file exactly for the methods that learn their weights, and
// expert weights only where the method takes them.
import { METHODS, methodSpec, needsUnlabelled, requestParameters } from '../merge-methods.ts';

export const MERGE_METHOD_RULES = METHODS.map((m) => {
  const spec = methodSpec(m);
  const required = [...(spec.needsBase ? ['base'] : []), ...(needsUnlabelled(m) ? ['unlabelled_file'] : [])];
  return {
    if: { properties: { method: { const: m } }, required: ['method'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited
    then: {
      ...(required.length ? { required } : {}),
      properties: {
        ...Object.fromEntries(required.map((k) => [k, true])), // declared on CreateMerge itself; named here for linters
        parameters: { properties: Object.fromEntries(requestParameters(m).map((p) => [p, true])), additionalProperties: false },
        ...(needsUnlabelled(m) ? {} : { unlabelled_file: false }),
        ...(spec.takes.includes('weight') ? {} : { experts: { items: { properties: { weight: false } } } }),
      },
    },
  };
});
