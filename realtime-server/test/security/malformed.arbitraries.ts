import fc from 'fast-check';
import type { Field } from './route-catalog.js';

/** Sets an own property even for `__proto__`, as JSON.parse on a client's body would. */
function put(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/** Text no field can take: NUL (PostgreSQL cannot store it) and lone surrogates (not text at all). */
const UNSTORABLE_TEXT = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', 'abc\ud83d'];
const ODD_TEXT = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\u202e\u200b\ufeff', '𝕏̸̨'.repeat(50), '🙂'.repeat(300), '\u0001\u007f'];
const OPERATORS = ['$gte', '$gt', '$lt', '$ne', '$in', '$where', '$regex', '$or', '$like', '$iLike', '$contains'];
const EVIL_KEYS = ['__proto__', 'constructor', 'prototype', 'tenantId', 'teamId', 'ownerId', 'role', 'id', 'version', ...OPERATORS];

/** A long string without asking fast-check to build it character by character. */
const longText = (min: number, max: number) =>
  fc.tuple(fc.integer({ min, max }), fc.constantFrom('x', '字', 'a b', '0')).map(([n, ch]) => ch.repeat(Math.ceil(n / ch.length)));

const nested = (depth: fc.Arbitrary<number>) =>
  fc.tuple(depth, fc.boolean()).map(([d, arrays]) => {
    let v: unknown = 1;
    for (let i = 0; i < d; i++) v = arrays ? [v] : put({}, 'a', v);
    return v;
  });

const operatorObject = (inner: fc.Arbitrary<unknown>) => fc.tuple(fc.constantFrom(...OPERATORS), inner).map(([op, v]) => put({}, op, v));

const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...ODD_TEXT),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e-308, 0, -0),
);

/** Where a payload goes: a socket message must stay under maxHttpBufferSize (64 KB) or the socket is closed. */
export type Room = 'body' | 'socket';
const LONGEST: Record<Room, number> = { body: 70_000, socket: 4_000 };

/** Any JSON-ish junk: wrong types, operators, prototype keys, deep nesting, long strings. */
const junkOf = (room: Room): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: scalar },
    { weight: 2, arbitrary: fc.array(scalar, { maxLength: 5 }) },
    { weight: 2, arbitrary: operatorObject(scalar) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...EVIL_KEYS), scalar).map(([k, v]) => put({}, k, put({}, 'polluted', v))) },
    { weight: 1, arbitrary: nested(fc.integer({ min: 33, max: 400 })) },
    { weight: 1, arbitrary: longText(Math.floor(LONGEST[room] / 4), Math.floor(LONGEST[room] / 3)) },
  );
const JUNK: Record<Room, fc.Arbitrary<unknown>> = { body: junkOf('body'), socket: junkOf('socket') };

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'null' | 'array';
const notA = (kinds: Kind[], room: Room) =>
  JUNK[room].filter((v) => {
    const kind = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
    return !kinds.includes(kind as Kind);
  });

const validInt = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;
const ID_MAX = 2_147_483_647;

/** Days that look right but are not on the calendar, or lie outside 0001–9999 (PostgreSQL refuses year 0). */
const UNREAL_DAYS = ['2025-02-29', '2023-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '0000-01-01', '0000-02-29', '10000-01-01'];
/** The same for date-times, plus offsets that push the instant out of 0001–9999 in UTC. */
const UNREAL_TIMES = [
  '2025-02-29T09:00:00+08:00',
  '2025-02-30T25:61:00+08:00',
  '0000-06-01T00:00:00Z',
  '0001-01-01T00:00:00+14:00',
  '9999-12-31T23:59:59-14:00',
  '2025-01-01T24:00:00Z',
  '2025-01-01T23:60:00Z',
  'tomorrow',
];
const base64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** Customer cursors a client could forge: a key of the wrong kind for its sort, an id past int4, junk. */
const forgedCursor = fc
  .oneof(
    fc.tuple(
      fc.constantFrom('createdAt', 'lastContact'),
      fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('2025-02-30 10:00:00+08', '0000-01-01 00:00:00+00')),
      fc.integer({ min: 1, max: 99 }),
    ),
    fc.tuple(fc.constant('name'), fc.constantFrom(null, 'a\u0000b', '\ud800', 'x'.repeat(201)), fc.integer({ min: 1, max: 99 })),
    fc.tuple(
      fc.constantFrom('name', 'createdAt'),
      fc.constantFrom('Acme', '2025-03-01 09:30:00.123456+08'),
      fc.oneof(
        fc.integer({ min: 1, max: 2 ** 22 }).map((n) => ID_MAX + n),
        fc.double().filter((n) => !Number.isInteger(n)),
        fc.integer({ max: 0 }),
      ),
    ),
  )
  .map(base64url);

/** A value of the wrong type or out of range for the field: no schema can accept it. */
export function wrongFor(field: Field, room: Room): fc.Arbitrary<unknown> {
  const cap = LONGEST[room];
  switch (field.kind) {
    case 'id':
      return fc.oneof(
        notA(['number'], room),
        fc.integer({ max: 0 }),
        fc.double().filter((n) => !Number.isInteger(n)),
        fc.integer({ min: 1, max: 2 ** 22 }).map((n) => ID_MAX + n),
      );
    case 'int':
      return fc.oneof(
        notA(['number'], room),
        fc.integer({ max: field.min - 1 }),
        fc.double().filter((n) => !validInt(n, field.min, field.max)),
      );
    case 'text':
      return fc.oneof(
        notA(['string'], room),
        fc.constantFrom('', '   ', '\n\t'),
        longText(field.max + 1, Math.max(field.max + 2, cap)),
        fc.constantFrom(...UNSTORABLE_TEXT),
      );
    case 'pattern':
      return fc.oneof(
        notA(['string'], room),
        fc.string({ maxLength: 40 }).filter((s) => !field.valid.test(s.trim())),
        longText(field.max + 1, cap),
      );
    case 'enum':
      return fc.oneof(
        notA(['string'], room),
        fc.string({ maxLength: 20 }).filter((s) => !field.values.includes(s)),
      );
    case 'bool':
      return notA(['boolean'], room);
    case 'time':
      return fc.oneof(
        notA(['string', 'null'], room),
        fc.string({ maxLength: 30 }).filter((s) => !/^\d{4}-\d{2}-\d{2}T/.test(s)),
        fc.constantFrom(...UNREAL_TIMES, ...(field.future ? ['2000-01-01T00:00:00Z'] : [])),
      );
    case 'date':
      return fc.oneof(
        notA(['string', 'null'], room),
        fc.string({ maxLength: 12 }).filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)),
        fc.constantFrom(...UNREAL_DAYS),
      );
    case 'cursor':
      return fc.oneof(notA(['string'], room), forgedCursor);
    case 'ids':
      return fc.oneof(
        notA(['array'], room),
        fc.array(wrongFor({ kind: 'id' }, room), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 501, max: 800 }).map((n) => Array.from({ length: n }, (_, i) => i + 1)),
      );
    case 'seqmap':
      return fc.oneof(
        notA(['object'], room),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc
          .tuple(
            fc.string({ maxLength: 8 }).filter((k) => !/^\d{1,10}$/.test(k)),
            fc.nat(),
          )
          .map(([k, v]) => put({}, k, v)),
        fc.tuple(fc.nat({ max: 99 }), notA(['number'], room)).map(([k, v]) => put({}, String(k), v)),
        fc
          .tuple(
            fc.nat({ max: 99 }),
            fc.oneof(
              fc.integer({ max: -1 }),
              fc.double().filter((n) => !Number.isInteger(n)),
            ),
          )
          .map(([k, v]) => put({}, String(k), v)),
      );
    case 'token':
      return fc.oneof(notA(['string'], room), fc.string({ maxLength: 200 }));
    case 'phone':
      return fc.oneof(notA(['string', 'null'], room), fc.constantFrom(...NOT_PHONES), longText(33, cap));
  }
}

/** Text that is no phone number: letters, a `+` inside, too few or too many digits, an extension. */
const NOT_PHONES = ['12ab', '138+0013+8000', '+', '1234', '(0)', 'tel:13800138000', '1'.repeat(21), '138 0013 8000 转 5', '１２３', '--'];

const FULL_WIDTH = (s: string) => s.replace(/[0-9+]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

/**
 * A Chinese mobile number and several ways people type it (groups split by spaces, dashes, dots or
 * an ideographic space; `+86`, `0086`, `86`, `(+86)` or `+86 (0)` in front; full-width digits), with
 * the one E.164 key they all share.
 */
export const phoneSpellings = fc
  .tuple(
    fc.constantFrom('13', '14', '15', '16', '17', '18', '19'),
    fc.stringMatching(/^\d{9}$/),
    fc.array(
      fc.tuple(fc.constantFrom('', '+86', '0086', '86', '(+86)', '+86 (0)'), fc.constantFrom('', ' ', '-', '.', '\u3000'), fc.boolean()),
      { minLength: 2, maxLength: 4 },
    ),
  )
  .map(([head, tail, styles]) => {
    const digits = head + tail;
    const spellings = styles.map(([prefix, sep, fullWidth]) => {
      const typed = `${prefix}${prefix ? ' ' : ''}${[digits.slice(0, 3), digits.slice(3, 7), digits.slice(7)].join(sep)}`;
      return fullWidth ? FULL_WIDTH(typed) : typed;
    });
    return { e164: `+86${digits}`, spellings };
  });

/**
 * A body (or socket payload) that breaks at least one checked field, with junk and prototype keys
 * on top; sometimes not an object at all.
 */
export function malformedObject(template: Record<string, unknown>, fields: Record<string, Field>, room: Room): fc.Arbitrary<unknown> {
  const names = Object.keys(fields);
  const broken = fc
    .tuple(
      fc
        .subarray(names, { minLength: 1 })
        .chain((keys) => fc.tuple(...keys.map((k) => wrongFor(fields[k]!, room).map((v) => [k, v] as const)))),
      fc.array(fc.tuple(fc.oneof(fc.constantFrom(...EVIL_KEYS), fc.string({ maxLength: 12 })), JUNK[room]), { maxLength: 2 }),
    )
    .map(([wrong, extra]) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of extra) if (!(k in fields)) put(out, k, v);
      for (const [k, v] of Object.entries(template)) put(out, k, v);
      for (const [k, v] of wrong) put(out, k, v);
      return out;
    });
  const notObject = fc.oneof(fc.array(JUNK[room], { maxLength: 2 }), scalar, nested(fc.integer({ min: 33, max: 300 })));
  return names.length === 0 ? notObject : fc.oneof({ weight: 5, arbitrary: broken }, { weight: 1, arbitrary: notObject });
}

const invalidNumberText = (min: number, max: number) =>
  fc
    .oneof(
      fc.constantFrom('abc', '-1', '1.5', 'NaN', 'Infinity', '1e400', '', ' ', String(max + 1), String(min - 1), '9'.repeat(30)),
      fc.string({ maxLength: 12 }).filter((s) => !validInt(Number(s), min, max)),
    )
    .filter((s) => !validInt(Number(s), min, max));

function wrongQueryValue(field: Field): fc.Arbitrary<string> {
  switch (field.kind) {
    case 'id':
      return invalidNumberText(1, ID_MAX);
    case 'int':
      return invalidNumberText(field.min, field.max);
    case 'enum':
      return fc.string({ maxLength: 20 }).filter((s) => !field.values.includes(s));
    case 'text':
      return fc.oneof(longText(field.max + 1, field.max + 500), fc.constantFrom('a\u0000b', 'x\u0001y', '\u0007'));
    case 'date':
      return fc.constantFrom(...UNREAL_DAYS);
    case 'time':
      return fc.constantFrom(...UNREAL_TIMES);
    case 'cursor':
      return fc.oneof(forgedCursor, fc.string({ maxLength: 40 }));
    default:
      return fc.oneof(fc.string({ maxLength: 200 }), fc.constant(''));
  }
}

/** A query string with at least one thing a strict schema refuses: unknown key, operator, bad value, repeat. */
export function malformedQuery(fields: Record<string, Field>): fc.Arbitrary<string> {
  const names = Object.keys(fields);
  const enc = (s: string) => encodeURIComponent(s);
  const unknown = fc
    .tuple(
      fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !names.includes(k)),
      fc.string({ maxLength: 20 }),
    )
    .map(([k, v]) => `${enc(k)}=${enc(v)}`);
  const operator = fc
    .tuple(
      fc.constantFrom(...names, 'where', 'id'),
      fc.constantFrom(...OPERATORS, '__proto__', 'constructor'),
      fc.string({ maxLength: 10 }),
    )
    .map(([k, op, v]) => `${enc(k)}[${enc(op)}]=${enc(v)}`);
  const strategies: Array<fc.Arbitrary<string>> = [unknown, operator];
  if (names.length > 0) {
    strategies.push(fc.constantFrom(...names).chain((k) => wrongQueryValue(fields[k]!).map((v) => `${enc(k)}=${enc(v)}`)));
    strategies.push(
      fc
        .tuple(fc.constantFrom(...names), fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
        .map(([k, a, b]) => `${enc(k)}=${enc(a)}&${enc(k)}=${enc(b)}`),
    );
  }
  return fc.array(fc.oneof(...strategies), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('&'));
}

/** Path segments that are not record ids. */
export const badIdSegment = fc.oneof(
  fc.constantFrom(
    '0',
    '-1',
    '1.5',
    'abc',
    '99999999999',
    '%00',
    '1%20',
    '%2e%2e',
    '1e3',
    '0x1f',
    '%F0%9F%99%82',
    'null',
    '[object%20Object]',
  ),
  fc
    .string({ maxLength: 12 })
    .filter((s) => s.length > 0 && !/^[1-9]\d{0,9}$/.test(s))
    .map(encodeURIComponent),
);
