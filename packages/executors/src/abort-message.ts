// The message of a node stopped through its run's AbortSignal: the reason where it is a string (the
// scheduler's "Stopped with strategy 'Terminate'"), else Argo's "terminated".
export function abortMessage(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'terminated';
}
