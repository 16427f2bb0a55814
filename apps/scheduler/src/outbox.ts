// Outbox entries as stored: each command is tagged with the version of the transition that made it and
// its place in it, so no two entries of one outbox are alike and clearing can check that what it
// removes is exactly what was carried out (clearOutbox-2.lua).
import type { EngineCommand } from '@regatta/engine';

/** The entries for the commands of the transition that will be stored as `version`. */
export function outboxEntries(version: number, commands: readonly EngineCommand[]): string[] {
  return commands.map((command, i) => `${version}.${i} ${JSON.stringify(command)}`);
}

/** The command of a stored entry; throws when the entry is not one. */
export function outboxCommand(entry: string): EngineCommand {
  const command = JSON.parse(entry.slice(entry.indexOf(' ') + 1)) as unknown;
  if (typeof command !== 'object' || command === null || typeof (command as { type?: unknown }).type !== 'string') {
    throw new Error(`outbox entry is not a command: ${entry.slice(0, 200)}`);
  }
  return command as EngineCommand;
}
