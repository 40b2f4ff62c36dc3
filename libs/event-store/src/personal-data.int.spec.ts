import { createCipheriv, createDecipheriv, createHash, randomUUID } from 'node:crypto';
import { EVENT_STORE_MIGRATIONS, migrate } from './migrations';
import { isSealed, openSealed, SubjectKeyring, type SealedValue } from './personal-data';
import { TEST_MASTER_KEY, testBackends, type TestDatabase } from './test-backends';

// The layouts every stored row was written in: a wrapped key is iv(12) | tag(16) | ciphertext under
// SHA-256 of the passphrase; a sealed field is AES-256-GCM over the field's JSON text.
const master = createHash('sha256').update(TEST_MASTER_KEY).digest();

const unwrapByHand = (wrappedHex: string): Buffer => {
  const wrapped = Buffer.from(wrappedHex, 'hex');
  const decipher = createDecipheriv('aes-256-gcm', master, wrapped.subarray(0, 12));
  decipher.setAuthTag(wrapped.subarray(12, 28));
  return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
};

const openByHand = (key: Buffer, sealed: SealedValue): unknown => {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.$pii.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.$pii.tag, 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(sealed.$pii.ct, 'base64')), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
};

const sealByHand = (key: Buffer, subjectId: string, value: unknown, iv: Buffer): SealedValue => {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return {
    $pii: {
      s: subjectId,
      iv: iv.toString('base64'),
      ct: ct.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    },
  };
};

// A subject key and a field written by the keyring before its random bytes were pooled (2026-12-05).
const STORED_WRAPPED_KEY =
  '7dae91947b20c653e652f5583dcf701b769397cf262c37427180241b' + // iv | tag
  '8782fd5603c6b75ba67274d352cf08b369aa169a54ff0c950f4f676aa3123e2f';
const STORED_FIELDS = {
  fullName: {
    $pii: {
      s: 'seeker:fixture-1',
      iv: 'iquGj/JMqZuytR+j',
      ct: 'N/JoYgGxJ66cKVwg/l71VNg0UP23KfaE',
      tag: '7QetQtCoEFRCNo4x/9uElw==',
    },
  },
  tags: {
    $pii: {
      s: 'seeker:fixture-1',
      iv: 'BZ0tfQxY8edicy/B',
      ct: 'va/MMk2lpErMEE4T8OMmkdRH6K45',
      tag: 'ZTJ/TPxSd+ZrAPOq64i0+w==',
    },
  },
  region: 'MA-01',
};

describe.each(testBackends().map((b) => [b.name, b] as const))('subject keyring on %s', (_name, backend) => {
  let database: TestDatabase;
  const keyring = new SubjectKeyring(TEST_MASTER_KEY);
  const subjects = (n: number): string[] => Array.from({ length: n }, () => `seeker:${randomUUID()}`);
  const storedKey = async (subjectId: string): Promise<string> => {
    const { rows } = await database.db.query<{ k: string }>(
      `SELECT encode(wrapped_key, 'hex') AS k FROM es.subject_keys WHERE subject_id = $1`,
      [subjectId],
    );
    const k = rows[0]?.k;
    if (!k) throw new Error(`no stored key for ${subjectId}`);
    return k;
  };

  beforeAll(async () => {
    database = await backend.open();
    await migrate(database.db, EVENT_STORE_MIGRATIONS);
  });
  afterAll(() => database.dispose());

  it('reads a key and fields stored before the pool exactly as before', async () => {
    await database.db.query(
      `INSERT INTO es.subject_keys (subject_id, wrapped_key) VALUES ('seeker:fixture-1', decode($1, 'hex'))`,
      [STORED_WRAPPED_KEY],
    );
    const keys = await keyring.keysFor(database.db, ['seeker:fixture-1']);
    expect(keys.get('seeker:fixture-1')).toEqual(unwrapByHand(STORED_WRAPPED_KEY));
    expect(await storedKey('seeker:fixture-1')).toBe(STORED_WRAPPED_KEY);
    expect(openSealed(STORED_FIELDS, keys)).toEqual({
      fullName: 'Fatima Zahra El Amrani',
      tags: ['é', { ü: -1.5e-7 }],
      region: 'MA-01',
    });
  });

  it('stores each new key wrapped in the same layout, and hands back the key the row unwraps to', async () => {
    const ids = subjects(50);
    const created = await keyring.keysFor(database.db, ids);
    const again = await keyring.keysFor(database.db, ids);
    const loaded = await keyring.loadKeys(database.db, ids);
    for (const id of ids) {
      const key = unwrapByHand(await storedKey(id));
      expect(key).toHaveLength(32);
      expect(created.get(id)).toEqual(key);
      expect(again.get(id)).toEqual(key);
      expect(loaded.get(id)).toEqual(key);
    }
  });

  it('seals fields that open by hand, and opens fields sealed by hand', async () => {
    const [id] = subjects(1);
    if (!id) throw new Error('no subject');
    const key = (await keyring.keysFor(database.db, [id])).get(id);
    if (!key) throw new Error('no key');
    const data = { fullName: 'Ṭāriq Ben Ḥaddū', cin: 'AB123456', phone: undefined, region: 'MA-09' };
    const sealed = keyring.sealFields(key, id, data, ['fullName', 'cin', 'phone', 'email']);
    expect(Object.keys(sealed)).toEqual(['fullName', 'cin', 'phone', 'region']);
    expect(sealed.phone).toBeUndefined();
    expect(sealed.region).toBe('MA-09');
    for (const field of ['fullName', 'cin'] as const) {
      const value = sealed[field];
      if (!isSealed(value)) throw new Error(`${field} not sealed`);
      expect(value.$pii.s).toBe(id);
      expect(Buffer.from(value.$pii.iv, 'base64')).toHaveLength(12);
      expect(Buffer.from(value.$pii.tag, 'base64')).toHaveLength(16);
      expect(openByHand(key, value)).toBe(data[field]);
    }
    const byHand = sealByHand(key, id, { nested: [1, 'x'] }, Buffer.alloc(12, 7));
    expect(openSealed({ f: byHand }, new Map([[id, key]]))).toEqual({ f: { nested: [1, 'x'] } });
  });

  it('never uses an IV or key bytes twice, across many refills of the pool', async () => {
    const ids = subjects(2_000);
    const keys = await keyring.keysFor(database.db, ids);
    const ivs = new Set<string>();
    const keyTexts = new Set<string>();
    let fields = 0;
    const firstKey = keys.get(ids[0] ?? '');
    if (!firstKey) throw new Error('no key');
    const early = keyring.sealFields(firstKey, ids[0] ?? '', { cin: 'AB1' }, ['cin']);
    for (const id of ids) {
      const key = keys.get(id);
      if (!key) throw new Error(`no key for ${id}`);
      keyTexts.add(key.toString('hex'));
      const sealed = keyring.sealFields(key, id, { a: 1, b: 'x', c: [id], d: null }, ['a', 'b', 'c', 'd']);
      for (const value of Object.values(sealed)) {
        if (!isSealed(value)) throw new Error('not sealed');
        ivs.add(value.$pii.iv);
        fields += 1;
      }
    }
    expect(keyTexts.size).toBe(ids.length);
    expect(ivs.size).toBe(fields);
    expect(fields).toBe(8_000);
    // Bytes handed out earlier are copies: later draws and refills leave the keys and IVs intact.
    expect(keys.get(ids[0] ?? '')).toEqual(unwrapByHand(await storedKey(ids[0] ?? '')));
    expect(openSealed(early, keys)).toEqual({ cin: 'AB1' });
  });

  it('still refuses a subject that was erased, alone or among new ones', async () => {
    const [gone, ...fresh] = subjects(3);
    if (!gone) throw new Error('no subject');
    await keyring.keysFor(database.db, [gone]);
    expect(await keyring.erase(database.db, gone)).toBe(true);
    await expect(keyring.keysFor(database.db, [gone])).rejects.toThrow(/erased/);
    await expect(database.db.transaction((tx) => keyring.keysFor(tx, [...fresh, gone]))).rejects.toThrow(/erased/);
    expect((await keyring.loadKeys(database.db, fresh)).size).toBe(0);
  });
});
