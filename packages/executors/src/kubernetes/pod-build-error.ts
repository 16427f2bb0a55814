// Why a node's pod cannot be built: a fault of the workflow (or of the worker's image table), so the
// node ends in Error with this message instead of a pod being created.
export class PodBuildError extends Error {
  readonly code = 'PodBuildError';
}
