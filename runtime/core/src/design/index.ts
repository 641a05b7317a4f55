// Pure helpers of the designer: condition builder model, formula expressions, field keys and
// rule parts, references to a field (where used, rename), and the change summary of a publish.
export * from './condition.js';
export * from './expression.js';
export * from './fields.js';
export * from './logic-refs.js';
export * from './where-used.js';
export * from './diff.js';
