// Child process for the kill -9 test: writes bundles of a station one after another until it is killed mid-way.
import { join } from 'node:path';
import { runAdmin } from '../../../electron/admin/cli';

const [dataDir = '', drive = ''] = process.argv.slice(2);
const quiet = { out: () => {}, err: (line: string) => process.stderr.write(`${line}\n`) };
process.stdout.write('bundling\n');
for (let i = 0; ; i += 1) {
  const code = await runAdmin(['bundle', '--data', dataDir, '--out', join(drive, `station-${i}.ekb`)], quiet);
  if (code !== 0) process.exit(code);
}
