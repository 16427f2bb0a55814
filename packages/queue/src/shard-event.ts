// Decoding of shard stream entries: what a reader takes off the stream is checked, never cast, so an
// entry that does not decode is refused (and dead-lettered by the reader) instead of reaching the
// engine or stopping the shard. The schema checks the envelope each event type needs; nested outputs
// stay the engine's to read.
import { z } from 'zod';

const nodeId = z.string().min(1);
const attempt = z.number().int().nonnegative();

/** Shard events by type, with the fields their handling relies on (further fields are kept). */
export const shardEventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('workflowSubmitted') }),
  z.looseObject({ type: z.literal('timerFired'), nodeId }),
  z.looseObject({ type: z.literal('control'), control: z.looseObject({ action: z.string() }) }),
  z.looseObject({ type: z.literal('locksAcquired'), nodeId: nodeId.optional() }),
  z.looseObject({ type: z.literal('locksRefused'), nodeId: nodeId.optional(), message: z.string() }),
  z.looseObject({ type: z.literal('memoAnswered'), nodeId }),
  z.looseObject({ type: z.literal('nodeDaemoned'), nodeId, attempt }),
  z.looseObject({ type: z.literal('ttlExpired') }),
  z.looseObject({ type: z.literal('nodeFinished'), nodeId, attempt, phase: z.enum(['Succeeded', 'Failed', 'Error']), message: z.string().optional() }),
]);

export type ShardEvent = z.infer<typeof shardEventSchema>;

const uid = z.string().min(1);
const batchSchema = z.array(z.tuple([z.unknown(), z.unknown()])).min(1);

export interface ShardEntry {
  /** The stream entry's id: a batched entry's events share it. */
  id: string;
  uid: string;
  event: ShardEvent;
  /** How often the entry has been handed to a consumer, this time included. */
  deliveries: number;
}

/** An entry, or one event of a batched entry, that does not decode: its text and why. */
export interface RefusedEntry {
  id: string;
  /** True when nothing of the entry decoded: it is acknowledged on its own, not with a batch. */
  whole: boolean;
  content: string;
  reason: string;
}

export interface DecodedEntries {
  entries: ShardEntry[];
  refused: RefusedEntry[];
}

/** Decodes raw XREADGROUP/XAUTOCLAIM entries: one event (fields u, e) or a batch of them (field b). */
export function decodeEntries(raw: [string, string[]][], deliveries: (id: string) => number): DecodedEntries {
  const decoded: DecodedEntries = { entries: [], refused: [] };
  for (const [id, fields] of raw) {
    const map = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
    const refuse = (reason: string, content = JSON.stringify(Object.fromEntries(map)), whole = true) => decoded.refused.push({ id, whole, content, reason });
    const batch = map.get('b');
    const single = batch === undefined ? json(map.get('e')) : undefined;
    const pairs = batch === undefined ? single && [[map.get('u'), single.value]] : batchSchema.safeParse(json(batch)?.value).data;
    if (!pairs) {
      refuse(batch === undefined ? 'field e is not JSON' : 'field b is not a JSON list of [uid, event] pairs');
      continue;
    }
    const before = decoded.entries.length;
    const problems: { content: string; reason: string }[] = [];
    for (const [rawUid, rawEvent] of pairs) {
      const parsedUid = uid.safeParse(rawUid);
      const event = shardEventSchema.safeParse(rawEvent);
      if (parsedUid.success && event.success) decoded.entries.push({ id, uid: parsedUid.data, event: event.data, deliveries: deliveries(id) });
      else problems.push({ content: JSON.stringify([rawUid ?? null, rawEvent ?? null]), reason: parsedUid.success ? eventProblem(event.error) : 'no workflow uid' });
    }
    const whole = decoded.entries.length === before;
    if (whole && batch === undefined) refuse(problems[0]!.reason);
    else for (const problem of problems) refuse(problem.reason, problem.content, whole);
  }
  return decoded;
}

/** The parsed text (a missing field parses as undefined), or undefined when it is not JSON. */
function json(text: string | undefined): { value: unknown } | undefined {
  if (text === undefined) return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

function eventProblem(error: z.ZodError | undefined): string {
  const issue = error?.issues[0];
  if (!issue) return 'not an event';
  if (issue.path.length === 0) return 'no event';
  return `event ${issue.path.join('.')}: ${issue.message}`;
}
