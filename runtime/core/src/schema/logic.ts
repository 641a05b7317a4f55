import { Type } from '@sinclair/typebox';
import type { AdditionalOperation, RulesLogic } from 'json-logic-js';

/**
 * A json-logic expression written by a user. The JSON Schema accepts any JSON;
 * `checkLogic` (engine/logic-guard.ts) bounds depth, size and operators before
 * anything evaluates it.
 */
export const LogicSchema = Type.Unsafe<RulesLogic<AdditionalOperation> | string | number | boolean | null>(Type.Any());
export type Logic = RulesLogic<AdditionalOperation> | string | number | boolean | null;
