// The public face of @regatta/expr: Argo's template tags, `when` conditions and DAG `depends` logic.
export { ExpressionError, type ExpressionErrorCode } from './errors.js';
export { evaluateToText, expressionTags, substituteJson, substituteString, templateTags, type ExpressionMode, type Lookup } from './template.js';
export { evaluateWhen } from './when.js';
export { parseDepends, type DependsTaskState, type ParsedDepends, type TaskResult } from './depends.js';
export { evaluateExpression, evaluateToJson, parseExpression, type ExpressionScope } from './expression/index.js';
export { sharedBudget, type Budget } from './expression/budget.js';
export { parseDuration as parseGoDuration } from './expression/go-duration.js';
