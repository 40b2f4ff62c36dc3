import { hash } from 'node:crypto';

/**
 * JSON.stringify's text of a string. One with no character it may escape (a quote, a backslash, a
 * control character or a surrogate, paired or not) is written as it is, without the call.
 */
export const jsonString = (s: string): string => {
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
};

/**
 * A JSON text that is the same for equal values whatever their key order, so that a hash taken
 * before the row went into jsonb (which reorders keys) can be recomputed from what jsonb gives back.
 *
 * The text is JSON.stringify's for each scalar, written into one string with no array of entries
 * or parts: hashing appended events took 5% of a 20,000-seeker import's CPU here (issue 15,
 * 2026-12-05), and this writes a seeker's registration in half the time of the map-and-join form
 * it replaced (canonical-json.spec.ts holds the two texts equal).
 */
export const canonicalJson = (value: unknown): string => {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default: {
      const text = JSON.stringify(value);
      return text === undefined ? 'null' : text;
    }
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) text += ',';
      // A hole writes nothing, as the map and join did: `[,1]` stays `[,1]`.
      if (i in value) text += canonicalJson(value[i]);
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  let text = '{';
  let first = true;
  // Keys are strings: the default sort orders them by UTF-16 code units, as `<` did.
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    text += `${first ? '' : ','}${jsonString(key)}:${canonicalJson(item)}`;
    first = false;
  }
  return `${text}}`;
};

export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');
