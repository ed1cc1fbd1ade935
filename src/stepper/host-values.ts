/**
 * engine262 values as plain JavaScript values, so that step mode's console prints exactly what
 * Run's does (both format with src/snippet/format.ts). Only data is read — own data properties,
 * array elements, Map and Set entries — never a getter, so printing runs no code of the snippet.
 */
import {
  BigIntValue,
  BooleanValue,
  CallSite,
  isArrayExoticObject,
  isErrorObject,
  isFunctionObject,
  JSStringValue,
  NullValue,
  NumberValue,
  ObjectValue,
  SymbolValue,
  UndefinedValue,
  type Value,
} from '@engine262/engine262';

const MAX_DEPTH = 6;

export function toHost(value: Value, depth = 0, seen = new Map<ObjectValue, unknown>()): unknown {
  if (value instanceof JSStringValue) return value.stringValue();
  if (value instanceof NumberValue) return value.value;
  if (value instanceof BooleanValue) return value.booleanValue();
  if (value instanceof UndefinedValue) return undefined;
  if (value instanceof NullValue) return null;
  if (value instanceof BigIntValue) return value.bigintValue();
  if (value instanceof SymbolValue)
    return Symbol(value.Description instanceof JSStringValue ? value.Description.stringValue() : undefined);
  if (!(value instanceof ObjectValue)) return undefined;
  if (seen.has(value)) return seen.get(value);
  if (isFunctionObject(value)) {
    const name = CallSite.getFunctionName(value) ?? '';
    const fn = { [name]: () => undefined }[name]!;
    seen.set(value, fn);
    return fn;
  }
  const data = (key: string) => {
    const descriptor = value.properties.get(key);
    return descriptor?.Value;
  };
  /** A data property, own or inherited (an error's `name` lives on its prototype). */
  const inherited = (key: string) => {
    for (let object: unknown = value; object instanceof ObjectValue;) {
      const descriptor = object.properties.get(key);
      if (descriptor) return descriptor.Value;
      object = (object as ObjectValue & { Prototype?: unknown }).Prototype;
    }
    return undefined;
  };
  if (isErrorObject(value)) {
    const message = data('message');
    const error = new Error(message instanceof JSStringValue ? message.stringValue() : '');
    const name = inherited('name');
    if (name instanceof JSStringValue) error.name = name.stringValue();
    error.stack = `${error.name}: ${error.message}`;
    seen.set(value, error);
    return error;
  }
  const slots = value as ObjectValue & {
    MapData?: { Key: Value | undefined; Value: Value | undefined }[];
    SetData?: (Value | undefined)[];
  };
  if (depth > MAX_DEPTH) return {};
  if (slots.MapData) {
    const map = new Map();
    seen.set(value, map);
    for (const entry of slots.MapData)
      if (entry.Key !== undefined)
        map.set(toHost(entry.Key, depth + 1, seen), toHost(entry.Value!, depth + 1, seen));
    return map;
  }
  if (slots.SetData) {
    const set = new Set();
    seen.set(value, set);
    for (const item of slots.SetData) if (item !== undefined) set.add(toHost(item, depth + 1, seen));
    return set;
  }
  const isArray = isArrayExoticObject(value);
  const result: Record<string, unknown> | unknown[] = isArray ? [] : {};
  seen.set(value, result);
  for (const [key, descriptor] of value.properties.entries()) {
    if (!(key instanceof JSStringValue) || !descriptor.Value) continue;
    if (descriptor.Enumerable && !descriptor.Enumerable.booleanValue()) continue;
    const name = key.stringValue();
    if (isArray && name === 'length') continue;
    (result as Record<string, unknown>)[name] = toHost(descriptor.Value, depth + 1, seen);
  }
  if (isArray) {
    const length = data('length');
    if (length instanceof NumberValue) (result as unknown[]).length = length.value;
  }
  return result;
}
