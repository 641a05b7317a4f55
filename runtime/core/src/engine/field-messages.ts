import type { Message } from '../errors.js';

/**
 * Per-field validation messages in both UI languages, keyed by the error code
 * a FieldError carries. Ajv keywords map onto these codes in engine/validate.ts;
 * the record engine and CSV conversion use the rest.
 */
export type FieldMessageCode =
  | 'required' | 'type' | 'minimum' | 'maximum' | 'minLength' | 'maxLength' | 'pattern' | 'format' | 'enum'
  | 'minItems' | 'maxItems' | 'uniqueItems' | 'unknown' | 'invalid'
  | 'readOnly' | 'option' | 'linkNotFound' | 'precision' | 'check'
  | 'notNumber' | 'notDate' | 'notDatetime' | 'notBoolean' | 'notOption' | 'notJson' | 'notId';

type Params = Record<string, unknown>;

const TYPE_NAMES: Record<string, Message> = {
  string: { en: 'text', zh: '文本' },
  number: { en: 'a number', zh: '数字' },
  integer: { en: 'a whole number', zh: '整数' },
  boolean: { en: 'true or false', zh: '是或否' },
  array: { en: 'a list', zh: '列表' },
  object: { en: 'an object', zh: '对象' },
  null: { en: 'empty', zh: '空' },
};

const FORMAT_NAMES: Record<string, Message> = {
  date: { en: 'a date (YYYY-MM-DD)', zh: '日期（YYYY-MM-DD）' },
  'date-time': { en: 'a date and time with time zone (ISO 8601)', zh: '带时区的日期时间（ISO 8601）' },
  email: { en: 'an email address', zh: '邮箱地址' },
  uri: { en: 'a URL', zh: '网址' },
};

function str(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v) ?? '';
}

function typeName(t: unknown): Message {
  const first = Array.isArray(t) ? t[0] : t;
  return TYPE_NAMES[str(first)] ?? { en: str(first), zh: str(first) };
}

const TABLE: Record<FieldMessageCode, (p: Params) => Message> = {
  required: () => ({ en: 'This field is required', zh: '此项为必填项' }),
  type: (p) => ({ en: `Must be ${typeName(p.type).en}`, zh: `必须是${typeName(p.type).zh}` }),
  minimum: (p) => ({ en: `Must be at least ${str(p.limit)}`, zh: `不能小于 ${str(p.limit)}` }),
  maximum: (p) => ({ en: `Must be at most ${str(p.limit)}`, zh: `不能大于 ${str(p.limit)}` }),
  minLength: (p) => ({ en: `Must be at least ${str(p.limit)} characters`, zh: `至少 ${str(p.limit)} 个字符` }),
  maxLength: (p) => ({ en: `Must be at most ${str(p.limit)} characters`, zh: `最多 ${str(p.limit)} 个字符` }),
  pattern: () => ({ en: 'Has an invalid format', zh: '格式不正确' }),
  format: (p) => {
    const f = FORMAT_NAMES[str(p.format)];
    return f ? { en: `Must be ${f.en}`, zh: `必须是${f.zh}` } : { en: 'Has an invalid format', zh: '格式不正确' };
  },
  enum: () => ({ en: 'Must be one of the options', zh: '必须是可选项之一' }),
  minItems: (p) => ({ en: `Must have at least ${str(p.limit)} items`, zh: `至少 ${str(p.limit)} 项` }),
  maxItems: (p) => ({ en: `Must have at most ${str(p.limit)} items`, zh: `最多 ${str(p.limit)} 项` }),
  uniqueItems: () => ({ en: 'Must not contain duplicates', zh: '不能包含重复项' }),
  unknown: () => ({ en: 'Unknown field', zh: '未知字段' }),
  invalid: () => ({ en: 'Invalid value', zh: '值无效' }),
  readOnly: () => ({ en: 'This field is read-only', zh: '此项为只读，不能修改' }),
  check: () => ({ en: 'This value does not pass the form’s check', zh: '该值未通过表单校验' }),
  option: () => ({ en: 'This option is not allowed here', zh: '此选项当前不可选' }),
  linkNotFound: (p) => ({ en: `Linked record ${str(p.id)} was not found`, zh: `关联的记录 ${str(p.id)} 不存在` }),
  precision: (p) => ({ en: `At most ${str(p.limit)} digits after the decimal point`, zh: `小数位数不能超过 ${str(p.limit)} 位` }),
  notNumber: (p) => ({ en: `"${str(p.text)}" is not a number`, zh: `"${str(p.text)}" 不是数字` }),
  notDate: (p) => ({ en: `"${str(p.text)}" is not a date (YYYY-MM-DD)`, zh: `"${str(p.text)}" 不是日期（YYYY-MM-DD）` }),
  notDatetime: (p) => ({ en: `"${str(p.text)}" is not a date and time`, zh: `"${str(p.text)}" 不是日期时间` }),
  notBoolean: (p) => ({ en: `"${str(p.text)}" is not yes or no`, zh: `"${str(p.text)}" 不是"是"或"否"` }),
  notOption: (p) => ({ en: `"${str(p.text)}" is not one of the options`, zh: `"${str(p.text)}" 不是可选项` }),
  notJson: () => ({ en: 'Is not valid JSON of the expected shape', zh: '不是格式正确的 JSON' }),
  notId: (p) => ({ en: `"${str(p.text)}" is not a valid id`, zh: `"${str(p.text)}" 不是有效的编号` }),
};

/** The message for a field error code; `params` fill in limits and values. */
export function fieldMessage(code: FieldMessageCode, params: Params = {}): Message {
  return TABLE[code](params);
}
