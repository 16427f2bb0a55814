// `regatta completion bash|zsh|fish`: scripts generated from the command tree, so that they offer
// exactly the commands, subcommands and flags that exist.
import type { Command } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface Level {
  /** The command words leading here, e.g. `cron create`; '' for the top. */
  path: string;
  words: string[];
}

function levels(command: Command, path = ''): Level[] {
  const subcommands = command.commands.map((sub) => sub.name());
  const flags = command.options.flatMap((option) => [option.short, option.long].filter((flag): flag is string => flag !== undefined));
  const here = { path, words: [...subcommands, ...flags, '--help'] };
  return [here, ...command.commands.flatMap((sub) => levels(sub, path === '' ? sub.name() : `${path} ${sub.name()}`))];
}

function bash(program: Command): string {
  // Longest paths first: the words typed so far (options left out) begin with the deepest command they name.
  const cases = levels(program)
    .filter((level) => level.path !== '')
    .sort((a, b) => b.path.length - a.path.length)
    .map((level) => `    "${level.path}" | "${level.path} "*) words="${level.words.join(' ')}" ;;`);
  const top = levels(program)[0]!.words.join(' ');
  return `# bash completion for regatta: source <(regatta completion bash)
_regatta() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) path="\${path:+$path }\${COMP_WORDS[i]}" ;; esac
  done
  case "$path" in
${cases.join('\n')}
    *) words="${top}" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _regatta regatta
`;
}

function fish(program: Command): string {
  const lines = ['# fish completion for regatta: regatta completion fish | source', 'complete -c regatta -f'];
  for (const sub of program.commands) {
    lines.push(`complete -c regatta -n __fish_use_subcommand -a ${sub.name()} -d ${quoteFish(sub.description())}`);
    for (const inner of sub.commands) lines.push(`complete -c regatta -n '__fish_seen_subcommand_from ${sub.name()}' -a ${inner.name()} -d ${quoteFish(inner.description())}`);
    for (const option of sub.options) {
      const short = option.short ? ` -s ${option.short.slice(1)}` : '';
      const long = option.long ? ` -l ${option.long.slice(2)}` : '';
      lines.push(`complete -c regatta -n '__fish_seen_subcommand_from ${sub.name()}'${short}${long} -d ${quoteFish(option.description)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const quoteFish = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function completionScript(shell: Shell, program: Command): string {
  if (shell === 'fish') return fish(program);
  // zsh runs the bash script through its bash compatibility.
  const script = bash(program);
  return shell === 'zsh' ? `#compdef regatta\nautoload -U +X bashcompinit && bashcompinit\n${script}` : script;
}
