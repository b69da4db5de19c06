import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

/**
 * Writes a transformers.js model folder small enough to build inside a test, with no download:
 * a WordPiece tokenizer over a dozen words and an ONNX graph that is one Gather (token -> vector),
 * so mean pooling gives the average of hand-set word vectors. Enough to prove the provider loads a
 * local model with remote models switched off and pools, normalizes and batches correctly.
 */
export const TINY_BERT_DIMENSIONS = 4;

const WORD_VECTORS: Record<string, number[]> = {
  refund: [1, 0, 0, 0],
  money: [0.9, 0.1, 0, 0],
  back: [0.7, 0, 0.3, 0],
  shipping: [0, 1, 0, 0],
  box: [0, 0.8, 0.2, 0],
  parcel: [0, 0.9, 0, 0.1],
  hello: [0, 0, 0, 1],
};

export function writeTinyBertModel(modelsDir: string, name = 'tiny-bert'): string {
  const dir = join(modelsDir, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
  const vocab: Record<string, number> = {};
  [...specials, ...Object.keys(WORD_VECTORS)].forEach((token, i) => (vocab[token] = i));

  // [PAD] and [UNK] are zero; [CLS] and [SEP] share a small constant so pooling stays defined.
  const table = new Float32Array(Object.keys(vocab).length * TINY_BERT_DIMENSIONS);
  table.set([0.05, 0.05, 0.05, 0.05], 2 * TINY_BERT_DIMENSIONS);
  table.set([0.05, 0.05, 0.05, 0.05], 3 * TINY_BERT_DIMENSIONS);
  Object.values(WORD_VECTORS).forEach((v, i) => table.set(v, (specials.length + i) * TINY_BERT_DIMENSIONS));

  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: TINY_BERT_DIMENSIONS, vocab_size: Object.keys(vocab).length }));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 128, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]' }),
  );
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab, specials)));
  const onnx = modelProto(table, Object.keys(vocab).length);
  writeFileSync(join(dir, 'onnx', 'model_quantized.onnx'), onnx);
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnx);
  return dir;
}

function tokenizerJson(vocab: Record<string, number>, specials: string[]) {
  const special = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
      pair: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]'), { Sequence: { id: 'B', type_id: 1 } }, special('[SEP]')],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

// --- a minimal protobuf writer, enough for the ONNX messages below ---
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, value: number) => Buffer.from([...key(field, 0), ...varint(value)]);
const bytes = (field: number, value: Buffer) => Buffer.concat([Buffer.from([...key(field, 2), ...varint(value.length)]), value]);
const str = (field: number, value: string) => bytes(field, Buffer.from(value, 'utf8'));
const msg = (...parts: Buffer[]) => Buffer.concat(parts);

const FLOAT = 1;
const INT64 = 7;

function valueInfo(name: string, elemType: number, dims: string[]): Buffer {
  const shape = msg(...dims.map((d) => bytes(1, str(2, d))));
  return msg(str(1, name), bytes(2, bytes(1, msg(int(1, elemType), bytes(2, shape)))));
}

function modelProto(table: Float32Array, vocabSize: number): Buffer {
  const initializer = msg(
    int(1, vocabSize),
    int(1, TINY_BERT_DIMENSIONS),
    int(2, FLOAT),
    str(8, 'word_embeddings'),
    bytes(9, Buffer.from(table.buffer, table.byteOffset, table.byteLength)),
  );
  const gather = msg(str(1, 'word_embeddings'), str(1, 'input_ids'), str(2, 'last_hidden_state'), str(3, 'lookup'), str(4, 'Gather'));
  const graph = msg(
    bytes(1, gather),
    str(2, 'tiny-bert'),
    bytes(5, initializer),
    bytes(11, valueInfo('input_ids', INT64, ['batch', 'sequence'])),
    bytes(11, valueInfo('attention_mask', INT64, ['batch', 'sequence'])),
    bytes(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', 'hidden'])),
  );
  return msg(int(1, 7), str(2, 'support-agent-test'), bytes(7, graph), bytes(8, msg(str(1, ''), int(2, 13))));
}
