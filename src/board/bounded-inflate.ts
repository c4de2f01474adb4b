/**
 * DEFLATE decompression that stops at a size limit while it streams: a crafted input of a few
 * kilobytes that would inflate to gigabytes is refused after at most `limit` + ~1 MB of output,
 * never after inflating it all (DEFLATE expands at most ~1032:1, so feeding the input 1 KB at a
 * time bounds each step's output).
 */

import { Inflate } from 'fflate';

const INPUT_STEP = 1024;

export class InflateLimitError extends Error {
  override name = 'InflateLimitError';
}

export class InflateCorruptError extends Error {
  override name = 'InflateCorruptError';
}

/** Inflate raw DEFLATE `input`; throws InflateLimitError past `limit` bytes, InflateCorruptError when it does not decompress. */
export function inflateBounded(input: Uint8Array, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inflater = new Inflate((data, final) => {
    total += data.length;
    if (total > limit) throw new InflateLimitError(`decompresses to more than ${limit} bytes`);
    // fflate reuses no output buffers across pushes, but copy to be independent of it.
    if (data.length > 0) chunks.push(data.slice());
    if (final) ended = true;
  });
  try {
    if (input.length === 0) throw new InflateCorruptError('no data');
    for (let at = 0; at < input.length; at += INPUT_STEP) {
      const end = Math.min(input.length, at + INPUT_STEP);
      inflater.push(input.subarray(at, end), end === input.length);
    }
  } catch (err) {
    if (err instanceof InflateLimitError || err instanceof InflateCorruptError) throw err;
    throw new InflateCorruptError(err instanceof Error ? err.message : String(err));
  }
  if (!ended) throw new InflateCorruptError('the data ends early');
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
