// chimera import on the Hugging Face fixtures: what it reads from an export folder, what
// it refuses (naming the file and field), and its int8 package's agreement with float.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreement } from '../../cli/quantize-report.ts';
import { importHfExport } from '../../models/import/hf-export.ts';
import { quantizePackage } from '../../models/quantize/package.ts';

const folder = (name: string) =>
  Object.fromEntries(
    readdirSync(join('tests/fixtures/hf', name)).map((f) => [f, new Uint8Array(readFileSync(join('tests/fixtures/hf', name, f)))]),
  );
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const config = (name: string) => JSON.parse(new TextDecoder().decode(folder(name)['config.json']));

describe('chimera import', () => {
  it('reads labels, kind, inputs and maxTokens from the export', async () => {
    const cls = (await importHfExport(folder('bert-cls'), { name: 'bert' })).manifest;
    expect(cls.tasks.label).toMatchObject({ output: 'logits', kind: 'classification', labels: ['negative', 'neutral', 'positive'] });
    expect(cls.input).toMatchObject({
      tokenizer: { type: 'tokenizer.json', maxTokens: 128, padId: 0 },
      tensors: { ids: 'input_ids', mask: 'attention_mask', type_ids: 'token_type_ids' },
    });
    expect(cls.files.map((f) => f.role).sort()).toEqual(['external-data', 'graph', 'tokenizer']);
    const multi = (await importHfExport(folder('roberta-cls'), { name: 'roberta', task: 'tone' })).manifest;
    expect(multi.tasks.tone).toMatchObject({ kind: 'multilabel', labels: ['positive', 'subjective'] });
    expect(multi.input.kind === 'text' && multi.input.tensors.type_ids).toBeUndefined();
    const embed = (await importHfExport(folder('bert-embed'), { name: 'embed' })).manifest;
    expect(embed.tasks.embedding).toMatchObject({ output: 'last_hidden_state', kind: 'embedding', pooling: 'mean', normalize: true });
  });
  it('refuses what it cannot serve, naming the file and the field', async () => {
    const refuse = (files: Record<string, Uint8Array>, pattern: RegExp) =>
      expect(importHfExport(files, { name: 'x' })).rejects.toThrow(pattern);
    await refuse(
      { ...folder('bert-cls'), 'config.json': json({ ...config('bert-cls'), is_encoder_decoder: true, model_type: 't5' }) },
      /config.json is_encoder_decoder: t5 is an encoder–decoder model/,
    );
    await refuse(
      { ...folder('bert-cls'), 'config.json': json({ ...config('bert-cls'), architectures: ['BertForTokenClassification'] }) },
      /config.json architectures: BertForTokenClassification with output "logits" is not supported/,
    );
    await refuse({ ...folder('bert-cls'), 'tokenizer.json': new TextEncoder().encode('{"model": ') }, /tokenizer.json is not JSON/);
    const { 'tokenizer.json': _t, ...noTokenizer } = folder('bert-cls');
    await refuse(noTokenizer, /tokenizer.json is missing/);
    const { 'model.onnx_data': _d, ...noData } = folder('bert-cls');
    await refuse(noData, /model.onnx cannot be read: .*model.onnx_data/);
  });
  it('writes an int8 package that agrees with float on the fixture texts, and says so', async () => {
    const fp32 = await importHfExport(folder('bert-cls'), { name: 'bert' });
    const int8 = await quantizePackage(fp32);
    const size = (p: typeof fp32) => Object.values(p.files).reduce((s, b) => s + b.length, 0);
    expect(size(int8)).toBeLessThan(size(fp32));
    const texts = (JSON.parse(new TextDecoder().decode(folder('bert-cls')['expected.json'])) as { cases: { text: string }[] }).cases.map(
      (c) => c.text,
    );
    const [report] = await agreement(fp32, int8, texts);
    expect(report!.labelAgreement).toBeGreaterThanOrEqual(0.99);
    expect(report!.minCosine).toBeGreaterThan(0.999);
  });
});
