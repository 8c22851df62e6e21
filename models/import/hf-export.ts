// A Hugging Face export folder (model.onnx, optional model.onnx_data, tokenizer.json,
// config.json, optional tokenizer_config.json) as a Chimera package: labels from
// id2label, the task's kind from the architecture and problem_type, the input names
// from the graph, maxTokens from the tokenizer config or the position embeddings, and
// the weights moved into external data. What it cannot serve it refuses, naming the
// file and the field.

import { internalize } from '../onnx/external.ts';
import { decodeModel, type Model } from '../onnx/model.ts';
import { graphProblems } from '../onnx/ops.ts';
import type { ManifestBody, ModelPackage } from '../package.ts';
import { buildPackage } from '../package.ts';

export class ImportError extends Error {}

interface HfConfig {
  architectures?: string[];
  model_type?: string;
  problem_type?: string | null;
  id2label?: Record<string, string>;
  is_encoder_decoder?: boolean;
  max_position_embeddings?: number;
  pad_token_id?: number | null;
  transformers_version?: string;
}

/** graph input → the manifest's name for what feeds it */
const INPUTS: Record<string, 'ids' | 'mask' | 'type_ids'> = { input_ids: 'ids', attention_mask: 'mask', token_type_ids: 'type_ids' };
const EMBEDDING_OUTPUTS = ['last_hidden_state', 'sentence_embedding', 'pooler_output'];
const MAX_TOKENS = 4096; // the manifest's ceiling
// families whose positions start after the pad id, so they hold two fewer than they list
const OFFSET_POSITIONS = new Set(['roberta', 'xlm-roberta', 'camembert', 'longformer']);

const json = <T>(files: Record<string, Uint8Array>, path: string): T | undefined => {
  const bytes = files[path];
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (e) {
    throw new ImportError(`${path} is not JSON: ${(e as Error).message}`);
  }
};

function taskOf(
  config: HfConfig,
  output: string,
): { kind: 'classification' | 'multilabel' | 'regression' | 'embedding'; labels?: string[] } {
  const arch = config.architectures?.[0] ?? '';
  if (EMBEDDING_OUTPUTS.includes(output)) return { kind: 'embedding' };
  if (!arch.endsWith('ForSequenceClassification')) {
    throw new ImportError(
      `config.json architectures: ${arch || '(none)'} with output "${output}" is not supported; Chimera serves sequence classifiers (…ForSequenceClassification, output logits) and encoders (…Model, output last_hidden_state)`,
    );
  }
  const labels = Object.entries(config.id2label ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, l]) => l);
  if (config.problem_type === 'regression') return { kind: 'regression' };
  return {
    kind: config.problem_type === 'multi_label_classification' ? 'multilabel' : 'classification',
    ...(labels.length ? { labels } : {}),
  };
}

function maxTokensOf(config: HfConfig, tokenizerConfig: { model_max_length?: number } | undefined): number {
  const fromTokenizer = tokenizerConfig?.model_max_length;
  if (fromTokenizer && fromTokenizer > 0 && fromTokenizer <= 1e6) return Math.min(MAX_TOKENS, fromTokenizer);
  const positions = config.max_position_embeddings;
  if (!positions) return 128;
  return Math.min(MAX_TOKENS, positions - (OFFSET_POSITIONS.has(config.model_type ?? '') ? 2 : 0));
}

export interface ImportOptions {
  /** the model name in Chimera */
  name: string;
  /** the task the head answers (default: label for classifiers, embedding for encoders) */
  task?: string;
  version?: string;
  /** serve at most this many tokens a text (default: the model's own limit) */
  maxTokens?: number;
}

export async function importHfExport(files: Record<string, Uint8Array>, opts: ImportOptions): Promise<ModelPackage> {
  const config = json<HfConfig>(files, 'config.json');
  if (!config) throw new ImportError('config.json is missing: export the model with its config');
  if (config.is_encoder_decoder) {
    throw new ImportError(`config.json is_encoder_decoder: ${config.model_type} is an encoder–decoder model; Chimera serves encoders`);
  }
  const tokenizerJson = files['tokenizer.json'];
  if (!tokenizerJson) throw new ImportError('tokenizer.json is missing: save the fast tokenizer beside the model');
  json(files, 'tokenizer.json');
  const tokenizerConfig = json<{ model_max_length?: number }>(files, 'tokenizer_config.json');
  const graphBytes = files['model.onnx'];
  if (!graphBytes) throw new ImportError('model.onnx is missing');

  let model: Model;
  try {
    model = internalize(decodeModel(graphBytes), files);
  } catch (e) {
    throw new ImportError(`model.onnx cannot be read: ${(e as Error).message}`);
  }
  const problems = graphProblems(model.graph);
  if (problems.length) throw new ImportError(`model.onnx: ${problems.join('; ')}`);
  const initializers = new Set(model.graph.initializers.map((t) => t.name));
  const tensors: Partial<Record<'ids' | 'mask' | 'type_ids', string>> = {};
  for (const input of model.graph.inputs.filter((i) => !initializers.has(i.name))) {
    const role = INPUTS[input.name];
    if (!role) throw new ImportError(`model.onnx input "${input.name}" is not supported (Chimera feeds ${Object.keys(INPUTS).join(', ')})`);
    tensors[role] = input.name;
  }
  if (!tensors.ids) throw new ImportError('model.onnx has no input_ids input');
  const outputs = model.graph.outputs.map((o) => o.name);
  const output = outputs.find((o) => o === 'logits') ?? outputs.find((o) => EMBEDDING_OUTPUTS.includes(o)) ?? outputs[0]!;
  const task = taskOf(config, output);
  const pooled = output === 'last_hidden_state';
  const body: ManifestBody = {
    name: opts.name,
    version: opts.version ?? `hf-${config.model_type ?? 'model'}`,
    quantization: 'none',
    input: {
      kind: 'text',
      tokenizer: {
        type: 'tokenizer.json',
        file: 'tokenizer.json',
        maxTokens: Math.min(opts.maxTokens ?? MAX_TOKENS, maxTokensOf(config, tokenizerConfig)),
        ...(typeof config.pad_token_id === 'number' ? { padId: config.pad_token_id } : {}),
      },
      tensors: {
        ids: tensors.ids,
        ...(tensors.mask ? { mask: tensors.mask } : {}),
        ...(tensors.type_ids ? { type_ids: tensors.type_ids } : {}),
      },
    },
    tasks: {
      [opts.task ?? (task.kind === 'embedding' ? 'embedding' : 'label')]: {
        output,
        ...task,
        ...(task.kind === 'embedding' ? { pooling: pooled ? 'mean' : 'none', normalize: true } : {}),
      },
    },
    recipe: {
      imported: {
        architecture: config.architectures?.[0] ?? null,
        model_type: config.model_type ?? null,
        transformers: config.transformers_version ?? null,
      },
    },
  };
  return buildPackage(model, body, { tokenizerJson });
}
