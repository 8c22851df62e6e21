#!/usr/bin/env node
// The `chimera` command: train-demo, quantize, merge, eval, publish, data check.
import { parseArgs } from 'node:util';

const usage = (merge: string) => `chimera <command> [options]

  train-demo [--data DIR] [--out DIR] [--seed N] [--epochs N] [--allow-overlap]
      train the SentEval multitask model and six experts (packages in artifacts/demo), and
      the models the merge report chooses on (artifacts/demo/selection); refuses when a dev
      sentence is in the training data and leaves out every training row that is near one,
      contains one or lies inside one, unless --allow-overlap (then trains on everything)
  quantize IN OUT [--texts FILE]
      int8-quantize a package folder or .onnx file; with --texts, how often int8 and
      float agree on those texts (labels, cosine of scores or embeddings)
  import DIR [--name NAME] [--task NAME] [--out DIR] [--max-tokens N] [--quantize [--texts FILE]] [--publish [--alias prod]]
      a Hugging Face export folder (model.onnx, tokenizer.json, config.json, …) as a
      Chimera package (artifacts/import/NAME), its int8 twin too with --quantize
${merge}
  eval --model PKG [--data DIR] [--json]
      dev accuracy per task, through the runtime the Worker uses, after the overlap of
      the model's training files (by their recipe hashes) with the dev set
  data check [--data DIR] [--threshold J] [--examples N] [--json]
      every train split against every dev split: exact, near-duplicate (word Jaccard
      >= J, default 0.8) and contained sentences; exits 3 when any is found
  publish PKG --model NAME [--alias prod] [--owner public|TENANT_ID] [--persist-to DIR] [--remote]
      upload a package to the local (wrangler dev) R2 and D1, or with --remote to the
      deployed ones named in wrangler.toml (after wrangler login)
  tenant create NAME [--id ID]
  key issue --tenant ID [--scope infer --scope usage:read ...] [--name NAME]
  key issue --tenant ID --publishable --models M[,M@alias…] [--origins URL[,URL…]] [--name NAME]
      a publishable key (chm_pk_…, safe in a web page): inference only, on those models,
      from those origins (default: the tenant's default origins)
  key change --tenant ID --key KEY_ID [--models …] [--origins …|--origins default] [--name NAME]
      change a publishable key in place (pages carrying it keep working)
  key list --tenant ID
  key rotate --tenant ID --key KEY_ID
  key revoke --tenant ID --key KEY_ID
      tenants and API keys in the local D1 (or --remote); a key is printed once
`;

const [command, ...rest] = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: rest,
  allowPositionals: true,
  options: {
    data: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
    epochs: { type: 'string' },
    method: { type: 'string' },
    base: { type: 'string' },
    expert: { type: 'string', multiple: true },
    weight: { type: 'string', multiple: true },
    density: { type: 'string' },
    gamma: { type: 'string' },
    lambda: { type: 'string' },
    normalize: { type: 'string' },
    layerwise: { type: 'string' },
    init: { type: 'string' },
    budget: { type: 'string' },
    unlabelled: { type: 'string' },
    head: { type: 'string', multiple: true },
    quantize: { type: 'boolean' },
    chunk: { type: 'string' },
    model: { type: 'string' },
    json: { type: 'boolean' },
    alias: { type: 'string' },
    owner: { type: 'string' },
    'persist-to': { type: 'string' },
    remote: { type: 'boolean' },
    id: { type: 'string' },
    tenant: { type: 'string' },
    key: { type: 'string' },
    scope: { type: 'string', multiple: true },
    publishable: { type: 'boolean' },
    models: { type: 'string' },
    origins: { type: 'string' },
    name: { type: 'string' },
    threshold: { type: 'string' },
    examples: { type: 'string' },
    'allow-overlap': { type: 'boolean' },
    texts: { type: 'string' },
    task: { type: 'string' },
    publish: { type: 'boolean' },
    'max-tokens': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

// `chimera`, `chimera --help` and `chimera help` print the usage; `chimera <command> --help`
// and `chimera help <command>` that command's part of it. All exit 0.
if (!command || ['--help', '-h', 'help'].includes(command) || values.help) {
  const text = usage((await import('./commands/merge.ts')).MERGE_USAGE);
  const topic = command === 'help' ? positionals[0] : command?.startsWith('-') ? undefined : command;
  const part = topic ? commandUsage(text, topic) : undefined;
  if (topic && !part) {
    console.error(`chimera: no command "${topic}"\n\n${text}`);
    process.exit(2);
  }
  console.log(part ?? text);
  process.exit(0);
}

/** The usage entries of one command: its lines (a run of `  name …` lines and the indented text under them). */
function commandUsage(text: string, name: string): string | undefined {
  const entries: string[][] = [];
  let described = true;
  for (const line of text.split('\n')) {
    if (/^ {2}\S/.test(line)) {
      if (described) entries.push([]);
      entries.at(-1)!.push(line);
      described = false;
    } else if (/^ {4,}\S/.test(line) && entries.length) {
      entries.at(-1)!.push(line);
      described = true;
    }
  }
  const mine = entries.filter((lines) => lines.some((l) => l === `  ${name}` || l.startsWith(`  ${name} `)));
  return mine.length ? `chimera ${name}: usage\n\n${mine.map((lines) => lines.join('\n')).join('\n\n')}\n` : undefined;
}

try {
  switch (command) {
    case 'train-demo': {
      const { trainDemo } = await import('./commands/train-demo.ts');
      await trainDemo({
        data: values.data,
        out: values.out,
        seed: num(values.seed),
        epochs: num(values.epochs),
        allowOverlap: values['allow-overlap'],
      });
      break;
    }
    case 'quantize': {
      const { quantizeCommand } = await import('./commands/quantize.ts');
      await quantizeCommand(positionals[0], positionals[1], { texts: values.texts });
      break;
    }
    case 'import': {
      const { importCommand } = await import('./commands/import.ts');
      await importCommand(positionals[0], { ...values, maxTokens: num(values['max-tokens']) });
      break;
    }
    case 'merge': {
      const { mergeCommand } = await import('./commands/merge.ts');
      await mergeCommand(values);
      break;
    }
    case 'eval': {
      const { evalCommand } = await import('./commands/eval.ts');
      await evalCommand({ model: values.model, data: values.data, json: values.json });
      break;
    }
    case 'data': {
      const { dataCommand } = await import('./commands/data.ts');
      process.exitCode = await dataCommand(positionals[0], values);
      break;
    }
    case 'publish': {
      const { publishCommand } = await import('./commands/publish.ts');
      await publishCommand(positionals[0], {
        model: values.model,
        alias: values.alias,
        owner: values.owner,
        persistTo: values['persist-to'],
        remote: values.remote,
      });
      break;
    }
    case 'tenant':
    case 'key': {
      const { tenantCommand } = await import('./commands/tenants.ts');
      await tenantCommand(`${command}-${positionals[0]}`, positionals.slice(1), values);
      break;
    }
    default:
      console.error(`chimera: no command "${command}"\n\n${usage((await import('./commands/merge.ts')).MERGE_USAGE)}`);
      process.exit(2);
  }
} catch (e) {
  console.error(`chimera ${command}: ${(e as Error).message}`);
  process.exit(1);
}
