// The readers of `decode itch`'s input formats take the input as it arrives, a piece at a time, so that a
// capture of any size is decoded in bounded memory; a whole file is the same reader given everything at once.

/**
 * A reader of a format whose units (frames, packets) may be cut anywhere by the pieces the input arrives in.
 * `take` is given the bytes not consumed yet (what it left last time, followed by what arrived since; `base`
 * is the input offset of `b[0]`, for messages) and consumes whole units from the front, pushing what they
 * give to `out`; it returns how many bytes it consumed. With `final` the input has ended, and it consumes
 * every byte. A damaged input throws, after `out` has what came before the damage.
 */
export interface ChunkReader<T> {
  take(b: Buffer, base: number, final: boolean, out: T[]): number;
}

/** Everything a reader gives for a whole input, lazily enough that what came before a damage is seen
 *  before the error. */
export function* readWhole<T>(reader: ChunkReader<T>, b: Buffer): Generator<T> {
  const out: T[] = [];
  let damage: { error: unknown } | undefined;
  try {
    reader.take(b, 0, true, out);
  } catch (error) {
    damage = { error };
  }
  yield* out;
  if (damage) throw damage.error;
}

/**
 * The units of an input arriving in pieces, a batch per piece. `open` is called once, with the first
 * `openBytes` bytes of the input (fewer when the input is shorter) to choose the reader; an empty input gives
 * no batch and opens nothing. Memory held: the bytes of a unit cut by a piece, and one batch.
 */
export async function* readPieces<T>(input: AsyncIterable<Uint8Array>, openBytes: number,
  open: (start: Buffer) => ChunkReader<T>): AsyncGenerator<T[]> {
  let reader: ChunkReader<T> | undefined;
  let held: Buffer = Buffer.alloc(0);
  let base = 0;
  function* cut(final: boolean): Generator<T[]> {
    if (!reader) {
      if (held.length === 0 || (held.length < openBytes && !final)) return;
      reader = open(held);
    }
    const out: T[] = [];
    let damage: { error: unknown } | undefined;
    let used = 0;
    try {
      used = reader.take(held, base, final, out);
    } catch (error) {
      damage = { error };
    }
    if (out.length || damage) yield out;   // a damage is raised at the next batch, after what came before it
    if (damage) throw damage.error;
    base += used;
    held = held.subarray(used);
  }
  for await (const piece of input) {
    if (piece.length === 0) continue;
    held = held.length ? Buffer.concat([held, piece]) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    yield* cut(false);
  }
  yield* cut(true);
}
