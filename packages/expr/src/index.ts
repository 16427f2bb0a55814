export { ExpressionError, type ExpressionErrorCode } from './errors.js';
export { substituteJson, substituteString, type Lookup } from './template.js';
export { evaluateWhen } from './when.js';
export { parseDepends, type DependsTaskState, type ParsedDepends, type TaskResult } from './depends.js';
