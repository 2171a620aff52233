// Roster import (through the kiosk's picker, within the drives it lists): UTF-8 and Windows-1252/';' files, bad rows reported with their line numbers, progress per agent.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRosterBytes, parseRosterCsv } from '../../../electron/engine/supervisor/roster-csv';
import { ROSTER_PART_BYTES } from '../../../shared/supervisor-methods';
import { openTestKiosk, type TestKiosk } from '../engine/harness';
import { enrol, testWithPin } from '../engine/flow';
import { importRosterFile, setUpAndOpen, sup, supRefused } from './harness';

/** Windows-1252 as Excel writes it on a French Windows: Latin-1 plus the typographic apostrophe at 0x92. */
function windows1252(text: string): Buffer {
  return Buffer.from([...text].map((c) => (c === '’' ? 0x92 : c.charCodeAt(0))));
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('roster CSV parsing', () => {
  it('reads a UTF-8 file with a BOM and commas, quoted cells included', async () => {
    const csv = await parseRosterCsv(
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        utf8('email,name,service\r\nJeanne.Martin@agriculture.gouv.fr,"Martin, Jeanne",SIVEP Roissy\r\nluc.petit@agriculture.gouv.fr,Luc Petit,PIF Le Havre\r\n'),
      ]),
    );
    expect(csv.encoding).toBe('utf-8');
    expect(csv.separator).toBe(',');
    expect(csv.errors).toEqual([]);
    expect(csv.rows).toEqual([
      { email: 'jeanne.martin@agriculture.gouv.fr', name: 'Martin, Jeanne', service: 'SIVEP Roissy', line: 2 },
      { email: 'luc.petit@agriculture.gouv.fr', name: 'Luc Petit', service: 'PIF Le Havre', line: 3 },
    ]);
  });

  it('lists a bad row with its line number and keeps the good ones', async () => {
    const csv = await parseRosterCsv(
      utf8(
        [
          'email,name,service',
          'a.durand@agriculture.gouv.fr,Anne Durand,PIF Marseille',
          '',
          'pas-une-adresse,Paul Blanc,PIF Marseille',
          'A.DURAND@agriculture.gouv.fr,Anne Durand bis,PIF Marseille',
          'b.roux@agriculture.gouv.fr,Bruno Roux,PIF Marseille',
        ].join('\n'),
      ),
    );
    expect(csv.rows.map((r) => [r.line, r.email])).toEqual([
      [2, 'a.durand@agriculture.gouv.fr'],
      [6, 'b.roux@agriculture.gouv.fr'],
    ]);
    expect(csv.errors).toEqual([
      { line: 4, reason: 'email_invalid', value: 'pas-une-adresse' },
      { line: 5, reason: 'email_duplicate', value: 'a.durand@agriculture.gouv.fr' },
    ]);
  });

  it('reads a Windows-1252 file with ";" separators and French headers, accents intact', async () => {
    const bytes = windows1252(
      'Courriel;Nom;Service\r\nhelene.lefevre@agriculture.gouv.fr;Hélène Lefèvre;Bureau d’inspection frontalière\r\nfrancois.garcon@douane.finances.gouv.fr;François Garçon;Sète\r\n',
    );
    // Sanity: these bytes are not UTF-8, as a real Excel export would not be.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const csv = await parseRosterCsv(bytes);
    expect(csv.encoding).toBe('windows-1252');
    expect(csv.separator).toBe(';');
    expect(csv.errors).toEqual([]);
    expect(csv.rows).toEqual([
      {
        email: 'helene.lefevre@agriculture.gouv.fr',
        name: 'Hélène Lefèvre',
        service: 'Bureau d’inspection frontalière',
        line: 2,
      },
      { email: 'francois.garcon@douane.finances.gouv.fr', name: 'François Garçon', service: 'Sète', line: 3 },
    ]);
  });

  it('takes a file without a header as email, name, service', async () => {
    const csv = await parseRosterCsv(utf8('x.y@agriculture.gouv.fr;X Y;PIF Brest\n'));
    expect(csv.rows).toEqual([{ email: 'x.y@agriculture.gouv.fr', name: 'X Y', service: 'PIF Brest', line: 1 }]);
  });

  it('counts lines inside a quoted cell, so later line numbers still match the file', async () => {
    const csv = await parseRosterCsv(utf8('email,name,service\na@b.fr,"Deux\nlignes",S\nmauvaise,Z,S\n'));
    expect(csv.errors).toEqual([{ line: 4, reason: 'email_invalid', value: 'mauvaise' }]);
  });

  it('counts a CRLF inside a quoted cell as one line, as a spreadsheet shows it', async () => {
    const csv = await parseRosterCsv(utf8('email,name,service\r\na@b.fr,"Deux\r\nlignes",S\r\nmauvaise,Z,S\r\n'));
    expect(csv.errors).toEqual([{ line: 4, reason: 'email_invalid', value: 'mauvaise' }]);
  });

  it('reports a quote left open with the line it starts on, and keeps the rows before it', async () => {
    const csv = await parseRosterCsv(utf8('email,name,service\na@b.fr,A,S\nc@d.fr,"Jamais fermé,S\ne@f.fr,E,S\n'));
    expect(csv.rows.map((r) => r.email)).toEqual(['a@b.fr']);
    expect(csv.errors).toEqual([{ line: 3, reason: 'unclosed_quote', value: 'c@d.fr,"Jamais fermé,S\ne@f.fr,E,S\n' }]);
  });

  it('decodes UTF-8 without a BOM as UTF-8', async () => {
    expect((await decodeRosterBytes(utf8('Hélène'))).text).toBe('Hélène');
  });
});

describe('roster import and progress through the console', () => {
  let k: TestKiosk;
  afterEach(() => k.close());

  it('imports the good rows, reports the bad ones, and follows each agent from not started to sign-in tested', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    const file = windows1252(
      'email;nom;service\r\njeanne.martin@agriculture.gouv.fr;Jeanne Martin;Roissy\r\nluc.petit@agriculture.gouv.fr;Luc Petit;Roissy\r\nfaux@;Faux;Roissy\r\nzoe.bernard@agriculture.gouv.fr;Zoé Bernard;Roissy\r\n',
    );
    const result = await importRosterFile(k, file);
    expect(result).toEqual({ imported: 3, encoding: 'windows-1252', errors: [{ line: 4, reason: 'email_invalid', value: 'faux@' }] });

    const { secret } = await enrol(k, 'jeanne.martin@agriculture.gouv.fr');
    await testWithPin(k, secret);
    await k.call('next');
    await enrol(k, 'luc.petit@agriculture.gouv.fr');
    await k.call('cancel');

    const roster = await sup(k, 'getRoster');
    expect(roster.agents.map((a) => [a.email, a.name, a.status])).toEqual([
      ['jeanne.martin@agriculture.gouv.fr', 'Jeanne Martin', 'sign-in-tested'],
      ['luc.petit@agriculture.gouv.fr', 'Luc Petit', 'device-registered'],
      ['zoe.bernard@agriculture.gouv.fr', 'Zoé Bernard', 'not-started'],
    ]);
    expect(roster.counts).toEqual({ total: 3, notStarted: 1, deviceRegistered: 1, signInTested: 1 });
  });

  it('keeps the previous roster when no row of the new file is good', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    await importRosterFile(k, utf8('email\na@agriculture.gouv.fr\n'));
    const bad = await importRosterFile(k, utf8('email\nnope\n'));
    expect(bad.imported).toBe(0);
    expect((await sup(k, 'getRoster')).counts.total).toBe(1);
  });

  it('takes a roster bigger than one part of the upload, with line numbers counted across parts', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    const lines = ['email;nom;service'];
    for (let i = 0; i < 3000; i += 1) lines.push(i === 2500 ? 'mauvaise-adresse;X;Y' : `agent.${i}@agriculture.gouv.fr;Agent ${i};Service ${i % 7}`);
    const file = utf8(`${lines.join('\r\n')}\r\n`);
    expect(file.length).toBeGreaterThan(3 * ROSTER_PART_BYTES);
    const result = await importRosterFile(k, file);
    expect(result.imported).toBe(2999);
    expect(result.errors).toEqual([{ line: 2502, reason: 'email_invalid', value: 'mauvaise-adresse' }]);
    expect((await sup(k, 'getRoster')).counts.total).toBe(2999);
  });

  it('refuses a part out of order instead of mixing two files', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    const part = Buffer.from('email\n').toString('base64');
    await sup(k, 'importRoster', { fileName: 'a.csv', bytesBase64: part, part: 0, parts: 3 });
    expect(await supRefused(k, 'importRoster', { fileName: 'a.csv', bytesBase64: part, part: 2, parts: 3 })).toEqual({
      code: 'invalid_input',
      params: { field: 'part' },
    });
    expect((await supRefused(k, 'importRoster', { fileName: 'a.csv', bytesBase64: part, part: 1, parts: 3 })).code).toBe(
      'invalid_input',
    );
  });
});

describe("roster import through the kiosk's own picker", () => {
  let k: TestKiosk | undefined;
  afterEach(() => k?.close());

  /** The station's export folder, one of the places the picker lists (a USB drive is another). */
  function exportsFolder(kiosk: TestKiosk): string {
    const folder = join(kiosk.dataDir, 'exports');
    mkdirSync(join(folder, 'jour-1'), { recursive: true });
    return folder;
  }

  it('lists the places, then a folder\'s sub-folders and CSV files, and imports the file picked', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    const folder = exportsFolder(k);
    writeFileSync(join(folder, 'agents.csv'), 'email;nom;service\r\nhelene.lefevre@agriculture.gouv.fr;Hélène Lefèvre;PIF\r\n');
    writeFileSync(join(folder, 'notes.txt'), 'not a roster');
    const top = await sup(k, 'browseRosterFiles', { folder: '' });
    expect(top.folders).toContainEqual({ name: '', path: folder });
    const listing = await sup(k, 'browseRosterFiles', { folder });
    expect(listing.parent).toBe('');
    expect(listing.folders.map((f) => f.name)).toEqual(['jour-1']);
    expect(listing.files.map((f) => f.name)).toEqual(['agents.csv']);
    expect((await sup(k, 'browseRosterFiles', { folder: join(folder, 'jour-1') })).parent).toBe(folder);
    const result = await sup(k, 'importRosterFile', { path: join(folder, 'agents.csv') });
    expect(result.imported).toBe(1);
    expect((await sup(k, 'getRoster')).agents[0]?.name).toBe('Hélène Lefèvre');
  });

  it('reads nothing outside the places it lists: no other folder, no way up with "..", no link out', async () => {
    k = await openTestKiosk();
    await setUpAndOpen(k);
    const folder = exportsFolder(k);
    const outside = join(k.dataDir, 'secret.csv');
    writeFileSync(outside, 'email\r\nx@agriculture.gouv.fr\r\n');
    symlinkSync(outside, join(folder, 'lien.csv'));
    for (const path of [outside, join(folder, '..', 'secret.csv'), join(folder, 'lien.csv'), 'agents.csv', '/etc/passwd']) {
      expect((await supRefused(k, 'importRosterFile', { path })).code, path).toBe('roster_file_unreadable');
    }
    for (const dir of [k.dataDir, join(folder, '..'), '/etc']) {
      expect((await supRefused(k, 'browseRosterFiles', { folder: dir })).code, dir).toBe('roster_file_unreadable');
    }
    expect((await sup(k, 'getRoster')).counts.total).toBe(0);
  });
});
