// Shard stream entries on the wire: one event (fields u, e) or, from a busy writer, several in one
// entry (field b, a JSON list of [uid, event] pairs). Written only through the encoders here, so only
// protocol events go out; what a reader takes off the stream is decoded, never cast, so an entry that
// does not decode is refused (and dead-lettered by the reader) instead of reaching the engine or
// stopping the shard.
import { z } from 'zod';
import { shardEventSchema, type ShardEvent } from './shard-events.js';

const uid = z.string().min(1);
const batchSchema = z.array(z.tuple([z.unknown(), z.unknown()])).min(1);

/** One event for a workflow, as a writer hands it over. */
export interface WorkflowEvent {
  uid: string;
  event: ShardEvent;
}

/** The stream fields of an entry holding one event. */
export function encodeEntry(uid: string, event: ShardEvent): [string, string, string, string] {
  return ['u', uid, 'e', JSON.stringify(event)];
}

/** The stream fields of an entry holding several events, kept in order; read back as entries sharing its id. */
export function encodeBatch(events: readonly WorkflowEvent[]): [string, string] {
  return ['b', JSON.stringify(events.map(({ uid, event }) => [uid, event]))];
}

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
